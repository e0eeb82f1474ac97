// The History view's service over a real store in a temporary folder: filters to list and
// count, export to a path (parsed back), retry wiring, copy and insert, pushed changes.
import { parse as parseCsv } from 'csv-parse/sync';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createHistoryService,
  type HistoryServiceOptions,
} from '../../src/core/dictation/history-service.ts';
import {
  HistoryStore,
  type NewHistoryEntry,
  type RetentionLimits,
} from '../../src/core/history/index.ts';
import { silentLogger } from '../../src/core/log.ts';
import { createTextPipeline } from '../../src/core/text/index.ts';
import type { MainEventMessage } from '../../src/shared/ipc.ts';
import { presetConfig, type SessionConfig } from '../../src/shared/providers.ts';

const T0 = new Date(2026, 10, 20, 9, 0, 0).getTime();
const DAY = 86_400_000;

const entry = (text: string, at: number, extra: Partial<NewHistoryEntry> = {}) => ({
  text,
  createdAt: at,
  provider: 'local',
  model: 'pocketsphinx',
  ...extra,
});

let dir: string;
let store: HistoryStore;
let sent: MainEventMessage[];
let copied: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-history-service-'));
  store = HistoryStore.open(dir, { log: silentLogger });
  sent = [];
  copied = [];
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(options: Partial<HistoryServiceOptions> = {}) {
  return createHistoryService({
    store,
    sessionConfig: async () => presetConfig('local', { url: 'ws://127.0.0.1:9/v1/realtime' }),
    chooseExportPath: async () => undefined,
    copyText: (text) => void copied.push(text),
    sink: (message) => sent.push(message),
    log: silentLogger,
    ...options,
  });
}

function seed(): number[] {
  return store.addMany([
    entry('今天天气很好，我们去公园散步吧。', T0),
    entry('请把会议纪要发给我', T0 + DAY),
    entry('Send the quarterly report to Alice, "by Friday"', T0 + 2 * DAY),
    entry('', T0 + 3 * DAY, { status: 'failed', failureReason: 'The server closed.' }),
    entry('Remember to buy milk', T0 + 4 * DAY),
  ]);
}

/** A failed turn with a kept WAV (a second of silence: the fake transcriber never reads it). */
function failedWithAudio(): number {
  return store.add(entry('', T0 + 5 * DAY, { status: 'failed', failureReason: 'Timed out.' }), {
    samples: new Int16Array(16000),
    sampleRate: 16000,
  });
}

describe('list and count', () => {
  it('page newest first, and filter by text, days and status', async () => {
    seed();
    const history = service();
    const texts = async (filter: object, offset = 0, limit = 10) =>
      (await history.list(filter, offset, limit)).map((i) => i.text);

    expect(await texts({})).toEqual([
      'Remember to buy milk',
      '',
      'Send the quarterly report to Alice, "by Friday"',
      '请把会议纪要发给我',
      '今天天气很好，我们去公园散步吧。',
    ]);
    expect(await texts({}, 1, 2)).toEqual(['', 'Send the quarterly report to Alice, "by Friday"']);
    expect(await texts({ query: '会议' })).toEqual(['请把会议纪要发给我']);
    expect(await texts({ query: '  quarterly  ' })).toHaveLength(1);
    expect(await texts({ from: T0 + DAY, to: T0 + 3 * DAY })).toEqual([
      'Send the quarterly report to Alice, "by Friday"',
      '请把会议纪要发给我',
    ]);
    expect(await texts({ status: 'failed' })).toEqual(['']);

    expect(await history.count({})).toBe(5);
    expect(await history.count({ query: '天气' })).toBe(1);
    expect(await history.count({ status: 'ok', from: T0 + DAY })).toBe(3);
    expect(await history.count({ query: 'elephant' })).toBe(0);
  });

  it('describes each field of the list', async () => {
    const [id] = store.addMany([
      entry('Hello.', T0, {
        audioStartMs: 100,
        audioEndMs: 1600,
        rawText: 'hello',
        rulesText: 'hello',
        confidence: 0.42,
      }),
    ]);
    const audioId = failedWithAudio();
    const [failed, ok] = await service().list({}, 0, 10);
    expect(ok).toEqual({
      id,
      text: 'Hello.',
      rawText: 'hello',
      rulesText: 'hello',
      confidence: 0.42,
      createdAt: T0,
      status: 'ok',
      failureReason: null,
      durationMs: 1500,
      hasAudio: false,
    });
    expect(failed).toMatchObject({ id: audioId, status: 'failed', hasAudio: true });
  });

  it('rejects a malformed request with a reason', async () => {
    const history = service();
    await expect(history.list({}, -1, 10)).rejects.toThrow(/offset is not valid/);
    await expect(history.list({}, 0, 0)).rejects.toThrow(/page size is not valid/);
    await expect(history.list({}, 0, 501)).rejects.toThrow(/page size is not valid/);
    await expect(history.count({ status: 'lost' })).rejects.toThrow(/filter is not valid/);
    await expect(history.delete('7')).rejects.toThrow(/entry id is not valid/);
  });
});

