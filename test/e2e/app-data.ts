// The app's data folder (its user-data folder, where main keeps the settings file and the
// history), prepared before the app starts and read the way another process reads it.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { DATABASE_FILE, HistoryStore } from '../../src/core/history/index.ts';
import { silentLogger } from '../../src/core/log.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import type { Settings } from '../../src/shared/settings.ts';

/** A new, empty data folder. */
export function newUserData(): string {
  return mkdtempSync(join(tmpdir(), 'tingxie-standin-'));
}

/** What main's settings file holds (src/main/settings-file.ts): never the API key itself. */
export interface SettingsFile {
  settings?: unknown;
  apiKeyCipher?: string;
}

const settingsPath = (userData: string) => join(userData, 'settings.json');

/** The settings file as main last wrote it; empty when it never wrote one. */
export function readSettingsFile(userData: string): SettingsFile {
  const path = settingsPath(userData);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as SettingsFile) : {};
}

/** Settings saved before the app starts (as by an earlier run, which finished the first
 * run's guided setup): the defaults, changed. */
export function writeSettings(userData: string, change: (settings: Settings) => void): void {
  const settings = defaultSettings();
  settings.ui.onboardingDone = true;
  change(settings);
  writeFileSync(settingsPath(userData), JSON.stringify({ settings }, null, '\t'));
}

/** Fills the history before the app starts (as earlier runs and the CLI would have). */
export function seedHistory<T>(userData: string, seed: (store: HistoryStore) => T): T {
  const store = HistoryStore.open(userData, { log: silentLogger });
  try {
    return seed(store);
  } finally {
    store.close();
  }
}

/** Reads the history file through a read-only connection of its own, while the app runs: what
 * is committed to the file, not what the app holds in memory. */
export function readHistory<T>(userData: string, read: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(join(userData, DATABASE_FILE), { readOnly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function historyCount(userData: string): number {
  return readHistory(userData, (db) =>
    Number((db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n),
  );
}

/** An entry's text and status, or undefined once it is deleted. */
export function historyEntry(
  userData: string,
  id: number,
): { text: string; status: string } | undefined {
  return readHistory(
    userData,
    (db) =>
      db.prepare('SELECT text, status FROM entries WHERE id = ?').get(id) as
        { text: string; status: string } | undefined,
  );
}
