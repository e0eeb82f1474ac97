// Recognition accuracy of the sherpa engine with real models, where someone has them: an
// environment variable names each model's folder (test/helpers/sherpa-models.ts), e.g.
// TINGXIE_SENSE_VOICE_MODEL=…/sherpa-onnx-sense-voice-zh-en-ja-ko-yue-2024-07-17. Paraformer is
// paired with the punctuation model when TINGXIE_PUNCTUATION_MODEL names one. Speech is
// synthesized at test time: English by festival's natural voice, Mandarin by espeak-ng
// (robotic, so its bound is looser). A model that is not there is skipped, saying why.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeWav, readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import { silentLogger } from '../../src/core/log.ts';
import { createEngine } from '../../src/server/engines/select.ts';
import type { SherpaEngine } from '../../src/server/engines/sherpa.ts';
import { PUNCTUATION_MODEL, REAL_MODELS, realModel } from '../helpers/sherpa-models.ts';
import { speak, SPEECH_TOOLS, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';

const RATE = 16000;
const ENGLISH = [
  'The weather is nice today.',
  'We will meet at the station at noon.',
  'The children are playing in the park.',
];
const MANDARIN = ['今天天气很好。', '我们中午在车站见面。'];

/** Character error rate, punctuation and spaces left out (Chinese has no words to count). */
function characterErrorRate(reference: string, hypothesis: string): number {
  const chars = (s: string) => [...s.replace(/[\p{P}\s]/gu, '')].join(' ');
  return wordErrorRate(chars(reference), chars(hypothesis));
}

for (const real of REAL_MODELS) {
  const model = realModel(real);
  const skip =
    typeof model === 'string'
      ? `sherpa accuracy (${real.kind}): skipped, ${model}`
      : missingTools(`sherpa accuracy (${real.kind})`, [...SPEECH_TOOLS, 'espeak-ng']);
  if (skip) {
    // One skipped test per model that is not there, its name and the log saying why.
    if (typeof model === 'string') console.warn(skip);
    test.skip(`the sherpa engine with ${real.kind} (${real.env}): ${skip}`, () => {});
    continue;
  }

  describe(`the sherpa engine with ${real.kind} (${real.env})`, () => {
    let engine: SherpaEngine;
    const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-accuracy-'));
    beforeAll(async () => {
      const punctuation = real.kind === 'paraformer' ? realModel(PUNCTUATION_MODEL) : undefined;
      engine = createEngine(
        'sherpa',
        { model, ...(typeof punctuation === 'object' && { punctuation }) },
        silentLogger,
      ) as SherpaEngine;
      await engine.ready();
    });
    afterAll(async () => {
      await engine?.close();
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

    // Only the languages this model is heard in: no test is declared to be skipped.
    const english = real.hears.includes('en') ? ENGLISH : [];
    const mandarin = real.hears.includes('zh') ? MANDARIN : [];
    test.each(english)('English: %s', async (sentence) => {
      for (const language of ['en', 'auto']) {
        const text = await transcribe(speak(sentence), language);
        const wer = wordErrorRate(sentence, text);
        expect(wer, `WER ${wer} for ${JSON.stringify(text)} (${language})`).toBeLessThanOrEqual(
          0.25,
        );
      }
    });

    test.each(mandarin)('Mandarin: %s', async (sentence) => {
      const wav = join(dir, `${encodeURIComponent(sentence)}.wav`);
      execFileSync('espeak-ng', ['-v', 'cmn', '-w', wav, sentence]);
      const text = await transcribe(wav, 'zh');
      const cer = characterErrorRate(sentence, text);
      expect(cer, `CER ${cer} for ${JSON.stringify(text)}`).toBeLessThanOrEqual(0.35);
    });
  });
}
