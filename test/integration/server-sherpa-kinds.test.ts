// Every kind of model the sherpa engine runs, for real: sherpa-onnx loads a SenseVoice-,
// Paraformer- (with a CT-Transformer-shaped punctuation model), Whisper-, Parakeet TDT- or
// streaming-transducer-shaped model built here (test/helpers/*-graph.ts), computes its features
// from tones synthesized here (tone-turns.ts), decodes them with its own search for that kind and
// maps the tokens to text. Each model's detectors make the low tone then the high one a known
// two-character text; the language hint and the tones' order change it where the kind can.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import type { LocalModel } from '../../src/core/models/model-types.ts';
import { createEngine } from '../../src/server/engines/select.ts';
import type { SherpaEngine } from '../../src/server/engines/sherpa.ts';
import { concatSamples } from '../helpers/concat-samples.ts';
import { NEMO_TEXT, writeNemoTransducerModel } from '../helpers/nemo-transducer-graph.ts';
import { PARAFORMER_TEXT, writeParaformerModel } from '../helpers/paraformer-graph.ts';
import { PUNCTUATED, writePunctuationModel } from '../helpers/punctuation-graph.ts';
import { EXPECTED_TEXT, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';
import {
  STREAMING_TEXT,
  writeStreamingTransducerModel,
} from '../helpers/streaming-transducer-graph.ts';
import { LOW_TONE_HZ } from '../helpers/tone-detector.ts';
import { recordingLog, request, REVERSED, silence, tone, TONES } from '../helpers/tone-turns.ts';
import { WHISPER_LANGUAGES, WHISPER_TEXT, writeWhisperModel } from '../helpers/whisper-graph.ts';

const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-kinds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createEngine("sherpa") on a SenseVoice-shaped model', () => {
  let engine: SherpaEngine;
  const log = recordingLog();
  beforeAll(async () => {
    const senseVoice: LocalModel = {
      id: 'sense-voice-shaped',
      kind: 'sense-voice',
      files: writeSenseVoiceModel(join(dir, 'sense-voice')),
      languages: ['zh', 'en', 'ja', 'ko', 'yue'],
    };
    engine = createEngine('sherpa', { model: senseVoice }, log) as SherpaEngine;
    await engine.ready();
  });
  afterAll(() => engine.close());

  test('decodes a 300 Hz then a 3000 Hz tone to 听写', async () => {
    expect(engine.name).toBe('sherpa');
    expect(engine.sampleRate).toBe(16000);
    expect(await engine.transcribe(request(TONES))).toBe(EXPECTED_TEXT.zh);
  });

  test('gives the model the language hint: en, then zh again', async () => {
    expect(await engine.transcribe(request(TONES, 'en'))).toBe(EXPECTED_TEXT.en);
    expect(await engine.transcribe(request(TONES, 'zh-CN'))).toBe(EXPECTED_TEXT.zh);
    // SenseVoice takes the hint when it loads: once at start (auto), once per change.
    expect(log.lines.filter((l) => l.includes('loaded in'))).toEqual([
      expect.stringContaining('language auto'),
      expect.stringContaining('language en'),
      expect.stringContaining('language zh'),
    ]);
  });

  test('hears nothing in silence, and the tones in reverse order as 写听', async () => {
    expect(await engine.transcribe(request(silence(1000), 'zh'))).toBe('');
    expect(await engine.transcribe(request(REVERSED, 'zh'))).toBe('写听');
  });
});

