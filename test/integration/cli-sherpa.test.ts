// `tingxie transcribe` on a neural model: imported with `tingxie models import` into the data
// folder, chosen by --engine sherpa --engine-model ID, or picked as the best installed one when
// no engine is named. The model is the SenseVoice-shaped one the tests build
// (test/helpers/sense-voice-graph.ts), so sherpa-onnx really loads and decodes it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeWav } from '../../src/core/audio/wav.ts';
import { CATALOG_ENV } from '../../src/core/models/index.ts';
import { runCli } from '../helpers/cli.ts';
import { catalogFile, testCatalogModel } from '../helpers/model-catalog.ts';
import { concatSamples } from '../helpers/concat-samples.ts';
import {
  EXPECTED_TEXT,
  HIGH_TONE_HZ,
  LOW_TONE_HZ,
  writeSenseVoiceModel,
} from '../helpers/sense-voice-graph.ts';

const RATE = 16000;
const ID = 'tiny-sense-voice';
const work = mkdtempSync(join(tmpdir(), 'tingxie-cli-sherpa-'));
const tone = (hz: number, ms: number) =>
  Int16Array.from({ length: (RATE * ms) / 1000 }, (_, i) =>
    Math.round(9000 * Math.sin((2 * Math.PI * hz * i) / RATE)),
  );
const silence = (ms: number) => new Int16Array((RATE * ms) / 1000);

let env: NodeJS.ProcessEnv;
let dataDir: string;
let tones: string;

beforeAll(async () => {
  const files = writeSenseVoiceModel(join(work, 'built'));
  const model = testCatalogModel(
    [
      catalogFile('model', basename(files.model), readFileSync(files.model)),
      catalogFile('tokens', basename(files.tokens), readFileSync(files.tokens)),
    ],
    { id: ID, title: { en: 'Tiny test SenseVoice', 'zh-CN': '测试用 SenseVoice' } },
  );
  writeFileSync(join(work, 'catalog.json'), JSON.stringify([model]));
  env = { [CATALOG_ENV]: join(work, 'catalog.json') };
  dataDir = join(work, 'data');
  const imported = await runCli(
    ['--data-dir', dataDir, 'models', 'import', ID, join(work, 'built')],
    {
      env,
    },
  );
  expect(imported.code, imported.stderr).toBe(0);

  tones = join(work, 'tones.wav');
  const samples = concatSamples(Int16Array, [
    silence(300),
    tone(LOW_TONE_HZ, 400),
    silence(200),
    tone(HIGH_TONE_HZ, 400),
    silence(300),
  ]);
  writeFileSync(tones, encodeWav(samples, RATE));
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tingxie transcribe with a neural model', () => {
  test('--engine sherpa --engine-model ID runs the installed model', async () => {
    const run = await runCli(
      [
        '--data-dir',
        dataDir,
        'transcribe',
        tones,
        '--vad',
        'none',
        '--language',
        'zh',
        '--engine',
        'sherpa',
        '--engine-model',
        ID,
      ],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${EXPECTED_TEXT.zh}\n`);
  }, 60_000);

  test('with no engine named, the best installed model is used', async () => {
    const run = await runCli(
      ['--data-dir', dataDir, 'transcribe', tones, '--vad', 'none', '--language', 'en'],
      {
        env,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`sherpa: model ${ID}`);
    // Loaded once, with the language asked for (a model loaded for another one reloads).
    expect(run.stderr.match(/loaded in/g)).toHaveLength(1);
    expect(run.stdout).toBe(`${EXPECTED_TEXT.en}\n`);
  }, 60_000);

  test('a model that is not installed, or none at all, is refused with what to run', async () => {
    const missing = await runCli(
      [
        '--data-dir',
        dataDir,
        'transcribe',
        tones,
        '--engine',
        'sherpa',
        '--engine-model',
        'whisper-tiny',
      ],
      { env: {} },
    );
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('tingxie models pull whisper-tiny');

    const empty = join(work, 'empty');
    const none = await runCli(['--data-dir', empty, 'transcribe', tones, '--engine', 'sherpa'], {
      env,
    });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('No speech model is installed');
    expect(none.stderr).toContain('tingxie models pull sense-voice-small');
  }, 60_000);
});