describe('export', () => {
  it('writes the chosen entries to the chosen path (CSV with BOM parses back)', async () => {
    const ids = seed();
    const path = join(dir, 'chosen.csv');
    const asked: string[] = [];
    const history = service({
      chooseExportPath: async (format) => (asked.push(format), path),
    });
    const result = await history.export({ format: 'csv', bom: true, ids: [ids[2]!, ids[1]!] });
    expect(result).toEqual({ ok: true, path, count: 2 });
    expect(asked).toEqual(['csv']);
    const csv = readFileSync(path, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const records = parseCsv(csv, { bom: true, columns: true }) as { text: string }[];
    // Oldest first, whatever order they were chosen in.
    expect(records.map((r) => r.text)).toEqual([
      '请把会议纪要发给我',
      'Send the quarterly report to Alice, "by Friday"',
    ]);
  });

  it('writes everything a filter matches, and nothing when the dialog is cancelled', async () => {
    seed();
    const path = join(dir, 'range.json');
    const history = service({ chooseExportPath: async () => path });
    const result = await history.export({
      format: 'json',
      filter: { from: T0 + DAY, to: T0 + 3 * DAY },
    });
    expect(result).toMatchObject({ ok: true, count: 2 });
    const json = JSON.parse(readFileSync(path, 'utf8')) as { entries: { text: string }[] };
    expect(json.entries.map((e) => e.text)).toEqual([
      '请把会议纪要发给我',
      'Send the quarterly report to Alice, "by Friday"',
    ]);

    const cancelled = service();
    expect(await cancelled.export({ format: 'txt' })).toEqual({ ok: false, canceled: true });
    await expect(cancelled.export({ format: 'docx' })).rejects.toThrow(/export request/);
  });

  it('says where it could not write', async () => {
    seed();
    const path = join(dir, 'missing-folder', 'out.txt');
    const history = service({ chooseExportPath: async () => path });
    await expect(history.export({ format: 'txt' })).rejects.toThrow(
      `Could not write the export to ${path}`,
    );
  });
});

describe('retry', () => {
  it('transcribes the kept audio with the current provider and stores the text', async () => {
    const id = failedWithAudio();
    const config = presetConfig('local', { url: 'ws://127.0.0.1:1234/v1/realtime' });
    const calls: { config: SessionConfig; wav: string }[] = [];
    const history = service({
      sessionConfig: async () => config,
      transcriber: (c) => async (wav) => {
        calls.push({ config: c, wav });
        return { text: ' hello again ', provider: c.provider, model: c.model };
      },
    });
    const item = await history.retry(id);
    expect(item).toMatchObject({ id, text: 'hello again', status: 'ok', failureReason: null });
    expect(calls).toEqual([{ config, wav: store.get(id)!.audioPath }]);
    expect(sent).toContainEqual({ name: 'history', payload: { type: 'updated', ids: [id] } });
  });

  it('a failure rejects with the reason and becomes the entry’s reason', async () => {
    const id = failedWithAudio();
    const history = service({
      transcriber: () => async () => {
        throw new Error('The server is unreachable.');
      },
    });
    await expect(history.retry(id)).rejects.toThrow('Retry failed: The server is unreachable.');
    expect(store.get(id)).toMatchObject({
      status: 'failed',
      failureReason: 'Retry failed: The server is unreachable.',
    });
  });

  it('one retry of an entry at a time; none without kept audio', async () => {
    const id = failedWithAudio();
    let finish: (text: string) => void = () => {};
    let started: () => void = () => {};
    const begun = new Promise<void>((resolve) => (started = resolve));
    const history = service({
      transcriber: () => () => {
        started();
        return new Promise<string>((resolve) => (finish = resolve));
      },
    });
    const first = history.retry(id);
    await expect(history.retry(id)).rejects.toThrow(/already/);
    await begun;
    finish('done');
    await expect(first).resolves.toMatchObject({ text: 'done' });

    const [noAudio] = store.addMany([entry('', T0, { status: 'failed' })]);
    await expect(history.retry(noAudio)).rejects.toThrow(/no kept audio/);
  });
});

describe('the text pipeline and corrections', () => {
  it('a retried turn goes through the pipeline; the raw transcript is kept beside it', async () => {
    const id = failedWithAudio();
    const pipeline = await createTextPipeline({
      vocabulary: { terms: [{ term: 'Kubernetes', heardAs: ['cooper netties'] }] },
    });
    const history = service({
      transcriber: () => async () => 'deploy it on cooper netties',
      finalText: (raw) => pipeline(raw).final,
    });
    await expect(history.retry(id)).resolves.toMatchObject({
      text: 'deploy it on Kubernetes',
      rawText: 'deploy it on cooper netties',
      status: 'ok',
    });
    expect(store.get(id)).toMatchObject({
      text: 'deploy it on Kubernetes',
      rawText: 'deploy it on cooper netties',
    });
  });

  it('a correction replaces the final text, keeps the raw one, and is found by search', async () => {
    const [id] = store.addMany([
      entry('我用 cooper netties 部署', T0, { rawText: '我用cooper netties部署' }),
    ]);
    const history = service();
    const item = await history.correct(id, '我用 Kubernetes 部署');
    expect(item).toMatchObject({ text: '我用 Kubernetes 部署', rawText: '我用cooper netties部署' });
    expect((await history.list({ query: 'Kubernetes' }, 0, 10)).map((i) => i.id)).toEqual([id]);
    expect(await history.list({ query: 'cooper' }, 0, 10)).toEqual([]);
    expect(sent).toContainEqual({ name: 'history', payload: { type: 'updated', ids: [id] } });
  });

  it('refuses a correction of a failed turn, an empty one, and one of a deleted entry', async () => {
    const failed = failedWithAudio();
    const history = service();
    await expect(history.correct(failed, 'text')).rejects.toThrow('retry it first');
    const [ok] = store.addMany([entry('hello', T0)]);
    await expect(history.correct(ok, '   ')).rejects.toThrow(/correction is not valid/);
    store.delete(ok!);
    await expect(history.correct(ok, 'hi')).rejects.toThrow(/deleted meanwhile/);
  });
});

describe('copy, insert, delete, changes', () => {
  it('copies and inserts the text; a turn without text says to retry first', async () => {
    const [id] = store.addMany([entry('Remember to buy milk', T0)]);
    const inserted: string[] = [];
    const history = service({
      insertText: async (text) => (inserted.push(text), { ok: true }),
    });
    await history.copy(id);
    expect(await history.insert(id)).toEqual({ ok: true });
    expect(copied).toEqual(['Remember to buy milk']);
    expect(inserted).toEqual(['Remember to buy milk']);

    const failed = failedWithAudio();
    await expect(history.copy(failed)).rejects.toThrow('retry it first');
    await expect(history.insert(12345)).rejects.toThrow('deleted meanwhile');
  });

  it('without a way to insert, the text goes to the clipboard and the person is told', async () => {
    const [id] = store.addMany([entry('hello', T0)]);
    const result = await service().insert(id);
    expect(result.ok).toBe(false);
    expect(result.notice).toMatch(/on the clipboard/);
    expect(copied).toEqual(['hello']);
  });

  it('pushes each change of the store, at most 100 ids, until disposed', async () => {
    const history = service();
    const ids = store.addMany(
      Array.from({ length: 150 }, (_, i) => entry(`entry ${i}`, T0 + i * 1000)),
    );
    await history.delete(ids[0]!);
    expect(store.get(ids[0]!)).toBeUndefined();
    expect(await history.deleteAll()).toBe(149);
    expect(store.count()).toBe(0);
    expect(sent.map((m) => m.name)).toEqual(['history', 'history', 'history']);
    const payloads = sent.map((m) => m.payload as { type: string; ids: number[] });
    expect(payloads[0]!.type).toBe('added');
    expect(payloads[0]!.ids).toEqual(ids.slice(0, 100));
    expect(payloads[1]).toEqual({ type: 'deleted', ids: [ids[0]] });
    expect(payloads[2]).toEqual({ type: 'cleared', ids: [] });

    history.dispose();
    store.add(entry('after', T0));
    expect(sent).toHaveLength(3);
  });
});

describe('retention', () => {
  it('applies the person’s limits, and without limits deletes nothing', async () => {
    seed();
    expect(service().applyRetention(T0 + 10 * DAY)).toEqual({
      deletedEntries: 0,
      deletedAudioFiles: 0,
    });
    let limits: RetentionLimits = { days: 8, maxCount: null };
    const history = service({ limits: () => limits });
    // 8 days before T0 + 10 days: the first two entries (days 0 and 1) are older.
    expect(history.applyRetention(T0 + 10 * DAY)?.deletedEntries).toBe(2);
    limits = { days: null, maxCount: 1 };
    expect(history.applyRetention(T0 + 10 * DAY)?.deletedEntries).toBe(2);
    expect((await history.list({}, 0, 10)).map((i) => i.text)).toEqual(['Remember to buy milk']);
  });

  it('a stricter setting applies at once to what is already kept', async () => {
    // As the app opens the store: it keeps the audio it is given, for 30 days.
    store.close();
    store = HistoryStore.open(dir, { log: silentLogger, audio: { keep: 'all', days: 30 } });
    const now = Date.now();
    const kept = { samples: new Int16Array(1600), sampleRate: 16000 };
    const old = store.add(entry('from last week', now - 7 * DAY), kept);
    const ok = store.add(entry('from today', now - 60_000), kept);
    const failed = store.add(entry('', now, { status: 'failed', failureReason: 'x' }), kept);
    const files = [old, ok, failed].map((id) => store.get(id)!.audioPath!);
    const settings = { keepAudio: 'all' as 'off' | 'failed' | 'all', days: null as number | null };
    const history = service({
      limits: () => ({ days: settings.days, maxCount: null, keepAudio: settings.keepAudio }),
    });
    const withAudio = async () =>
      (await history.list({}, 0, 10)).filter((i) => i.hasAudio).map((i) => i.id);
    expect(history.applyRetention()).toEqual({ deletedEntries: 0, deletedAudioFiles: 0 });
    expect(await withAudio()).toEqual([failed, ok, old]);

    // Settings → History: "Keep the audio of" failed turns only, then transcripts for 3 days.
    settings.keepAudio = 'failed';
    sent = [];
    expect(history.applyRetention()).toEqual({ deletedEntries: 0, deletedAudioFiles: 2 });
    expect(await withAudio()).toEqual([failed]);
    expect(files.map((f) => existsSync(f))).toEqual([false, false, true]);
    expect(sent).toEqual([{ name: 'history', payload: { type: 'updated', ids: [old, ok] } }]);

    settings.days = 3;
    expect(history.applyRetention()).toEqual({ deletedEntries: 1, deletedAudioFiles: 0 });
    settings.keepAudio = 'off';
    expect(history.applyRetention()).toEqual({ deletedEntries: 0, deletedAudioFiles: 1 });
    expect(await withAudio()).toEqual([]);
    expect(readdirSync(join(dir, 'audio'))).toEqual([]);
    expect((await history.list({}, 0, 10)).map((i) => i.id)).toEqual([failed, ok]);
  });

  it('a limit the store refuses is logged, not thrown', () => {
    const errors: string[] = [];
    const history = service({
      limits: () => ({ days: -1 }),
      log: { ...silentLogger, error: (m) => void errors.push(m) },
    });
    expect(history.applyRetention()).toBeUndefined();
    expect(errors[0]).toMatch(/limits could not be applied: days must be a number/);
  });
});
