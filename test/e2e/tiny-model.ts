// The tiny SenseVoice-shaped model (test/helpers/sense-voice-graph.ts) as the e2e specs download
// it from a mirror: built into <work>/built, its files by name, a catalog of it alone (the file
// TINGXIE_MODELS_CATALOG names) with Hugging Face's repo a mirror serves, and a WAV of its two
// tones for the fake microphone, which it decodes to 听写.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/core/audio/wav.ts';
import type { CatalogModel } from '../../src/core/models/catalog-types.ts';
import { concatSamples } from '../helpers/concat-samples.ts';
import { catalogFile, testCatalogModel } from '../helpers/model-catalog.ts';
import { HIGH_TONE_HZ, LOW_TONE_HZ, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';

export const TINY_MODEL_ID = 'tiny-sense-voice';
export const TINY_MODEL_TITLE = { en: 'Tiny test SenseVoice', 'zh-CN': '测试用 SenseVoice' };
export const TINY_MODEL_REPO = { repo: 'test/tiny-sense-voice', revision: 'r1' };
export const RATE = 16000;

export interface TinyModel {
  /** Each file's bytes by its name. */
  files: Map<string, Buffer>;
  /** The catalog's path. */
  catalog: string;
  /** The tones' WAV: half a second of silence, the low tone, the high one, then `tailMs`. */
  tones: string;
}

/** Builds the model in `work`, with its catalog and tones. One busy layer makes it a few MB (its
 * weights add nothing to the result), so that a throttled download shows its progress. */
export function buildTinyModel(
  work: string,
  { tailMs, catalogEntry = {} }: { tailMs: number; catalogEntry?: Partial<CatalogModel> },
): TinyModel {
  const built = writeSenseVoiceModel(join(work, 'built'), { busyLayers: 1 });
  const files = new Map([
    ['model.onnx', readFileSync(built.model)],
    ['tokens.txt', readFileSync(built.tokens)],
  ]);
  const catalog = join(work, 'catalog.json');
  writeFileSync(
    catalog,
    JSON.stringify([
      testCatalogModel(
        [...files].map(([name, body]) =>
          catalogFile(name === 'tokens.txt' ? 'tokens' : 'model', name, body),
        ),
        {
          id: TINY_MODEL_ID,
          title: TINY_MODEL_TITLE,
          huggingFace: TINY_MODEL_REPO,
          ...catalogEntry,
        },
      ),
    ]),
  );
  const tones = join(work, 'tones.wav');
  writeFileSync(
    tones,
    encodeWav(
      concatSamples(Int16Array, [
        silence(500),
        fadedTone(LOW_TONE_HZ, 400),
        silence(200),
        fadedTone(HIGH_TONE_HZ, 400),
        silence(tailMs),
      ]),
      RATE,
    ),
  );
  return { files, catalog, tones };
}

/** A tone that fades in and out over 30 ms: the click of an abrupt onset sounds like speech to
 * Silero, and a push-to-talk turn is cut down to what Silero hears as speech (with 300 ms either
 * side), which would leave the other tone out at some alignments of the audio. */
function fadedTone(hz: number, ms: number): Int16Array {
  const length = (RATE * ms) / 1000;
  const ramp = (RATE * 30) / 1000;
  return Int16Array.from({ length }, (_, i) => {
    const edge = Math.min(1, i / ramp, (length - 1 - i) / ramp);
    const gain = 0.5 - 0.5 * Math.cos(Math.PI * edge);
    return Math.round(9000 * gain * Math.sin((2 * Math.PI * hz * i) / RATE));
  });
}

function silence(ms: number): Int16Array {
  return new Int16Array((RATE * ms) / 1000);
}
