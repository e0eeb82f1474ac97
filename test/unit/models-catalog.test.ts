// The catalog is data the downloader trusts: every entry must be complete and pinned, and the
// sources built from it must be the mirrors' real URL layouts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG, DEFAULT_PREFERENCE, PREFERENCE } from '../../src/core/models/catalog.ts';
import {
  CATALOG_ENV,
  findModel,
  loadCatalog,
  MODEL_ID,
  modelSources,
  parseMirror,
} from '../../src/core/models/sources.ts';
import type { ModelKind, ModelRole } from '../../src/core/models/model-types.ts';

/** The files sherpa-onnx needs for each kind (its config fields). */
const ROLES: Record<ModelKind, ModelRole[]> = {
  'sense-voice': ['model', 'tokens'],
  paraformer: ['model', 'tokens'],
  whisper: ['encoder', 'decoder', 'tokens'],
  'nemo-transducer': ['encoder', 'decoder', 'joiner', 'tokens'],
  'streaming-zipformer': ['encoder', 'decoder', 'joiner', 'tokens'],
  'streaming-paraformer': ['encoder', 'decoder', 'tokens'],
  punctuation: ['model'],
};

describe('the model catalog', () => {
  it('has unique ids that are safe folder names', () => {
    const ids = CATALOG.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(MODEL_ID);
  });

  it.each(CATALOG.map((m) => [m.id, m] as const))(
    '%s: every file its kind needs, sized and hashed',
    (_id, model) => {
      expect(model.files.map((f) => f.role).sort()).toEqual([...ROLES[model.kind]].sort());
      for (const file of model.files) {
        expect(file.name).toMatch(/^[^/\\]+$/);
        expect(file.bytes).toBeGreaterThan(0);
        // Every file of the built-in catalog has a published hash (the downloader copes without).
        expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
      expect(model.languages.length).toBeGreaterThan(0);
      expect(model.license).not.toBe('');
      expect(model.title.en).not.toBe('');
      expect(model.title['zh-CN']).not.toBe('');
    },
  );

  it('pins each repository to a commit, except one noted mirror copy', () => {
    const unpinned = CATALOG.flatMap((m) =>
      [
        ['huggingFace', m.huggingFace],
        ['modelScope', m.modelScope],
      ].flatMap(([where, ref]) =>
        ref && typeof ref === 'object' && !/^[0-9a-f]{40}$/.test(ref.revision)
          ? [`${m.id} ${where}`]
          : [],
      ),
    );
    // Copies whose revision could not be found; their bytes are still checked against the hashes.
    expect(unpinned).toEqual([
      'paraformer-zh modelScope',
      'punct-ct-transformer-zh-en huggingFace',
      'streaming-zipformer-zh-en modelScope',
    ]);
  });

  it('prefers, for each language, only models that exist', () => {
    const ids = new Set(CATALOG.map((m) => m.id));
    for (const id of [...Object.values(PREFERENCE).flat(), ...DEFAULT_PREFERENCE])
      expect(ids).toContain(id);
    expect(PREFERENCE.zh![0]).toBe('sense-voice-small');
    expect(PREFERENCE.en![0]).toBe('parakeet-tdt-0.6b-v2');
  });

  it('gives Whisper only codes its tokenizer has, as ISO 639-1', () => {
    const whisper = findModel(CATALOG, 'whisper-tiny');
    expect(whisper.languages).toHaveLength(97);
    expect(whisper.languages).toEqual(expect.arrayContaining(['zh', 'en', 'ja', 'de']));
    for (const code of ['yue', 'jw', 'jv', 'haw']) expect(whisper.languages).not.toContain(code);
  });
});

describe('model sources', () => {
  const sense = findModel(CATALOG, 'sense-voice-small');
  const rev = '2365baeacb507f821a0c8120fcee3d484dba7a07';

  it('tries Hugging Face, hf-mirror (same paths) and ModelScope, in that order', () => {
    expect(modelSources(sense)).toEqual([
      {
        name: 'huggingface',
        baseUrl: `https://huggingface.co/csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17/resolve/${rev}`,
      },
      {
        name: 'hf-mirror',
        baseUrl: `https://hf-mirror.com/csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17/resolve/${rev}`,
      },
      {
        name: 'modelscope',
        baseUrl:
          'https://modelscope.cn/models/pengzhendong/sherpa-onnx-sense-voice-zh-en-ja-ko-yue/resolve/73eca47697f980daa3d16112404174b6b950b514',
      },
    ]);
    expect(modelSources(findModel(CATALOG, 'whisper-base')).map((s) => s.name)).toEqual([
      'huggingface',
      'hf-mirror',
    ]);
  });

  it('puts a custom mirror first, with Hugging Face paths', () => {
    expect(modelSources(sense, 'https://mirror.example.cn/hf/')[0]).toEqual({
      name: 'custom',
      baseUrl: `https://mirror.example.cn/hf/csukuangfj/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17/resolve/${rev}`,
    });
  });

  it('refuses a mirror that is not an http(s) URL, saying what is expected', () => {
    expect(() => parseMirror('hf-mirror.com')).toThrow(
      /is not a URL.*like https:\/\/hf-mirror\.com/,
    );
    expect(() => parseMirror('ftp://mirror.example')).toThrow(
      /must be an http:\/\/ or https:\/\/ address/,
    );
    expect(parseMirror('http://10.0.0.2:8080')).toBe('http://10.0.0.2:8080');
  });

  it('names the known models when an id is unknown', () => {
    expect(() => findModel(CATALOG, 'sensevoice')).toThrow(
      /^Unknown model "sensevoice"\. Known models: sense-voice-small, paraformer-zh, .*streaming-zipformer-zh-en\.$/,
    );
  });
});

describe('a catalog file in $TINGXIE_MODELS_CATALOG', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-catalog-'));
  const file = (name: string, json: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
    return { [CATALOG_ENV]: path };
  };

  it('replaces the built-in one, and is the built-in one without it', () => {
    expect(loadCatalog({})).toBe(CATALOG);
    const own = [{ ...CATALOG[0]!, id: 'our-model' }];
    expect(loadCatalog(file('ok.json', own)).map((m) => m.id)).toEqual(['our-model']);
  });

  it('is checked, and a bad one says where it is wrong', () => {
    const bad = [{ ...CATALOG[0]!, files: [{ role: 'model', name: '../x', bytes: 1 }] }];
    expect(() => loadCatalog(file('bad.json', bad))).toThrow(
      /bad\.json \(TINGXIE_MODELS_CATALOG\) is not valid: 0\.files\.0\.name/,
    );
    expect(() => loadCatalog(file('broken.json', '{'))).toThrow(
      /Cannot read the model catalog .*broken\.json/,
    );
  });
});
