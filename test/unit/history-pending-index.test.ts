// add() commits the entry only; its words reach the full-text index in a later transaction.
// Whatever is still pending, searches must see every entry, never a deleted one, and an edited
// one by its new text only.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportEntries, HistoryStore, type NewHistoryEntry } from '../../src/core/history/index.ts';
import { expectFullTextIndexWhole, indexedRows, pendingIds } from '../helpers/history-file.ts';

const entry = (text: string): NewHistoryEntry => ({ text, provider: 'local', model: 'm' });

let dir: string;
let store: HistoryStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-history-pending-'));
  store = HistoryStore.open(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const found = (q: string) => store.search(q).map((e) => e.id);

test('add() leaves the index alone; the next search indexes and finds the entry', () => {
  const id = store.add(entry('刚刚说的话 just said'));
  expect(pendingIds(dir)).toEqual([id]);
  expect(indexedRows(dir)).toBe(0);
  expect(found('刚刚说')).toEqual([id]);
  expect(pendingIds(dir)).toEqual([]);
  expect(indexedRows(dir)).toBe(1);
});

test('every query that uses the index sees pending entries: search, count, list, export', () => {
  const first = store.add(entry('第一句 first sentence'));
  expect(store.count({ query: '句' })).toBe(1);
  const second = store.add(entry('第二句 second sentence'));
  expect(store.list({ query: 'sentence' }).map((e) => e.id)).toEqual([second, first]);
  const third = store.add(entry('第三句 third sentence'));
  const csv = exportEntries(store.list({ query: '三句' }), 'csv');
  expect(csv).toContain('第三句 third sentence');
  expect(csv).not.toContain('第二句');
  expect(store.count({ query: 'sentence' })).toBe(3);
  expect(found('third')).toEqual([third]);
  // A query with no search terms does not touch the index, and needs nothing indexed.
  const fourth = store.add(entry('第四句'));
  expect(store.list({ query: '  ' }).map((e) => e.id)).toEqual([fourth, third, second, first]);
  expect(pendingIds(dir)).toEqual([fourth]);
});

test('another connection’s adds are found by this store’s next search', () => {
  const other = HistoryStore.open(dir);
  try {
    const mine = store.add(entry('我的 mine'));
    const theirs = other.add(entry('他们的 theirs'));
    expect(pendingIds(dir)).toEqual([mine, theirs]);
    expect(found('的')).toEqual([theirs, mine]);
    expect(store.count({ query: 'theirs' })).toBe(1);
  } finally {
    other.close();
  }
});

describe('deleting and editing', () => {
  test('a deleted entry is never found, pending or indexed', () => {
    const indexed = store.add(entry('旧的删除 indexed then deleted'));
    const kept = store.add(entry('留下 kept deleted-not'));
    expect(found('deleted')).toEqual([kept, indexed]);
    const pending = store.add(entry('新的删除 pending then deleted'));
    expect(pendingIds(dir)).toEqual([pending]);
    expect(store.delete(pending)).toBe(true);
    expect(store.delete(indexed)).toBe(true);
    expect(found('deleted')).toEqual([kept]);
    expect(found('删除')).toEqual([]);
    expect(indexedRows(dir)).toBe(1);
    expectFullTextIndexWhole(dir);
  });

  test('an edited entry is found by its new text and not its old, pending or indexed', () => {
    const indexed = store.add(entry('旧文本 old words one'));
    expect(found('old words')).toEqual([indexed]);
    const pending = store.add(entry('旧文本 old words two'));
    expect(pendingIds(dir)).toEqual([pending]);
    store.update(indexed, { text: '新文本 new words one' });
    store.update(pending, { text: '新文本 new words two' });
    expect(found('旧文本')).toEqual([]);
    expect(found('old')).toEqual([]);
    expect(found('新文本')).toEqual([pending, indexed]);
    expect(found('"words two"')).toEqual([pending]);
    expect(indexedRows(dir)).toBe(2);
  });

  test('retention and deleteAll leave nothing to find, and later entries are found', () => {
    const now = Date.now();
    const old = store.add({ ...entry('很久以前 long ago'), createdAt: now - 40 * 86_400_000 });
    expect(found('long ago')).toEqual([old]);
    const oldPending = store.add({
      ...entry('也很久 long ago too'),
      createdAt: now - 41 * 86_400_000,
    });
    expect(store.applyRetention({ days: 30 }, now).deletedEntries).toBe(2);
    expect(found('long ago')).toEqual([]);
    expect(store.get(oldPending)).toBeUndefined();

    store.add(entry('全部删除 all gone'));
    expect(found('gone')).toHaveLength(1);
    store.add(entry('全部删除 pending gone'));
    expect(store.deleteAll()).toBe(2);
    expect(found('gone')).toEqual([]);
    expect(indexedRows(dir)).toBe(0);
    const after = store.add(entry('删除之后 after'));
    expect(found('after')).toEqual([after]);
  });
});

test('addMany indexes its entries, and those pending before it, in its own transaction', () => {
  const pending = store.add(entry('导入之前 before import'));
  const ids = store.addMany([entry('导入一 imported one'), entry('导入二 imported two')]);
  expect(pendingIds(dir)).toEqual([]);
  expect(indexedRows(dir)).toBe(3);
  expect(found('导入')).toEqual([ids[1], ids[0], pending]);
});

test('close indexes what is pending', () => {
  const id = store.add(entry('关闭之前 before close'));
  store.close();
  expect(pendingIds(dir)).toEqual([]);
  store = HistoryStore.open(dir);
  expect(found('before close')).toEqual([id]);
});

test('pending entries are indexed by themselves once writes pause', async () => {
  const ids = [store.add(entry('停顿 pause one')), store.add(entry('停顿 pause two'))];
  expect(pendingIds(dir)).toEqual(ids);
  // The store's own timer: nothing here indexes or searches. Bounded wait on the file itself.
  await vi.waitFor(() => expect(pendingIds(dir), 'still pending after 10 s').toEqual([]), {
    timeout: 10_000,
    interval: 50,
  });
  expect(indexedRows(dir)).toBe(2);
});
