// `tingxie models list | pull | rm | import` through runCli, against a real HTTP server on
// 127.0.0.1 (a catalog of test files given by $TINGXIE_MODELS_CATALOG, fetched through --mirror).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import type { CatalogModel } from '../../src/core/models/catalog-types.ts';
import { CATALOG_ENV } from '../../src/core/models/index.ts';
import { missingTools } from '../helpers/tools.ts';
import { catalogFile, testCatalogModel } from '../helpers/model-catalog.ts';
import { startFileServer, type FileServer } from './models-file-server.ts';

const CLI = fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url));
const MODEL_BYTES = randomBytes(1024 * 1024 + 7);
const TOKENS = Buffer.from('<blk> 0\n<sos/eos> 1\n你 2\n好 3\n');
const MODEL: CatalogModel = testCatalogModel(
  [
    catalogFile('model', 'model.int8.onnx', MODEL_BYTES),
    catalogFile('tokens', 'tokens.txt', TOKENS),
  ],
  { archive: 'sherpa-onnx-test-voice.tar.bz2' },
);

interface ListRow {
  id: string;
  sources: { name: string; baseUrl: string }[];
  installed: boolean;
  path: string | null;
  bytes: number;
  diskBytes: number;
  partialBytes: number;
}

describe('tingxie models', () => {
  let server: FileServer;
  let work: string;
  let dataDir: string;
  const saved = process.env[CATALOG_ENV];

  async function cli(...args: string[]) {
    const out = { stdout: '', stderr: '' };
    const code = await runCli(['--data-dir', dataDir, 'models', ...args], {
      stdout: (t) => (out.stdout += t),
      stderr: (t) => (out.stderr += t),
    });
    return { code, ...out };
  }
  async function listed(): Promise<ListRow[]> {
    const run = await cli('list', '--json');
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as ListRow[];
  }

  /** A folder laid out as sherpa-onnx's archives are: one top folder, more files than needed. */
  function archiveFolder(tokens = TOKENS): string {
    const top = join(work, 'unpacked', 'sherpa-onnx-test-voice');
    mkdirSync(join(top, 'test_wavs'), { recursive: true });
    writeFileSync(join(top, 'model.int8.onnx'), MODEL_BYTES);
    writeFileSync(join(top, 'model.onnx'), randomBytes(4096)); // the float model: not needed
    writeFileSync(join(top, 'tokens.txt'), tokens);
    writeFileSync(join(top, 'test_wavs', 'zh.wav'), randomBytes(100));
    return top;
  }

  beforeAll(async () => {
    server = await startFileServer();
    server.routes.set('/test/voice/resolve/r1/model.int8.onnx', { body: MODEL_BYTES });
    server.routes.set('/test/voice/resolve/r1/tokens.txt', { body: TOKENS });
  });
  afterAll(async () => {
    await server.close();
    if (saved === undefined) delete process.env[CATALOG_ENV];
    else process.env[CATALOG_ENV] = saved;
  });
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'tingxie-models-cli-'));
    dataDir = join(work, 'data');
    writeFileSync(join(work, 'catalog.json'), JSON.stringify([MODEL]));
    process.env[CATALOG_ENV] = join(work, 'catalog.json');
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('lists, pulls (progress on stderr, the folder on stdout), and removes a model', async () => {
    expect((await listed())[0]!.sources).toEqual([
      { name: 'huggingface', baseUrl: 'https://huggingface.co/test/voice/resolve/r1' },
      { name: 'hf-mirror', baseUrl: 'https://hf-mirror.com/test/voice/resolve/r1' },
    ]);
    expect(await listed()).toEqual([
      expect.objectContaining({
        id: 'test-voice',
        installed: false,
        path: null,
        bytes: MODEL_BYTES.length + TOKENS.length,
      }),
    ]);

    const pull = await cli('pull', 'test-voice', '--mirror', `${server.url}/`);
    expect(pull.code, pull.stderr).toBe(0);
    const folder = join(dataDir, 'models', 'test-voice');
    expect(pull.stdout).toBe(`${folder}\n`);
    expect(pull.stderr).toMatch(/^Downloading test-voice \(1\.0 MB\)\n/);
    expect(pull.stderr).toMatch(/model\.int8\.onnx from custom\n/);
    expect(pull.stderr).toMatch(/100% 1\.0 MB \/ 1\.0 MB/);
    expect(pull.stderr).toMatch(/model\.int8\.onnx: checksum verified\ntokens\.txt from custom\n/);
    expect(pull.stderr).toMatch(
      /Installed test-voice\. Licence: MIT \(https:\/\/example\.invalid\/test-voice\)\.\n$/,
    );
    expect(pull.stderr).not.toContain('\r'); // not a terminal: plain lines only
    expect(readdirSync(folder).sort()).toEqual([
      'model.int8.onnx',
      'tingxie-model.json',
      'tokens.txt',
    ]);

    const [row] = await listed();
    expect(row).toMatchObject({ installed: true, path: folder, partialBytes: 0 });
    expect(row!.diskBytes).toBeGreaterThan(row!.bytes);
    const text = await cli('list');
    expect(text.stdout).toMatch(/^test-voice\s+sense-voice\s+1\.0 MB\s+installed\s+zh,en\n$/);
    expect(text.stderr).toMatch(/1\.0 MB used in /);

    const again = await cli('pull', 'test-voice');
    expect(again).toMatchObject({
      code: 0,
      stdout: `${folder}\n`,
      stderr: 'test-voice is already installed.\n',
    });

    const removed = await cli('rm', 'test-voice');
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toBe('Removed test-voice (1.0 MB freed).\n');
    expect(existsSync(folder)).toBe(false);
    expect((await listed())[0]).toMatchObject({ installed: false });
    expect(await cli('rm', 'test-voice')).toMatchObject({
      code: 1,
      stderr: 'tingxie: The model test-voice is not installed, and no download of it is kept.\n',
    });
  });

  it('cancels a pull on Ctrl+C: exit 130, the download kept, and the next pull resumes it', async () => {
    const route = server.routes.get('/test/voice/resolve/r1/model.int8.onnx')!;
    route.chunkDelayMs = 100;
    const child = spawn(
      process.execPath,
      [CLI, '--data-dir', dataDir, 'models', 'pull', 'test-voice', '--mirror', server.url],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let interrupted = false; // once: a second Ctrl+C would end the process outright
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (!interrupted && /% .* model\.int8\.onnx\n/.test(stderr)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    route.chunkDelayMs = 0;
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(
      /tingxie: The download of test-voice was cancelled\. What was downloaded is kept: pull it again to resume\.\n$/,
    );
    expect(existsSync(join(dataDir, 'models', 'test-voice'))).toBe(false);

    const resumed = await cli('pull', 'test-voice', '--mirror', server.url);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/^Resuming test-voice: .* of 1\.0 MB already downloaded\n/);
    expect(resumed.stderr).toMatch(/model\.int8\.onnx from custom, resuming at /);
  });

  it('refuses an unknown model, naming the known ones, and a mirror that is not http(s)', async () => {
    expect(await cli('pull', 'sense-voice')).toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'tingxie: Unknown model "sense-voice". Known models: test-voice.\n',
    });
    const ftp = await cli('pull', 'test-voice', '--mirror', 'ftp://mirror.example');
    expect(ftp.code).toBe(1);
    expect(ftp.stderr).toMatch(
      /The mirror ftp:\/\/mirror\.example must be an http:\/\/ or https:\/\/ address/,
    );
    expect(existsSync(join(dataDir, 'models', 'test-voice'))).toBe(false);
  });

  it('imports a .tar.gz, extracting only the catalog files', async () => {
    archiveFolder();
    const archive = join(work, 'sherpa-onnx-test-voice.tar.gz');
    await tar.c({ gzip: true, file: archive, cwd: join(work, 'unpacked') }, [
      'sherpa-onnx-test-voice',
    ]);
    const run = await cli('import', 'test-voice', archive);
    expect(run.code, run.stderr).toBe(0);
    const folder = join(dataDir, 'models', 'test-voice');
    expect(run.stdout).toBe(`${folder}\n`);
    expect(run.stderr).toMatch(
      /^Checking .*\n[\s\S]*100% of the archive read.*\nInstalled test-voice\. Licence: MIT .*\n$/,
    );
    expect(readdirSync(folder).sort()).toEqual([
      'model.int8.onnx',
      'tingxie-model.json',
      'tokens.txt',
    ]);
    // No scratch folder is left beside the model.
    expect(readdirSync(join(dataDir, 'models'))).toEqual(['test-voice']);
  });

  it('imports a folder, leaving the folder as it was', async () => {
    const top = archiveFolder();
    const run = await cli('import', 'test-voice', top);
    expect(run.code, run.stderr).toBe(0);
    expect((await listed())[0]).toMatchObject({ installed: true });
    expect(readdirSync(top).sort()).toEqual([
      'model.int8.onnx',
      'model.onnx',
      'test_wavs',
      'tokens.txt',
    ]);
  });

  const noBzip2 = missingTools('tingxie models import (.tar.bz2)', ['tar', 'bzip2']);
  it.skipIf(noBzip2)('imports the .tar.bz2 that sherpa-onnx publishes', async () => {
    archiveFolder();
    const archive = join(work, 'sherpa-onnx-test-voice.tar.bz2');
    execFileSync('tar', ['-cjf', archive, '-C', join(work, 'unpacked'), 'sherpa-onnx-test-voice']);
    const run = await cli('import', 'test-voice', archive);
    expect(run.code, run.stderr).toBe(0);
    expect((await listed())[0]).toMatchObject({ installed: true });
  });

  it('refuses an archive whose files do not match the catalog, and other formats', async () => {
    archiveFolder(Buffer.from('<blk> 0\n<sos/eos> 1\n你 2\n坏 3\n'));
    const archive = join(work, 'bad.tgz');
    await tar.c({ gzip: true, file: archive, cwd: join(work, 'unpacked') }, [
      'sherpa-onnx-test-voice',
    ]);
    const bad = await cli('import', 'test-voice', archive);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /Cannot import test-voice: tokens\.txt is corrupt or not the expected file/,
    );
    expect(readdirSync(join(dataDir, 'models'))).toEqual([]);

    writeFileSync(join(work, 'model.zip'), 'PK');
    const zip = await cli('import', 'test-voice', join(work, 'model.zip'));
    expect(zip.code).toBe(1);
    expect(zip.stderr).toMatch(
      /expected a folder, a \.tar\.bz2 \(as sherpa-onnx publishes\), a \.tar\.gz or a \.tar/,
    );

    const empty = mkdtempSync(join(work, 'empty-'));
    const missing = await cli('import', 'test-voice', empty);
    expect(missing.stderr).toMatch(
      /does not hold test-voice: model\.int8\.onnx, tokens\.txt missing \(its archive is sherpa-onnx-test-voice\.tar\.bz2\)/,
    );
  });
});
