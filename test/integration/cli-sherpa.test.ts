// `tingxie transcribe` on a neural model: imported with `tingxie models import` into the data
// folder, chosen by --engine sherpa --engine-model ID, or picked as the best installed one when
// no engine is named. The model is the SenseVoice-shaped one the tests build
// (test/helpers/sense-voice-graph.ts), so sherpa-onnx really loads and decodes it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeWav } from '../../src/core/audio/wav.ts';
import type { CatalogFile, CatalogModel } from '../../src/core/models/catalog-types.ts';
import { CATALOG_ENV } from '../../src/core/models/index.ts';
import { runCli } from '../helpers/cli.ts';
import { catalogFile, testCatalogModel } from '../helpers/model-catalog.ts';
import {
  NEMO_RIVAL_TEXT,
  NEMO_TEXT,
  writeNemoTransducerModel,
} from '../helpers/nemo-transducer-graph.ts';
import { EXPECTED_TEXT, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';
import { RATE, TONES } from '../helpers/tone-turns.ts';

const ID = 'tiny-sense-voice';
const work = mkdtempSync(join(tmpdir(), 'tingxie-cli-sherpa-'));

let env: NodeJS.ProcessEnv;
let dataDir: string;
let tones: string;

beforeAll(async () => {
  ({ dataDir, env } = await installed(ID, 'sense-voice', writeSenseVoiceModel(join(work, ID))));
  tones = join(work, 'tones.wav');
  writeFileSync(tones, encodeWav(TONES, RATE));
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Installs `files` as model `id` of `kind` in a data folder of its own; returns the folder. */
async function installed(
  id: string,
  kind: CatalogModel['kind'],
  files: Partial<Record<CatalogFile['role'], string>>,
): Promise<{ dataDir: string; env: NodeJS.ProcessEnv }> {
  const model = testCatalogModel(
    Object.entries(files).map(([role, path]) =>
      catalogFile(role as CatalogFile['role'], basename(path), readFileSync(path)),
    ),
    { id, kind },
  );
  const catalog = join(work, `${id}.json`);
  writeFileSync(catalog, JSON.stringify([model]));
  const where = { dataDir: join(work, `${id}-data`), env: { [CATALOG_ENV]: catalog } };
  const folder = dirname(Object.values(files)[0]!);
  const run = await runCli(['--data-dir', where.dataDir, 'models', 'import', id, folder], {
    env: where.env,
  });
  expect(run.code, run.stderr).toBe(0);
  return where;
}

describe('tingxie transcribe with a neural model', () => {
  test('--vocabulary reaches a transducer model as hotwords', async () => {
    const id = 'tiny-parakeet';
    const files = writeNemoTransducerModel(join(work, id), { rivals: true });
    const where = await installed(id, 'nemo-transducer', files);
    const args = ['--data-dir', where.dataDir, 'transcribe', tones, '--vad', 'none'];
    const plain = await runCli(args, { env: where.env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe(`${NEMO_TEXT}\n`);
    const terms = join(work, 'terms.txt');
    writeFileSync(terms, `${NEMO_RIVAL_TEXT}\n`);
    const boosted = await runCli([...args, '--vocabulary', terms], { env: where.env });
    expect(boosted.code, boosted.stderr).toBe(0);
    expect(boosted.stdout).toBe(`${NEMO_RIVAL_TEXT}\n`);
  }, 60_000);

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
