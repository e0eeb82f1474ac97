// What the sherpa engine gives sherpa-onnx for each kind of model, and which language hint,
// checked against sherpa-onnx-node's config field names — including the kinds no test here has
// a model for.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalModel } from '../../src/core/models/model-types.ts';
import {
  isLocalModel,
  languageHint,
  missingFiles,
  punctuationConfig,
  recognizerConfig,
} from '../../src/server/engines/sherpa-config.ts';

const model = (kind: LocalModel['kind'], files: LocalModel['files'], languages: string[] = []) => ({
  id: `${kind}-test`,
  kind,
  files,
  languages,
});

describe('recognizerConfig', () => {
  it('SenseVoice: model, tokens, the language hint and inverse text normalization', () => {
    const sv = model('sense-voice', { model: '/m/model.int8.onnx', tokens: '/m/tokens.txt' });
    expect(recognizerConfig(sv, 'zh', 2)).toEqual({
      streaming: false,
      config: {
        featConfig: { sampleRate: 16000, featureDim: 80 },
        modelConfig: {
          senseVoice: {
            model: '/m/model.int8.onnx',
            language: 'zh',
            useInverseTextNormalization: 1,
          },
          tokens: '/m/tokens.txt',
          numThreads: 2,
          debug: 0,
        },
      },
    });
  });

  it('Paraformer: model and tokens', () => {
    const p = model('paraformer', { model: '/p/model.onnx', tokens: '/p/tokens.txt' });
    expect(recognizerConfig(p, '', 1).config.modelConfig).toMatchObject({
      paraformer: { model: '/p/model.onnx' },
      tokens: '/p/tokens.txt',
    });
  });

  it('Whisper: encoder, decoder, the language and the task', () => {
    const w = model('whisper', { encoder: '/w/e.onnx', decoder: '/w/d.onnx', tokens: '/w/t.txt' });
    const { modelConfig } = recognizerConfig(w, 'de', 4).config;
    expect(modelConfig.whisper).toEqual({
      encoder: '/w/e.onnx',
      decoder: '/w/d.onnx',
      language: 'de',
      task: 'transcribe',
    });
    expect(modelConfig.numThreads).toBe(4);
  });

  it('Parakeet TDT: a NeMo transducer', () => {
    const n = model('nemo-transducer', {
      encoder: '/n/e.onnx',
      decoder: '/n/d.onnx',
      joiner: '/n/j.onnx',
      tokens: '/n/t.txt',
    });
    expect(recognizerConfig(n, '', 1)).toMatchObject({
      streaming: false,
      config: {
        modelConfig: {
          transducer: { encoder: '/n/e.onnx', decoder: '/n/d.onnx', joiner: '/n/j.onnx' },
          modelType: 'nemo_transducer',
        },
      },
    });
  });

  it('streaming models go to the online recognizer', () => {
    const z = model('streaming-zipformer', {
      encoder: '/z/e.onnx',
      decoder: '/z/d.onnx',
      joiner: '/z/j.onnx',
      tokens: '/z/t.txt',
    });
    const sp = model('streaming-paraformer', {
      encoder: '/s/e.onnx',
      decoder: '/s/d.onnx',
      tokens: '/s/t.txt',
    });
    expect(recognizerConfig(z, '', 1)).toMatchObject({
      streaming: true,
      config: { modelConfig: { transducer: { joiner: '/z/j.onnx' } } },
    });
    expect(recognizerConfig(sp, '', 1)).toMatchObject({
      streaming: true,
      config: { modelConfig: { paraformer: { encoder: '/s/e.onnx', decoder: '/s/d.onnx' } } },
    });
  });

  it('refuses a punctuation model as the recognizer', () => {
    expect(() => recognizerConfig(model('punctuation', { model: '/p.onnx' }), '', 1)).toThrow(
      /adds punctuation; it cannot recognize speech/,
    );
  });
});

