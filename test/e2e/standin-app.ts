// The app as Electron runs it, here: the real built main (out/main/index.js, through the
// project's package.json as `electron .` loads it) and preload, under the Electron stand-in
// (test/electron-standin), with its pages in Debian's Chromium. The test drives the pages
// with Playwright (over the DevTools protocol), and reads and moves the rest through the
// stand-in: what main sent to each page, the frames on its ports, the tray, closing windows.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Report } from '../electron-standin/control.ts';

const ROOT = join(import.meta.dirname, '../..');
const LAUNCH = join(ROOT, 'test/electron-standin/launch.ts');

export interface StandInOptions {
  /** A WAV file for the fake microphone, played once. */
  audioFile?: string;
  /** The app's data folder (a new one by default). */
  userData?: string;
  env?: Record<string, string>;
  args?: string[];
  /** false: return at once (a second instance never becomes ready). */
  waitForReady?: boolean;
}

export interface StandInApp {
  /** Everything the stand-in reported, in order. */
  readonly reports: Report[];
  readonly stderr: string;
  readonly userData: string;
  /** Resolves with the app's exit code. */
  readonly exited: Promise<number | null>;
  /** The page of the window whose URL matches (main: no hash; overlay: #overlay). */
  page(match: (url: URL) => boolean): Promise<Page>;
  mainPage(): Promise<Page>;
  overlayPage(): Promise<Page>;
  /** Waits for a report that `match` accepts, and returns it. */
  waitFor(match: (report: Report) => boolean, timeoutMs?: number): Promise<Report>;
  command(command: Command): Promise<unknown>;
  /** Events main sent with `name` (Channel.event), payloads in order. */
  events(name: string): unknown[];
  close(): Promise<void>;
}

export async function launchStandInApp(options: StandInOptions = {}): Promise<StandInApp> {
  const userData = options.userData ?? mkdtempSync(join(tmpdir(), 'tingxie-standin-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--unhandled-rejections=warn-with-error-code',
      LAUNCH,
      ROOT,
      `--user-data-dir=${userData}`,
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      ...(options.audioFile
        ? [`--use-file-for-fake-audio-capture=${options.audioFile}%noloop`]
        : []),
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, XDG_CONFIG_HOME: join(userData, 'config'), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const reports: Report[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (process.env.TINGXIE_E2E_VERBOSE) process.stderr.write(d);
  });
  child.stdout!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.on('message', (message: Report) => {
    reports.push(message);
    for (const wake of waiters) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => {
    for (const wake of waiters) wake();
  });

  const waitFor = (match: (r: Report) => boolean, timeoutMs = 30_000) =>
    new Promise<Report>((resolve, reject) => {
      const check = () => {
        const found = reports.find(match);
        if (found) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        } else if (child.exitCode !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`The app exited (${child.exitCode}) first. Its output:\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`Timed out waiting for the app. Its output:\n${stderr}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });

  let nextCommand = 1;
  const command = async (c: Command) => {
    const id = nextCommand++;
    child.send({ id, command: c });
    const answer = await waitFor((r) => r.type === 'answer' && r.id === id);
    if (answer.error) throw new Error(String(answer.error));
    return answer.value;
  };

  const ready =
    options.waitForReady === false
      ? undefined
      : await waitFor((r) => r.type === 'ready' || r.type === 'error-box', 60_000);
  let browser: Browser | undefined;
  const connect = async () =>
    (browser ??= await chromium.connectOverCDP(`http://127.0.0.1:${Number(ready?.cdpPort)}`));

  const page = async (match: (url: URL) => boolean) => {
    const b = await connect();
    for (let i = 0; i < 300; i++) {
      for (const context of b.contexts()) {
        for (const p of context.pages()) {
          const url = p.url();
          if (url.startsWith('file:') && match(new URL(url))) return p;
        }
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('No such window');
  };

  return {
    reports,
    get stderr() {
      return stderr;
    },
    userData,
    exited,
    page,
    mainPage: () => page((u) => u.hash === ''),
    overlayPage: () => page((u) => u.hash === '#overlay'),
    waitFor,
    command,
    events: (name) =>
      reports.flatMap((r) =>
        r.type === 'sent' && (r.args as { name: string }[])[0]?.name === name
          ? [(r.args as { payload: unknown }[])[0]!.payload]
          : [],
      ),
    async close() {
      await browser?.close().catch(() => {});
      if (child.exitCode === null) {
        await command({ type: 'quit' }).catch(() => {});
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
