// What the engine is handed: installed models (manifest written last, files at their sizes), the
// errors that say what to run, and which installed model suits a locale.
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/core/models/catalog.ts';
import {
  bestInstalledModel,
  installedModel,
  installedModels,
  localeLanguage,
  modelsDir,
} from '../../src/core/models/installed.ts';
import { findModel } from '../../src/core/models/sources.ts';
import {
  installStandIn as install,
  STAND_IN_CONTENT as CONTENT,
  tempModelsDir,
} from '../helpers/installed-models.ts';

describe('installed models', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempModelsDir('tingxie-installed-');
  });

  it('live in <dataDir>/models', () => {
    expect(modelsDir('/data/Tingxie')).toBe(join('/data/Tingxie', 'models'));
  });

  it('are the folders with a manifest; partial downloads and stray folders are not', async () => {
    expect(installedModels(dir)).toEqual([]);
    await install(dir, 'whisper-tiny');
    await install(dir, 'sense-voice-small');
    mkdirSync(join(dir, '.paraformer-zh.partial'));
    writeFileSync(join(dir, '.paraformer-zh.partial', 'model.int8.onnx'), CONTENT);
    mkdirSync(join(dir, 'paraformer-zh')); // a folder without a manifest: never finished
    expect(installedModels(dir).map((m) => m.id)).toEqual(['sense-voice-small', 'whisper-tiny']);
  });

  it('give the engine absolute paths by role, with kind and languages', async () => {
    const folder = await install(dir, 'whisper-tiny');
    expect(installedModel(dir, 'whisper-tiny')).toEqual({
      id: 'whisper-tiny',
      kind: 'whisper',
      languages: findModel(CATALOG, 'whisper-tiny').languages,
      files: {
        encoder: join(folder, 'tiny-encoder.int8.onnx'),
        decoder: join(folder, 'tiny-decoder.int8.onnx'),
        tokens: join(folder, 'tiny-tokens.txt'),
      },
    });
  });

  it('say what to run when a model is not installed, unknown, or damaged', async () => {
    expect(() => installedModel(dir, 'whisper-tiny')).toThrow(
      'The model whisper-tiny is not installed. Run `tingxie models pull whisper-tiny`.',
    );
    mkdirSync(join(dir, '.whisper-tiny.partial'), { recursive: true });
    expect(() => installedModel(dir, 'whisper-tiny')).toThrow(/is not installed/);
    for (const id of ['whisper', '../whisper-tiny']) {
      expect(() => installedModel(dir, id)).toThrow(
        new RegExp(
          `^Unknown model "${id.replace(/[.]/g, '\\.')}"\\. Known models: sense-voice-small, .*\\. Run \`tingxie models list\``,
        ),
      );
    }
    const folder = await install(dir, 'paraformer-zh');
    truncateSync(join(folder, 'tokens.txt'), 1);
    expect(() => installedModel(dir, 'paraformer-zh')).toThrow(
      /^The model paraformer-zh is damaged \(.*tokens\.txt has 1 bytes, expected 3\)\. Run `tingxie models rm paraformer-zh`, then `tingxie models pull paraformer-zh`\.$/,
    );
    expect(installedModels(dir)).toEqual([]);
  });
});

describe('bestInstalledModel', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempModelsDir('tingxie-best-');
  });
  const best = (locale?: string) => bestInstalledModel(dir, locale)?.id;

  it('is undefined without a speech model (punctuation does not recognize speech)', async () => {
    expect(best('zh-CN')).toBeUndefined();
    await install(dir, 'punct-ct-transformer-zh-en');
    expect(best('zh-CN')).toBeUndefined();
  });

  it("follows the catalog's preference for the locale's language", async () => {
    for (const id of [
      'whisper-small',
      'parakeet-tdt-0.6b-v2',
      'sense-voice-small',
      'punct-ct-transformer-zh-en',
    ]) {
      await install(dir, id);
    }
    expect(best('zh-CN')).toBe('sense-voice-small');
    expect(best('zh_TW')).toBe('sense-voice-small');
    expect(best('yue-HK')).toBe('sense-voice-small');
    expect(best('en-US')).toBe('parakeet-tdt-0.6b-v2');
    expect(best('de-DE')).toBe('whisper-small'); // the only one that speaks German
    expect(best()).toBe('sense-voice-small');
  });

  it('falls back to the general preference when no installed model speaks the language', async () => {
    await install(dir, 'parakeet-tdt-0.6b-v2');
    await install(dir, 'paraformer-zh');
    expect(best('fr')).toBe('parakeet-tdt-0.6b-v2');
    expect(best('zh')).toBe('paraformer-zh');
    expect(best('en')).toBe('parakeet-tdt-0.6b-v2');
  });

  it('reads the language of a BCP 47 locale', () => {
    expect(['zh-CN', 'zh-Hant-TW', 'en', 'yue_HK', 'EN-gb'].map(localeLanguage)).toEqual([
      'zh',
      'zh',
      'en',
      'yue',
      'en',
    ]);
  });
});
