// The transcript history as the History view shows it: a filter (search text, days, status),
// how many entries match, and the pages of them that the virtualized list has scrolled to.
// Main owns the store; this keeps only what is on screen (and near it), so that 100,000
// entries cost the window no more than 100.
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type {
  HistoryExportFormat,
  HistoryExportResult,
  HistoryItem,
  HistoryListFilter,
} from '../../../shared/ipc.ts';
import { messageOf } from '../ipc-error.ts';

/** Entries fetched per request; the list asks for the pages its visible rows fall in. */
export const PAGE_SIZE = 100;

export type StatusFilter = 'all' | 'ok' | 'failed';
export type ExportScope = 'selected' | 'matching';

/** A `YYYY-MM-DD` of a date input as ms since the epoch: the start of that local day, or for
 * the end of a range the start of the next one (so that the whole day is in it). */
export function dayBound(day: string, bound: 'from' | 'to'): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (bound === 'to') date.setDate(date.getDate() + 1);
  return date.getTime();
}

export const useHistoryStore = defineStore('history', () => {
  const query = ref('');
  const fromDay = ref('');
  const toDay = ref('');
  const status = ref<StatusFilter>('all');
  /** How many entries match; null until the first count arrives. */
  const total = ref<number | null>(null);
  /** Loaded entries by their row index in the list. */
  const rows = shallowRef(new Map<number, HistoryItem>());
  const selected = ref(new Set<number>());
  /** Entries being transcribed again. */
  const retrying = ref(new Set<number>());
  /** The outcome of the last action, for a person: a failure or a confirmation. */
  const problem = ref<string | null>(null);
  const notice = ref<string | null>(null);

  const filter = computed<HistoryListFilter>(() => {
    const f: HistoryListFilter = {};
    if (query.value.trim()) f.query = query.value.trim();
    const from = dayBound(fromDay.value, 'from');
    const to = dayBound(toDay.value, 'to');
    if (from !== undefined) f.from = from;
    if (to !== undefined) f.to = to;
    if (status.value !== 'all') f.status = status.value;
    return f;
  });
  /** Whether any filter narrows the list. */
  const filtered = computed(() => Object.keys(filter.value).length > 0);

  // Each refresh starts a generation; answers for an older one are dropped.
  let generation = 0;
  let pages = new Set<number>();
  let range: [number, number] = [0, 0];

  const pagesOf = (start: number, end: number): number[] => {
    const out: number[] = [];
    for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor(end / PAGE_SIZE); p++) out.push(p);
    return out;
  };
  const fetchPage = (f: HistoryListFilter, page: number) =>
    window.tingxie.history.list({ ...f }, page * PAGE_SIZE, PAGE_SIZE);

  const store = (into: Map<number, HistoryItem>, page: number, items: HistoryItem[]) =>
    items.forEach((item, i) => into.set(page * PAGE_SIZE + i, item));

  /** Counts again and reloads the rows on screen; the old rows stay until the new arrive. */
  async function refresh(): Promise<void> {
    const call = ++generation;
    const f = { ...filter.value };
    const wanted = pagesOf(...range);
    try {
      const [n, loaded] = await Promise.all([
        window.tingxie.history.count(f),
        Promise.all(wanted.map((p) => fetchPage(f, p))),
      ]);
      if (call !== generation) return;
      const next = new Map<number, HistoryItem>();
      wanted.forEach((p, i) => store(next, p, loaded[i]!));
      pages = new Set(wanted);
      total.value = n;
      rows.value = next;
      // The list may have scrolled meanwhile: load what it shows now.
      void show(...range);
    } catch (err) {
      if (call === generation) problem.value = messageOf(err);
    }
  }

  /** The list shows rows `start`…`end`: loads the pages they are on. */
  async function show(start: number, end: number): Promise<void> {
    range = [start, end];
    const call = generation;
    const f = { ...filter.value };
    const missing = pagesOf(start, end).filter((p) => !pages.has(p));
    for (const p of missing) pages.add(p);
    await Promise.all(
      missing.map(async (p) => {
        try {
          const items = await fetchPage(f, p);
          if (call !== generation) return;
          store(rows.value, p, items);
          triggerRef(rows);
        } catch (err) {
          pages.delete(p);
          if (call === generation) problem.value = messageOf(err);
        }
      }),
    );
  }

  /** Runs an action on the history; its failure becomes `problem`. */
  async function act<T>(work: () => Promise<T>): Promise<T | undefined> {
    problem.value = null;
    notice.value = null;
    try {
      return await work();
    } catch (err) {
      problem.value = messageOf(err);
      return undefined;
    }
  }

  const toggle = (id: number) => {
    if (!selected.value.delete(id)) selected.value.add(id);
  };

  const copy = (id: number) => act(() => window.tingxie.history.copy(id));
  const insert = (id: number) =>
    act(async () => {
      const result = await window.tingxie.history.insert(id);
      if (result.notice) notice.value = result.notice;
      return result;
    });
  async function retry(id: number): Promise<void> {
    retrying.value.add(id);
    await act(() => window.tingxie.history.retry(id));
    retrying.value.delete(id);
  }
  /** The person's correction of a transcript; with `rule` (a rules file line), that rule is
   * added to Settings → Text too. Resolves to whether all of it was done. */
  async function correct(id: number, text: string, rule?: string): Promise<boolean> {
    const corrected = await act(() => window.tingxie.history.correct(id, text));
    if (!corrected || rule === undefined) return corrected !== undefined;
    const saved = await act(() => window.tingxie.text.addRule(rule));
    if (saved && !saved.ok)
      problem.value = saved.issues.map((i) => i.params?.detail ?? '').join(' ');
    return saved?.ok === true;
  }
  async function remove(id: number): Promise<void> {
    await act(() => window.tingxie.history.delete(id));
    selected.value.delete(id);
  }
  async function removeAll(): Promise<number | undefined> {
    const deleted = await act(() => window.tingxie.history.deleteAll());
    selected.value.clear();
    return deleted;
  }
  function exportAs(
    format: HistoryExportFormat,
    scope: ExportScope,
    bom: boolean,
  ): Promise<HistoryExportResult | undefined> {
    const request =
      scope === 'selected'
        ? { format, bom, ids: [...selected.value] }
        : { format, bom, filter: { ...filter.value } };
    return act(() => window.tingxie.history.export(request));
  }

  /** Keeps the list current as main's history changes; returns the unsubscribe function. */
  function listen(): () => void {
    return window.tingxie.on('history', (change) => {
      if (change.type === 'cleared') selected.value.clear();
      if (change.type === 'deleted') change.ids.forEach((id) => selected.value.delete(id));
      void refresh();
    });
  }

  return {
    query,
    fromDay,
    toDay,
    status,
    total,
    rows,
    selected,
    retrying,
    problem,
    notice,
    filter,
    filtered,
    refresh,
    show,
    toggle,
    copy,
    insert,
    retry,
    correct,
    remove,
    removeAll,
    exportAs,
    listen,
  };
});
