// The app as Electron runs it, here: the real built main (out/main/index.js, through the
// project's package.json as `electron .` loads it) and preload, under the Electron stand-in
// (test/electron-standin), with its pages in Debian's Chromium. The test drives the pages
// with Playwright (over the DevTools protocol), and reads and moves the rest through the
// stand-in: what main sent to each page, the frames on its ports, the tray, closing windows.
import { chromium, type Browser, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Command, Report } from '../electron-standin/control.ts';
import { wire } from '../electron-standin/wire.ts';
import type { AudioFrameMessage, AudioPortMessage } from '../../src/shared/ipc.ts';

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
  /** 'deny': the microphone is refused, as when the person (or the OS) says no. Chromium's
   * fake prompt answers (--use-fake-ui-for-media-stream[=deny]), in Electron as here. */
  microphone?: 'allow' | 'deny';
  /** Script files the test runs in every page before the page's own (host.ts). */
  initScripts?: string[];
  /** true: a data folder without settings is left as a new install's, and the first run's
   * guided setup shows. By default such a folder gets the settings file of an earlier run that
   * finished the setup, so that the window opens on the Dictation view. */
  firstRun?: boolean;
}

/** A window main created, as the stand-in reported it. */
export interface WindowReport {
  id: number;
  webContents: number;
  title: string;
}

/** One message main received on an audio port. */
export interface PortFrame {
  port: number;
  /** The dictation the port was handed over for. */
  dictationId: number;
  seq: number;
  pcm: Int16Array;
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
  /** Events main sent with `name` (Channel.event), payloads in order; only those sent to the
   * page of `webContents` if given. */
  events(name: string, webContents?: number): unknown[];
  /** The newest window main created with this title ('Tingxie', 'Tingxie overlay'). */
  window(title: string): WindowReport;
  /** The arguments of every `channel` invoke main received, in order. */
  invokes(channel: string, webContents?: number): unknown[][];
  /** Every PCM frame main received on an audio port, in the order it received them. */
  frames(): PortFrame[];
  /** Presses a global shortcut; true if Tingxie holds it (control.ts press-shortcut). */
  pressShortcut(accelerator: string): Promise<boolean>;
  /** Resolves once hands-free dictation is set up (main told the windows how it works). */
  handsFreeReady(): Promise<void>;
  close(): Promise<void>;
}

const sentEvent = (r: Report): { name: string; payload: unknown } | undefined =>
  r.type === 'sent' ? (r.args as { name: string; payload: unknown }[])[0] : undefined;

export async function launchStandInApp(options: StandInOptions = {}): Promise<StandInApp> {
  const userData = options.userData ?? mkdtempSync(join(tmpdir(), 'tingxie-standin-'));
  const settingsFile = join(userData, 'settings.json');
  if (!options.firstRun && !existsSync(settingsFile)) {
    writeFileSync(settingsFile, JSON.stringify({ settings: { ui: { onboardingDone: true } } }));
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--unhandled-rejections=warn-with-error-code',
      LAUNCH,
      ROOT,
      `--user-data-dir=${userData}`,
      '--use-fake-device-for-media-stream',
      options.microphone === 'deny'
        ? '--use-fake-ui-for-media-stream=deny'
        : '--use-fake-ui-for-media-stream',
      '--autoplay-policy=no-user-gesture-required',
      ...(options.audioFile
        ? [`--use-file-for-fake-audio-capture=${options.audioFile}%noloop`]
        : []),
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: join(userData, 'config'),
        ...(options.initScripts
          ? { ELECTRON_STANDIN_INIT_SCRIPTS: options.initScripts.join(delimiter) }
          : {}),
        ...options.env,
      },
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

  const frames: PortFrame[] = [];
  const dictationOf = new Map<unknown, number>();
  let framesRead = 0;

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
    events: (name, webContents) =>
      reports.flatMap((r) => {
        const event = sentEvent(r);
        if (event?.name !== name) return [];
        return webContents === undefined || r.webContents === webContents ? [event.payload] : [];
      }),
    window(title) {
      const found = reports.findLast((r) => r.type === 'window' && r.title === title);
      if (!found) throw new Error(`No window titled ${title}`);
      return found as unknown as WindowReport;
    },
    invokes: (channel, webContents) =>
      reports.flatMap((r) =>
        r.type === 'invoke' &&
        r.channel === channel &&
        (webContents === undefined || r.webContents === webContents)
          ? [wire.decode(r.args) as unknown[]]
          : [],
      ),
    frames() {
      // Decoded once each: tests poll this while frames arrive.
      for (; framesRead < reports.length; framesRead++) {
        const r = reports[framesRead]!;
        if (r.type === 'port-opened')
          dictationOf.set(r.port, (wire.decode(r.message) as AudioPortMessage).dictationId);
        if (r.type !== 'port-message' || r.value === null) continue;
        const { seq, pcm } = wire.decode(r.value) as AudioFrameMessage;
        frames.push({ port: Number(r.port), dictationId: dictationOf.get(r.port) ?? -1, seq, pcm });
      }
      return frames;
    },
    pressShortcut: async (accelerator) =>
      (await command({ type: 'press-shortcut', accelerator })) === true,
    async handsFreeReady() {
      await waitFor((r) => sentEvent(r)?.name === 'handsFree');
    },
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
