// Kept turn audio: one WAV per turn under <data dir>/audio/. Paths in the database are
// relative to the data folder and written with `/`, so that a moved folder keeps working.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { encodeWav } from '../audio/wav.ts';
import type { TurnAudio } from './entry.ts';
import { AUDIO_FOLDER } from './paths.ts';

/** Which turns keep their audio, and for how long. */
export interface AudioRetention {
  /** `off`: none; `failed`: only turns that failed (so they can be retried); `all`: every turn. */
  keep: 'off' | 'failed' | 'all';
  /** Days to keep a turn's audio; null keeps it as long as its entry. */
  days: number | null;
}

export const DEFAULT_AUDIO_RETENTION: AudioRetention = { keep: 'failed', days: 30 };

export class AudioFiles {
  readonly dataDir: string;
  readonly dir: string;
  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.dir = join(dataDir, AUDIO_FOLDER);
  }

  /** Writes the WAV and syncs it to disk, so that the entry that names it never outlives it.
   * Returns the path to store (relative to the data folder). */
  write(audio: TurnAudio, createdAt: number): string {
    mkdirSync(this.dir, { recursive: true });
    const name = `${createdAt}-${randomBytes(4).toString('hex')}.wav`;
    const bytes = encodeWav(audio.samples, audio.sampleRate);
    const fd = openSync(join(this.dir, name), 'wx');
    try {
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return `${AUDIO_FOLDER}/${name}`;
  }

  absolute(stored: string): string {
    return isAbsolute(stored) ? stored : join(this.dataDir, stored);
  }

  remove(stored: string): void {
    rmSync(this.absolute(stored), { force: true });
  }

  removeAll(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Removes files that no entry names and that are older than `graceMs` — left behind when
   * the process died between writing a WAV and inserting its entry. The grace period spares
   * a file another process (the CLI beside the app) is about to insert. */
  removeOrphans(referenced: ReadonlySet<string>, now: number, graceMs: number): number {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const stored = `${AUDIO_FOLDER}/${name}`;
      if (referenced.has(stored)) continue;
      const path = join(this.dir, name);
      if (now - statSync(path).mtimeMs < graceMs) continue;
      rmSync(path, { force: true });
      removed++;
    }
    return removed;
  }
}
