// The SQL behind list(), search() and count(). Searches walk the full-text index in its own
// order, newest first, and stop after a page: the index's rowid is each entry's `sort_key`,
// which orders entries by creation time (see schema.ts), so a page of a common word costs as
// little as a page of a rare one.
import type { SQLInputValue } from 'node:sqlite';
import type { HistoryEntry, HistoryFilter, HistoryPage } from './entry.ts';
import { matchExpression } from './search-text.ts';

/** A filter plus an optional search text, as `list()`, `count()` and export take it. */
export interface HistoryQuery extends HistoryPage {
  /** Search text: every term must occur (see search-text.ts). */
  query?: string;
}

export interface Sql {
  sql: string;
  params: Record<string, SQLInputValue>;
}

// Selected as arrays (faster than objects in node:sqlite), in this order.
const COLUMNS = [
  'id',
  'text',
  'created_at',
  'audio_start_ms',
  'audio_end_ms',
  'duration_ms',
  'provider',
  'model',
  'language',
  'dictation_id',
  'target_app',
  'status',
  'failure_reason',
  'audio_path',
  'raw_text',
  'rules_text',
  'confidence',
] as const;

export const SELECT_COLUMNS = COLUMNS.map((c) => `e.${c}`).join(', ');

/** An entry from a row selected with SELECT_COLUMNS; `audioPath` still as stored. */
export function rowToEntry(row: readonly unknown[]): HistoryEntry {
  return {
    id: row[0] as number,
    text: row[1] as string,
    createdAt: row[2] as number,
    audioStartMs: row[3] as number | null,
    audioEndMs: row[4] as number | null,
    durationMs: row[5] as number | null,
    provider: row[6] as string,
    model: row[7] as string,
    language: row[8] as string,
    dictationId: row[9] as string | null,
    targetApp: row[10] as string | null,
    status: row[11] as HistoryEntry['status'],
    failureReason: row[12] as string | null,
    audioPath: row[13] as string | null,
    // NULL: the raw text is the final text (nothing changed it, or an entry from before).
    rawText: (row[14] as string | null) ?? (row[1] as string),
    // NULL: the rules text is the final text (no clean-up changed it, or an entry from before).
    rulesText: (row[15] as string | null) ?? (row[1] as string),
    confidence: row[16] as number | null,
  };
}

/** sort_key = created_at × 1024 + the entry's place among those created in the same
 * millisecond: unique, in creation order, and within JavaScript's exact integers (to 2248).
 * It is the one order of the history (newest first = highest key), its date filter and its
 * paging cursor. Consecutive keys stay close, which keeps the indexes' rowid deltas short. */
export const SORT_KEY_SCALE = 1024;
export const keyOf = (ms: number) => Math.ceil(ms) * SORT_KEY_SCALE;
const key = (ms: string) => `(CAST(${ms} AS INTEGER) * ${SORT_KEY_SCALE})`;

/** The next free sort key in the millisecond :createdAt (may be past it when it is full). */
export const NEXT_SORT_KEY_SQL = `SELECT coalesce(max(sort_key) + 1, ${key(':createdAt')}) AS key
  FROM entries WHERE sort_key >= ${key(':createdAt')} AND sort_key < ${key(':createdAt + 1')}`;

interface Parts {
  /** The full-text MATCH expression, when there is search text: the index's rowid order then
   * drives the query. */
  match?: string;
  /** Conditions on the entries row `e`. */
  entry: string[];
  /** Conditions on the sort key, written `{key}`: the index's rowid, or e.sort_key. */
  index: string[];
  params: Record<string, SQLInputValue>;
}

function parts(query: HistoryQuery): Parts {
  const p: Parts = { entry: [], index: [], params: {} };
  p.match = query.query ? matchExpression(query.query) : undefined;
  if (p.match !== undefined) p.params.match = p.match;
  if (query.from !== undefined) {
    p.index.push(`{key} >= ${key(':from')}`);
    p.params.from = Math.ceil(query.from);
  }
  if (query.to !== undefined) {
    p.index.push(`{key} < ${key(':to')}`);
    p.params.to = Math.ceil(query.to);
  }
  if (query.status !== undefined) {
    p.entry.push('e.status = :status');
    p.params.status = query.status;
  }
  if (query.dictationId !== undefined) {
    p.entry.push('e.dictation_id = :dictationId');
    p.params.dictationId = query.dictationId;
  }
  if (query.before !== undefined) {
    // The cursor entry's own key; if it was deleted meanwhile, the start of its millisecond.
    p.index.push(
      `{key} < coalesce((SELECT sort_key FROM entries WHERE id = :beforeId), ${key(':beforeAt')})`,
    );
    p.params.beforeAt = query.before.createdAt;
    p.params.beforeId = query.before.id;
  }
  return p;
}

const where = (conditions: string[]) =>
  conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';

const keyed = (conditions: string[], sortKey: string) =>
  conditions.map((c) => c.replaceAll('{key}', sortKey));

/** FROM and WHERE for a query driven by the full-text index. CROSS JOIN keeps the index as the
 * outer loop, so that its rowid order is the result's order and a page stops early. */
function indexed(p: Parts, join: boolean): string {
  const rowid = 'entries_fts.rowid';
  const conditions = [
    'entries_fts MATCH :match',
    ...keyed(p.index, rowid),
    ...(join ? p.entry : []),
  ];
  const from = join ? `entries_fts CROSS JOIN entries e ON e.sort_key = ${rowid}` : 'entries_fts';
  return `FROM ${from} ${where(conditions)}`;
}

function page(sql: string, query: HistoryPage, params: Record<string, SQLInputValue>): Sql {
  if (query.limit === undefined && query.offset === undefined) return { sql, params };
  return {
    sql: `${sql} LIMIT :limit OFFSET :offset`,
    params: { ...params, limit: query.limit ?? -1, offset: query.offset ?? 0 },
  };
}

/** Entries newest first. */
export function listSql(query: HistoryQuery): Sql {
  const p = parts(query);
  const sql = p.match
    ? `SELECT ${SELECT_COLUMNS} ${indexed(p, true)} ORDER BY entries_fts.rowid DESC`
    : `SELECT ${SELECT_COLUMNS} FROM entries e ${where([...keyed(p.index, 'e.sort_key'), ...p.entry])}
       ORDER BY e.sort_key DESC`;
  return page(sql, query, p.params);
}

export function countSql(query: HistoryFilter & { query?: string }): Sql {
  const p = parts(query);
  if (p.match === undefined) {
    const conditions = [...keyed(p.index, 'e.sort_key'), ...p.entry];
    return { sql: `SELECT count(*) AS n FROM entries e ${where(conditions)}`, params: p.params };
  }
  // Dates are rowid ranges of the index: the entries are visited only for other filters.
  const join = p.entry.length > 0;
  return { sql: `SELECT count(*) AS n ${indexed(p, join)}`, params: p.params };
}
