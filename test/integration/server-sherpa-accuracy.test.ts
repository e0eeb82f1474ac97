// Recognition accuracy of the sherpa engine with a real SenseVoice-Small model, where one is
// present: TINGXIE_SENSE_VOICE_MODEL names its folder (model.int8.onnx or model.onnx, and
// tokens.txt, as sherpa-onnx publishes it). Speech is synthesized at test time: English by
// festival's natural voice, Mandarin by espeak-ng (robotic, so the bound is looser).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeWav, readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { LocalModel } from '../../src/core/models/model-types.ts';
import { createEngine } from '../../src/server/engines/select.ts';
import type { SherpaEngine } from '../../src/server/engines/sherpa.ts';
import { speak, SPEECH_TOOLS, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';

const ENV = 'TINGXIE_SENSE_VOICE_MODEL';
const RATE = 16000;

/** The model in the folder the variable names, or why this suite cannot run (printed). */
function senseVoiceModel(): LocalModel | string {
  const folder = process.env[ENV];
  const reason = (why: string) => {
    const message = `sherpa accuracy: skipped, ${why}`;
    console.warn(message);
    return message;
  };
  if (!folder) {
    return reason(
      `${ENV} is not set (set it to a SenseVoice-Small folder from sherpa-onnx's releases, e.g. sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17).`,
    );
  }
  const model = ['model.int8.onnx', 'model.onnx']
    .map((f) => join(folder, f))
    .find((f) => existsSync(f));
  const tokens = join(folder, 'tokens.txt');
  if (!model || !existsSync(tokens)) {
    return reason(`${ENV}=${folder} holds no model.int8.onnx or model.onnx with tokens.txt.`);
  }
  return {
    id: 'sense-voice-small',
    kind: 'sense-voice',
    files: { model, tokens },
    languages: ['zh', 'en', 'ja', 'ko', 'yue'],
  };
}

const model = senseVoiceModel();
const skip =
  typeof model === 'string'
    ? model
    : missingTools('sherpa accuracy', [...SPEECH_TOOLS, 'espeak-ng']);

/** Character error rate, punctuation and spaces left out (for Chinese, which has no words). */
function characterErrorRate(reference: string, hypothesis: string): number {
  const chars = (s: string) => [...s.replace(/[\p{P}\s]/gu, '')].join(' ');
  return wordErrorRate(chars(reference), chars(hypothesis));
}

describe.skipIf(skip)('the sherpa engine with SenseVoice-Small', () => {
  let engine: SherpaEngine;
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-accuracy-'));
  beforeAll(async () => {
    engine = createEngine('sherpa', { model }, silentLogger) as SherpaEngine;
    await engine.ready();
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function transcribe(wavPath: string, language: string): Promise<string> {
    return engine.transcribe({
      wav: encodeWav(await readWavAsPcm16(wavPath, RATE), RATE),
      wavFile: () => Promise.resolve(wavPath),
      sampleRate: RATE,
      language,
      signal: new AbortController().signal,
    });
  }

  test.each([
    'The weather is nice today.',
    'We will meet at the station at noon.',
    'The children are playing in the park.',
  ])('English: %s', async (sentence) => {
    for (const language of ['en', 'auto']) {
      const text = await transcribe(speak(sentence), language);
      const wer = wordErrorRate(sentence, text);
      expect(wer, `WER ${wer} for ${JSON.stringify(text)} (${language})`).toBeLessThanOrEqual(0.25);
    }
  });

  test.each(['今天天气很好。', '我们中午在车站见面。'])('Mandarin: %s', async (sentence) => {
    const wav = join(dir, `${encodeURIComponent(sentence)}.wav`);
    execFileSync('espeak-ng', ['-v', 'cmn', '-w', wav, sentence]);
    const text = await transcribe(wav, 'zh');
    const cer = characterErrorRate(sentence, text);
    expect(cer, `CER ${cer} for ${JSON.stringify(text)}`).toBeLessThanOrEqual(0.35);
  });
});
