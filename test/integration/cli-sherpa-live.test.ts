// `tingxie transcribe` with an offline model and a streaming one installed: the local server
// runs the streaming one beside it for live text (issue #16), unless --no-live-partials. Both
// are the models the tests build (test/helpers/*-graph.ts), imported with `tingxie models
// import`, so sherpa-onnx really loads them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeWav } from '../../src/core/audio/wav.ts';
import { CATALOG_ENV } from '../../src/core/models/index.ts';
import { runCli } from '../helpers/cli.ts';
import { catalogFile, testCatalogModel } from '../helpers/model-catalog.ts';
import { EXPECTED_TEXT, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';
import {
  HOMOPHONES,
  writeStreamingTransducerModel,
} from '../helpers/streaming-transducer-graph.ts';
import { RATE, TONES } from '../helpers/tone-turns.ts';

const OFFLINE = 'tiny-sense-voice';
const STREAMING = 'tiny-streaming';
const work = mkdtempSync(join(tmpdir(), 'tingxie-cli-sherpa-live-'));
let env: NodeJS.ProcessEnv;
let dataDir: string;
let tones: string;

/** A catalog entry for the files of a model built in `dir`. */
const entry = (id: string, kind: 'sense-voice' | 'streaming-zipformer', files: object) =>
  testCatalogModel(
    Object.entries(files).map(([role, path]: [string, string]) =>
      catalogFile(role as 'model', basename(path), readFileSync(path)),
    ),
    { id, kind, title: { en: id, 'zh-CN': id } },
  );

beforeAll(async () => {
  const offline = join(work, 'offline');
  const streaming = join(work, 'streaming');
  const catalog = [
    entry(OFFLINE, 'sense-voice', writeSenseVoiceModel(offline)),
    entry(
      STREAMING,
      'streaming-zipformer',
      writeStreamingTransducerModel(streaming, { words: HOMOPHONES }),
    ),
  ];
  writeFileSync(join(work, 'catalog.json'), JSON.stringify(catalog));
  env = { [CATALOG_ENV]: join(work, 'catalog.json') };
  dataDir = join(work, 'data');
  for (const [id, folder] of [
    [OFFLINE, offline],
    [STREAMING, streaming],
  ]) {
    const imported = await runCli(['--data-dir', dataDir, 'models', 'import', id!, folder!], {
      env,
    });
    expect(imported.code, imported.stderr).toBe(0);
  }
  tones = join(work, 'tones.wav');
  writeFileSync(tones, encodeWav(TONES, RATE));
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tingxie transcribe with a streaming model installed beside an offline one', () => {
  const transcribe = (...extra: string[]) =>
    runCli(
      [
        ...['--data-dir', dataDir, 'transcribe', tones, '--vad', 'none', '--language', 'zh'],
        ...extra,
      ],
      { env },
    );

  test('runs it for live text; the transcript is the offline model’s', async () => {
    const run = await transcribe('--engine', 'sherpa', '--engine-model', OFFLINE);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/sherpa: live text from streaming model tiny-streaming, loaded in/);
    expect(run.stdout).toBe(`${EXPECTED_TEXT.zh}\n`);
  }, 60_000);

  test('--no-live-partials: the offline model alone', async () => {
    const run = await transcribe(
      '--engine',
      'sherpa',
      '--engine-model',
      OFFLINE,
      '--no-live-partials',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`sherpa: model ${OFFLINE}`);
    expect(run.stderr).not.toContain('live text');
    expect(run.stdout).toBe(`${EXPECTED_TEXT.zh}\n`);
  }, 60_000);
});
