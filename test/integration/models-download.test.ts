// The model downloader against a real HTTP server on 127.0.0.1 serving real files (random bytes
// made here, with their SHA-256): progress, resume after a cut connection, corrupt files refused,
// mirror fallback, cancel, and never a half-installed model.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CatalogModel, ModelSource } from '../../src/core/models/catalog-types.ts';
import {
  installedModel,
  installedModels,
  ModelDownloadCancelled,
  pullModel,
  removeModel,
  type PullEvent,
} from '../../src/core/models/index.ts';
import { catalogFile, sha256, testCatalogModel } from '../helpers/model-catalog.ts';
import { refusedUrl, startFileServer, type FileServer } from './models-file-server.ts';

const MODEL_BYTES = randomBytes(3 * 1024 * 1024 + 123);
const TOKENS = Buffer.from(Array.from({ length: 5000 }, (_, i) => `tok${i} ${i}`).join('\n'));

function testModel(overrides: Partial<CatalogModel> = {}): CatalogModel {
  return testCatalogModel(
    [
      catalogFile('model', 'model.int8.onnx', MODEL_BYTES),
      catalogFile('tokens', 'tokens.txt', TOKENS),
    ],
    { title: { en: 'Test', 'zh-CN': '测试' }, ...overrides },
  );
}