describe('punctuationConfig', () => {
  it('gives the CT-Transformer its model', () => {
    expect(punctuationConfig(model('punctuation', { model: '/ct/model.onnx' }), 2)).toEqual({
      model: { ctTransformer: '/ct/model.onnx', numThreads: 2 },
    });
  });

  it('refuses a model of another kind', () => {
    const sv = model('sense-voice', { model: '/m.onnx', tokens: '/t.txt' });
    expect(() => punctuationConfig(sv, 1)).toThrow(/not a punctuation model/);
  });
});

describe('languageHint', () => {
  const sv = model('sense-voice', {});
  const whisper = model('whisper', {}, ['en', 'de', 'zh']);

  it('gives SenseVoice one of its five languages, else auto', () => {
    expect(languageHint(sv, 'zh')).toBe('zh');
    expect(languageHint(sv, 'zh-CN')).toBe('zh');
    expect(languageHint(sv, 'EN')).toBe('en');
    expect(languageHint(sv, 'yue')).toBe('yue');
    expect(languageHint(sv, 'ja_JP')).toBe('ja');
    expect(languageHint(sv, 'fr')).toBe('auto');
    expect(languageHint(sv, 'auto')).toBe('auto');
    expect(languageHint(sv, '')).toBe('auto');
  });

  it('gives Whisper a language its model lists, else none (Whisper detects it)', () => {
    expect(languageHint(whisper, 'de-AT')).toBe('de');
    expect(languageHint(whisper, 'auto')).toBe('');
    expect(languageHint(whisper, 'xx')).toBe('');
  });

  it('gives the other kinds none', () => {
    expect(languageHint(model('paraformer', {}, ['zh', 'en']), 'zh')).toBe('');
    expect(languageHint(model('nemo-transducer', {}, ['en']), 'en')).toBe('');
  });
});

describe('missingFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-files-'));
  const present = join(dir, 'model.onnx');
  const tokens = join(dir, 'tokens.txt');
  const empty = join(dir, 'empty.onnx');
  writeFileSync(present, 'x');
  writeFileSync(tokens, '<blk> 0\n');
  writeFileSync(empty, '');

  it('passes a model whose files are all there', () => {
    expect(missingFiles(model('sense-voice', { model: present, tokens }), 'recognizer')).toBe(
      undefined,
    );
  });

  it('names the role and the path of a missing file, and what to do', () => {
    const gone = join(dir, 'gone.onnx');
    const message = missingFiles(model('sense-voice', { model: gone, tokens }), 'recognizer');
    expect(message).toContain('"sense-voice-test" is missing its model file');
    expect(message).toContain(gone);
    expect(message).toContain('Delete the model and download it again.');
  });

  it('names a role the model has no file for', () => {
    const w = model('whisper', { encoder: present, tokens });
    expect(missingFiles(w, 'recognizer')).toMatch(/has no decoder file\. Delete the model/);
  });

  it('calls an empty file what it is', () => {
    const message = missingFiles(model('paraformer', { model: empty, tokens }), 'recognizer');
    expect(message).toContain(`model file is empty (${empty})`);
  });

  it('refuses a punctuation model as the recognizer, and a recognizer as the punctuation', () => {
    expect(missingFiles(model('punctuation', { model: present }), 'recognizer')).toMatch(
      /cannot recognize speech/,
    );
    expect(missingFiles(model('paraformer', { model: present, tokens }), 'punctuation')).toMatch(
      /not a punctuation model/,
    );
    expect(missingFiles(model('punctuation', { model: present }), 'punctuation')).toBe(undefined);
  });
});

describe('isLocalModel', () => {
  it('tells a LocalModel from a path or a partial object', () => {
    expect(isLocalModel(model('whisper', {}))).toBe(true);
    expect(isLocalModel('/models/ggml-base.bin')).toBe(false);
    expect(isLocalModel({ id: 'x', kind: 'unknown-kind', files: {}, languages: [] })).toBe(false);
    expect(isLocalModel({ id: 'x', kind: 'whisper', files: {} })).toBe(false);
    expect(isLocalModel(undefined)).toBe(false);
  });
});