describe('createEngine("sherpa") on a Paraformer-shaped model', () => {
  const paraformer: LocalModel = {
    id: 'paraformer-zh',
    kind: 'paraformer',
    files: writeParaformerModel(join(dir, 'paraformer')),
    languages: ['zh', 'en'],
  };
  const punctuation: LocalModel = {
    id: 'ct-transformer',
    kind: 'punctuation',
    files: { model: writePunctuationModel(join(dir, 'punctuation')) },
    languages: ['zh', 'en'],
  };

  test('decodes the tones to 听写, without punctuation of its own', async () => {
    const engine = createEngine('sherpa', { model: paraformer }, silentLogger) as SherpaEngine;
    try {
      expect(await engine.transcribe(request(TONES))).toBe(PARAFORMER_TEXT);
    } finally {
      await engine.close();
    }
  });

  test('with the punctuation model: 听，写。', async () => {
    const engine = createEngine(
      'sherpa',
      { model: paraformer, punctuation },
      silentLogger,
    ) as SherpaEngine;
    try {
      expect(await engine.transcribe(request(TONES))).toBe(PUNCTUATED[PARAFORMER_TEXT]);
      // Nothing heard: nothing to punctuate (not a lone full stop).
      expect(await engine.transcribe(request(silence(1000)))).toBe('');
    } finally {
      await engine.close();
    }
  });
});

describe('createEngine("sherpa") on a Whisper-shaped model', () => {
  let engine: SherpaEngine;
  const log = recordingLog();
  beforeAll(async () => {
    const whisper: LocalModel = {
      id: 'whisper-shaped',
      kind: 'whisper',
      files: writeWhisperModel(join(dir, 'whisper')),
      languages: WHISPER_LANGUAGES,
    };
    engine = createEngine('sherpa', { model: whisper }, log) as SherpaEngine;
    await engine.ready();
  });
  afterAll(() => engine.close());

  test('transcribes in the language asked for, and detects it when none is', async () => {
    expect(await engine.transcribe(request(TONES, 'zh'))).toBe(WHISPER_TEXT.zh);
    expect(await engine.transcribe(request(TONES, 'en-US'))).toBe(WHISPER_TEXT.en);
    // The model detects zh; a language it does not list is left to detection too (sherpa-onnx
    // would end its process on it).
    expect(await engine.transcribe(request(TONES, 'auto'))).toBe(WHISPER_TEXT.zh);
    expect(await engine.transcribe(request(TONES, 'fr'))).toBe(WHISPER_TEXT.zh);
  });

  test('hears what is there: the low tone alone, or nothing', async () => {
    const low = concatSamples(Int16Array, [silence(200), tone(LOW_TONE_HZ, 400), silence(200)]);
    expect(await engine.transcribe(request(low, 'en'))).toBe('ting');
    expect(await engine.transcribe(request(silence(1000), 'zh'))).toBe('');
  });

  test('another language reconfigures the loaded model instead of loading it again', () => {
    expect(log.lines.filter((l) => l.includes('loaded in'))).toHaveLength(1);
    expect(log.lines).toContain(
      'sherpa: model whisper-shaped switched to language en without reloading.',
    );
  });
});

describe('createEngine("sherpa") on a Parakeet TDT-shaped model', () => {
  test('decodes the tones in the order they come, through the TDT loop', async () => {
    const parakeet: LocalModel = {
      id: 'parakeet-tdt-shaped',
      kind: 'nemo-transducer',
      files: writeNemoTransducerModel(join(dir, 'parakeet')),
      languages: ['en'],
    };
    const engine = createEngine('sherpa', { model: parakeet }, silentLogger) as SherpaEngine;
    try {
      expect(await engine.transcribe(request(TONES, 'en'))).toBe(NEMO_TEXT);
      expect(await engine.transcribe(request(REVERSED, 'en'))).toBe('写听');
      expect(await engine.transcribe(request(silence(1000), 'en'))).toBe('');
    } finally {
      await engine.close();
    }
  });
});

describe('createEngine("sherpa") on a streaming transducer', () => {
  test("decodes a committed turn chunk by chunk through sherpa-onnx's online recognizer", async () => {
    const streaming: LocalModel = {
      id: 'streaming-shaped',
      kind: 'streaming-zipformer',
      files: writeStreamingTransducerModel(join(dir, 'streaming')),
      languages: ['zh', 'en'],
    };
    const engine = createEngine('sherpa', { model: streaming }, silentLogger) as SherpaEngine;
    try {
      expect(await engine.transcribe(request(TONES))).toBe(STREAMING_TEXT);
      expect(await engine.transcribe(request(REVERSED))).toBe('写听');
      expect(await engine.transcribe(request(silence(1000)))).toBe('');
    } finally {
      await engine.close();
    }
  });
});