describe('pulling a model over HTTP', () => {
  let server: FileServer;
  let modelsDir: string;
  const events: PullEvent[] = [];

  /** Serves the test files (or `corrupt` ones of the same size) under /<mirror>/. */
  function serve(mirror: string, options: { corrupt?: boolean; only?: string } = {}) {
    for (const [name, body] of [
      ['model.int8.onnx', MODEL_BYTES],
      ['tokens.txt', TOKENS],
    ] as const) {
      if (options.only && options.only !== name) continue;
      server.routes.set(`/${mirror}/${name}`, {
        body: options.corrupt ? randomBytes(body.length) : body,
      });
    }
  }
  const source = (name: string): ModelSource => ({ name, baseUrl: `${server.url}/${name}` });
  const pull = (sources: ModelSource[], extra: Partial<Parameters<typeof pullModel>[0]> = {}) =>
    pullModel({
      modelsDir,
      model: testModel(),
      sources,
      onEvent: (e) => events.push(e),
      progressIntervalMs: 0,
      retryDelayMs: 10,
      ...extra,
    });
  const ofType = <T extends PullEvent['type']>(type: T) =>
    events.filter((e): e is Extract<PullEvent, { type: T }> => e.type === type);

  function expectNothingInstalled() {
    expect(existsSync(join(modelsDir, 'test-voice'))).toBe(false);
    expect(installedModels(modelsDir)).toEqual([]);
  }

  beforeEach(async () => {
    server = await startFileServer();
    modelsDir = join(mkdtempSync(join(tmpdir(), 'tingxie-models-')), 'models');
    events.length = 0;
  });
  afterEach(async () => {
    await server.close();
    await rm(join(modelsDir, '..'), { recursive: true, force: true });
  });

  it('reports progress (bytes, speed, time left) and installs the verified files', async () => {
    serve('hf');
    const model = await pull([source('hf')]);

    const progress = ofType('progress');
    expect(progress.length).toBeGreaterThan(3);
    const total = MODEL_BYTES.length + TOKENS.length;
    for (const [i, p] of progress.entries()) {
      expect(p.bytesTotal).toBe(total);
      expect(p.bytesPerSecond).toBeGreaterThanOrEqual(0);
      if (i > 0) expect(p.bytesDone).toBeGreaterThanOrEqual(progress[i - 1]!.bytesDone);
    }
    expect(progress.at(-1)).toMatchObject({ bytesDone: total, secondsLeft: 0 });
    expect(progress.some((p) => p.bytesPerSecond > 0 && p.secondsLeft !== undefined)).toBe(true);
    expect(ofType('start')[0]).toMatchObject({ bytesTotal: total, bytesResumed: 0 });
    expect(ofType('verified').map((e) => [e.file, e.check])).toEqual([
      ['model.int8.onnx', 'catalog'],
      ['tokens.txt', 'catalog'],
    ]);

    const dir = join(modelsDir, 'test-voice');
    expect(model).toEqual({
      id: 'test-voice',
      kind: 'sense-voice',
      languages: ['zh', 'en'],
      files: { model: join(dir, 'model.int8.onnx'), tokens: join(dir, 'tokens.txt') },
    });
    expect(readFileSync(model.files.model!).equals(MODEL_BYTES)).toBe(true);
    expect(readFileSync(model.files.tokens!).equals(TOKENS)).toBe(true);
    expect(installedModel(modelsDir, 'test-voice')).toEqual(model);
    // Only the model's folder is left: no partial download, no lock, no temporary file.
    expect(readdirSync(modelsDir)).toEqual(['test-voice']);
    expect(readdirSync(dir).sort()).toEqual([
      'model.int8.onnx',
      'tingxie-model.json',
      'tokens.txt',
    ]);
  });

  it('resumes with a Range request after the server cuts the connection mid-body', async () => {
    serve('hf');
    server.routes.get('/hf/model.int8.onnx')!.cutAfter = 1024 * 1024 + 17;
    const model = await pull([source('hf')]);

    const served = server.requests.filter((r) => r.path === '/hf/model.int8.onnx');
    expect(served).toHaveLength(2);
    expect(served[0]).toMatchObject({ range: undefined, status: 200, sent: 1024 * 1024 + 17 });
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(served[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(1024 * 1024 + 17);
    expect(served[1]).toMatchObject({ status: 206, sent: MODEL_BYTES.length - resumedAt });
    expect(ofType('retry')).toHaveLength(1);
    expect(ofType('file').map((e) => e.offset)).toEqual([0, resumedAt, 0]);
    expect(readFileSync(model.files.model!).equals(MODEL_BYTES)).toBe(true);
  });

  it('keeps resuming a connection cut again and again, as long as each brings new bytes', async () => {
    serve('hf');
    Object.assign(server.routes.get('/hf/model.int8.onnx')!, { cutAfter: 300_000, cuts: 6 });
    const model = await pull([source('hf')]);
    const served = server.requests.filter((r) => r.path === '/hf/model.int8.onnx');
    expect(served.map((r) => r.range)).toEqual([
      undefined,
      ...Array.from({ length: 6 }, () => expect.stringMatching(/^bytes=\d+-$/)),
    ]);
    const offsets = served.slice(1).map((r) => Number(/\d+/.exec(r.range!)![0]));
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b)); // each resumes further on
    expect(ofType('retry')).toHaveLength(6);
    expect(ofType('fallback')).toEqual([]);
    expect(readFileSync(model.files.model!).equals(MODEL_BYTES)).toBe(true);
  });

  it('gives up on a connection that stalls, and resumes where it stopped', async () => {
    serve('hf');
    server.routes.get('/hf/model.int8.onnx')!.stallAfter = 700_000;
    const model = await pull([source('hf')], { idleTimeoutMs: 300 });
    expect(ofType('retry')).toMatchObject([
      { source: 'hf', reason: 'no data for 0.3 s', attempt: 1 },
    ]);
    const served = server.requests.filter((r) => r.path === '/hf/model.int8.onnx');
    expect(served.map((r) => r.status)).toEqual([200, 206]);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(served[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(700_000);
    expect(readFileSync(model.files.model!).equals(MODEL_BYTES)).toBe(true);
  });

  it('refuses a corrupt file: nothing is installed and the bad bytes are deleted', async () => {
    serve('hf', { corrupt: true });
    serve('mirror', { corrupt: true });
    await expect(pull([source('hf'), source('mirror')])).rejects.toThrow(
      /model\.int8\.onnx of test-voice.*hf: model\.int8\.onnx is corrupt.*mirror: model\.int8\.onnx is corrupt/,
    );
    expectNothingInstalled();
    expect(existsSync(join(modelsDir, '.test-voice.partial', 'model.int8.onnx.part'))).toBe(false);
    expect(existsSync(join(modelsDir, '.test-voice.partial', '.lock'))).toBe(false);
    expect(() => installedModel(modelsDir, 'test-voice')).toThrow(/Unknown model "test-voice"/);
  });

  it('falls back to the next source: 404, refused, corrupt, then one that works', async () => {
    serve('corrupt', { corrupt: true });
    serve('good');
    const refused = { name: 'refused', baseUrl: `${await refusedUrl()}/x` };
    const model = await pull([source('missing'), refused, source('corrupt'), source('good')]);

    expect(ofType('fallback').map((e) => [e.file, e.source, e.reason.split(' (')[0]])).toEqual([
      ['model.int8.onnx', 'missing', 'HTTP 404 Not Found'],
      ['model.int8.onnx', 'refused', expect.stringMatching(/ECONNREFUSED/)],
      ['model.int8.onnx', 'corrupt', expect.stringMatching(/is corrupt or not the expected file/)],
      ['tokens.txt', 'missing', 'HTTP 404 Not Found'],
      ['tokens.txt', 'refused', expect.stringMatching(/ECONNREFUSED/)],
      ['tokens.txt', 'corrupt', expect.stringMatching(/is corrupt or not the expected file/)],
    ]);
    expect(readFileSync(model.files.model!).equals(MODEL_BYTES)).toBe(true);
  });

  it('downloads a resumed file whole when it fails its check, before blaming the source', async () => {
    // A mirror sends the start of a corrupt file, is cut, and goes away; the next source resumes
    // after those bytes, so the file fails its check through no fault of that source.
    server.routes.set('/flaky/model.int8.onnx', {
      body: randomBytes(MODEL_BYTES.length),
      cutAfter: 1024 * 1024,
      once: true,
    });
    serve('good');
    const model = await pull([source('flaky'), source('good')]);

    expect(ofType('fallback').map((e) => [e.file, e.source, e.reason])).toEqual([
      ['model.int8.onnx', 'flaky', 'HTTP 404 Not Found'],
      ['tokens.txt', 'flaky', 'HTTP 404 Not Found'],
    ]);
    const good = server.requests.filter((r) => r.path === '/good/model.int8.onnx');
    expect(good.map((r) => [r.range?.replace(/\d+/, 'N'), r.status])).toEqual([
      ['bytes=N-', 206],
      [undefined, 200],
    ]);
    expect(ofType('retry').at(-1)).toMatchObject({
      source: 'good',
      reason: expect.stringMatching(/model\.int8\.onnx is corrupt .*; downloading it whole$/),
    });
    expect(readFileSync(model.files.model!).equals(MODEL_BYTES)).toBe(true);
  });

  it('rejects a source that serves a file of another size before downloading it', async () => {
    server.routes.set('/short/model.int8.onnx', { body: MODEL_BYTES.subarray(0, 1000) });
    serve('good');
    await pull([source('short'), source('good')]);
    expect(ofType('fallback')[0]).toMatchObject({
      source: 'short',
      reason: `serves 1000 bytes, expected ${MODEL_BYTES.length}`,
    });
    expect(server.requests.find((r) => r.path === '/short/model.int8.onnx')?.sent).toBeLessThan(
      1000 + 1,
    );
  });

  it('cancels: nothing installed, the partial download kept, and the next pull resumes from it', async () => {
    serve('hf');
    server.routes.get('/hf/model.int8.onnx')!.chunkDelayMs = 20;
    const controller = new AbortController();
    const cancelled = pull([source('hf')], {
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'progress' && e.bytesDone > 512 * 1024) controller.abort();
      },
    });
    await expect(cancelled).rejects.toBeInstanceOf(ModelDownloadCancelled);
    await expect(cancelled).rejects.toThrow(/cancelled.*pull it again to resume/);
    expectNothingInstalled();
    const part = join(modelsDir, '.test-voice.partial', 'model.int8.onnx.part');
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(512 * 1024);
    expect(kept).toBeLessThan(MODEL_BYTES.length);
    expect(existsSync(join(modelsDir, '.test-voice.partial', '.lock'))).toBe(false);

    server.routes.get('/hf/model.int8.onnx')!.chunkDelayMs = 0;
    events.length = 0;
    const model = await pull([source('hf')]);
    expect(ofType('start')[0]!.bytesResumed).toBe(kept);
    expect(server.requests.at(-2)).toMatchObject({ range: `bytes=${kept}-`, status: 206 });
    expect(readFileSync(model.files.model!).equals(MODEL_BYTES)).toBe(true);
    expect(readdirSync(modelsDir)).toEqual(['test-voice']);
  });

  it('installs nothing when a later file fails, and keeps the verified ones for the next pull', async () => {
    serve('hf', { only: 'model.int8.onnx' });
    await expect(pull([source('hf')])).rejects.toThrow(
      /Could not download tokens\.txt of test-voice/,
    );
    expectNothingInstalled();
    expect(existsSync(join(modelsDir, '.test-voice.partial', 'model.int8.onnx'))).toBe(true);

    serve('hf');
    const before = server.requests.length;
    await pull([source('hf')]);
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/hf/tokens.txt']);
    expect(installedModel(modelsDir, 'test-voice').files.tokens).toBe(
      join(modelsDir, 'test-voice', 'tokens.txt'),
    );
  });

  it('accepts a file the catalog has no hash for by its size, and records the hash it computed', async () => {
    serve('hf');
    const model = testModel();
    model.files[1] = { role: 'tokens', name: 'tokens.txt', bytes: TOKENS.length };
    await pullModel({ modelsDir, model, sources: [source('hf')], onEvent: (e) => events.push(e) });
    expect(ofType('verified').map((e) => e.check)).toEqual(['catalog', 'recorded']);
    const manifest = JSON.parse(
      readFileSync(join(modelsDir, 'test-voice', 'tingxie-model.json'), 'utf8'),
    ) as { files: { name: string; sha256: string; check: string }[] };
    expect(manifest.files[1]).toMatchObject({
      name: 'tokens.txt',
      sha256: sha256(TOKENS),
      check: 'recorded',
    });

    // Without a hash, the size still has to be right.
    const wrong = testModel({ id: 'test-wrong' });
    wrong.files = [{ role: 'tokens', name: 'tokens.txt', bytes: TOKENS.length + 1 }];
    await expect(
      pullModel({ modelsDir, model: wrong, sources: [source('hf')], retryDelayMs: 10 }),
    ).rejects.toThrow(`serves ${TOKENS.length} bytes, expected ${TOKENS.length + 1}`);
  });

  it('lets one download of a model run at a time', async () => {
    serve('hf');
    server.routes.get('/hf/model.int8.onnx')!.chunkDelayMs = 5;
    const first = pull([source('hf')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(pull([source('hf')])).rejects.toThrow(/already being downloaded/);
    await expect(removeModel(modelsDir, 'test-voice')).rejects.toThrow(
      `test-voice is being downloaded (process ${process.pid}). Cancel that download first.`,
    );
    await first;
    await expect(pull([source('hf')])).rejects.toThrow(/already installed/);
  });
});
