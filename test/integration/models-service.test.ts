// The app's model manager (Settings → Local models) against a real HTTP server on 127.0.0.1:
// the window's view of the catalog, a download's pushed progress to the end, the local server's
// engine following what is installed, cancel and resume, removal.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { CATALOG_ENV } from '../../src/core/models/index.ts';
import { createModelsService } from '../../src/core/models/models-service.ts';
import type { ModelDownloadStatus } from '../../src/shared/models.ts';
import { catalogFile, testCatalogModel } from '../helpers/model-catalog.ts';
import { startFileServer, type FileServer } from './models-file-server.ts';

const MODEL_BYTES = randomBytes(2 * 1024 * 1024 + 3);
const TOKENS = Buffer.from('<blk> 0\n你 1\n好 2\n');
const MODEL = testCatalogModel([
  catalogFile('model', 'model.int8.onnx', MODEL_BYTES),
  catalogFile('tokens', 'tokens.txt', TOKENS),
]);

describe('the app’s model manager', () => {
  const work = mkdtempSync(join(tmpdir(), 'tingxie-models-service-'));
  const saved = process.env[CATALOG_ENV];
  let server: FileServer;

  beforeAll(async () => {
    writeFileSync(join(work, 'catalog.json'), JSON.stringify([MODEL]));
    process.env[CATALOG_ENV] = join(work, 'catalog.json');
    server = await startFileServer();
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env[CATALOG_ENV];
    else process.env[CATALOG_ENV] = saved;
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });
  afterEach(() => server.routes.clear());

  function serve(options: { chunkDelayMs?: number } = {}) {
    server.routes.set('/test/voice/resolve/r1/model.int8.onnx', { body: MODEL_BYTES, ...options });
    server.routes.set('/test/voice/resolve/r1/tokens.txt', { body: TOKENS });
  }

  function manager(name: string, model = '') {
    const pushed: ModelDownloadStatus[] = [];
    let changes = 0;
    const service = createModelsService({
      modelsDir: join(work, name, 'models'),
      choice: () => ({ model, mirror: server.url, locale: 'zh-CN' }),
      onDownload: (s) => pushed.push(s),
      onInstalledChange: () => changes++,
      log: silentLogger,
    });
    return { service, pushed, changes: () => changes };
  }

  it('downloads from the mirror with progress, installs, and the local server then runs it', async () => {
    serve();
    const { service, pushed, changes } = manager('a');
    const before = await service.view();
    expect(before.models.map((m) => [m.id, m.installed, m.bytes])).toEqual([
      ['test-voice', false, MODEL_BYTES.length + TOKENS.length],
    ]);
    expect(before.activeModelId).toBeUndefined();
    // Before the models folder exists, the free space of the disk it will be on.
    expect(before.freeBytes).toBeGreaterThan(0);
    expect(service.engine()).toBeUndefined();

    const end = await service.download('test-voice');
    expect(end).toMatchObject({ modelId: 'test-voice', state: 'installed', source: 'custom' });
    expect(pushed[0]).toMatchObject({ state: 'downloading', bytesDone: 0 });
    expect(pushed.at(-1)).toEqual(end);
    const done = pushed.map((s) => s.bytesDone);
    expect(done).toEqual([...done].sort((x, y) => x - y)); // progress only grows
    expect(changes()).toBe(1);

    const after = await service.view();
    expect(after.models[0]).toMatchObject({ installed: true, partialBytes: 0 });
    expect(after.models[0]!.diskBytes).toBeGreaterThanOrEqual(MODEL_BYTES.length);
    expect(after.activeModelId).toBe('test-voice');
    expect(after.downloads).toEqual([]);
    expect(service.engine()?.engineOptions.model).toMatchObject({
      id: 'test-voice',
      kind: 'sense-voice',
    });

    await service.remove('test-voice');
    expect(changes()).toBe(2);
    expect((await service.view()).models[0]).toMatchObject({ installed: false, diskBytes: 0 });
    expect(service.engine()).toBeUndefined();
  });

  it('a cancelled download is kept, shown as partly done, and resumed', async () => {
    serve({ chunkDelayMs: 50 });
    const { service, pushed } = manager('b');
    const downloading = service.download('test-voice');
    await expect.poll(() => pushed.some((s) => s.bytesDone > 0), { timeout: 10_000 }).toBe(true);
    expect((await service.view()).downloads).toMatchObject([{ modelId: 'test-voice' }]);
    // A second Download while one runs joins it, and ends as it does.
    const again = service.download('test-voice');
    service.cancel('test-voice');
    expect(await downloading).toMatchObject({ state: 'cancelled' });
    expect(await again).toEqual(await downloading);
    const partial = (await service.view()).models[0]!;
    expect(partial.installed).toBe(false);
    expect(partial.partialBytes).toBeGreaterThan(0);

    serve();
    const resumed = await service.download('test-voice');
    expect(resumed.state).toBe('installed');
    expect(server.requests.some((r) => r.status === 206)).toBe(true);
  });

  it('a chosen model that is not installed makes the engine say so; an unknown id is refused', async () => {
    const { service } = manager('c', 'test-voice');
    expect(() => service.engine()).toThrow(/not installed/);
    expect((await service.view()).activeModelId).toBeUndefined();
    await expect(service.download('nope')).rejects.toThrow(/Unknown model "nope"/);
  });
});
