// Key down → first captured sample (issue 5), in Chromium with the fake microphone, through the
// overlay page and the real main-side services, wired by bench/page-bridge.ts.
// Key down is the `start` command reaching the page (its own clock); the first frame is the
// first PCM frame reaching the main-side service (ours). Both clocks are the system's wall
// clock (performance.timeOrigin + now) on the same machine.
// - "first PCM frame at main": how long the first audio takes to reach the service;
// - "first captured sample": how much of what was said after key down is missing (> 0) or how
//   much from before it is included (< 0, the pre-roll). Measured once the capture has run for
//   a second: elapsed time since key down minus the audio main has received by then, so it
//   counts every sample, not just the first frame's timing (pessimistic by one frame's
//   transport time).
// Each mode runs ~10 dictations, each ended by a cancel (no transcription needed).
import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../src/core/audio/wav.ts';
import { createDesktopServices } from '../src/core/dictation/desktop-services.ts';
import { createHistoryService } from '../src/core/dictation/history-service.ts';
import { HistoryStore } from '../src/core/history/index.ts';
import { silentLogger } from '../src/core/log.ts';
import { RealtimeSession } from '../src/core/realtime/index.ts';
import { defaultSettings } from '../src/core/settings/defaults.ts';
import { startLocalServer } from '../src/server/index.ts';
import type { DictationStatus, MainEventMessage } from '../src/shared/ipc.ts';
import { connectBridge } from './page-bridge.ts';
import { serveDirectory } from '../test/e2e/static-server.ts';
import { launchChromium } from '../test/helpers/chromium.ts';
import { figure, percentile, type Bench, type Figure } from './figure.ts';

const root = join(import.meta.dirname, '..');
const rendererDir = join(root, 'out/renderer');
const RUNS = 10;
/** How long each dictation captures before it is measured and cancelled. */
const CAPTURE_MS = 1000;
/** The pause between two dictations (a person's): with a warm microphone it fills the pre-roll. */
const PAUSE_MS = 1000;
/** Must match useHandsFreeCapture's PRE_ROLL_MS (the renderer's; not importable here). */
const PRE_ROLL_MS = 300;

const wallClock = (): number => performance.timeOrigin + performance.now();

/** A 440 Hz tone, looped by the fake microphone, so the level meter shows when it is open. */
function toneFile(dir: string): string {
  const rate = 48000;
  const samples = new Int16Array(rate);
  for (let i = 0; i < samples.length; i++) {
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
  }
  const path = join(dir, 'tone.wav');
  writeFileSync(path, encodeWav(samples, rate));
  return path;
}

/** Runs in the page before the app: notes when main's `start` command arrives. */
function noteKeyDown(): void {
  const w = globalThis as unknown as {
    tingxie: { on(name: string, l: (p: { action: string }) => void): void };
    __keyDownAt?: number;
  };
  w.tingxie.on('command', ({ action }) => {
    if (action === 'start') w.__keyDownAt = performance.timeOrigin + performance.now();
  });
}

interface Run {
  /** Key down → the first frame at main. */
  firstFrameMs: number;
  /** ms of audio after key down that main never got (< 0: audio from before key down). */
  gapMs: number;
}

async function measure(warm: boolean, origin: string, dir: string, url: string): Promise<Run[]> {
  const browser = await launchChromium(
    { audioFile: join(dir, 'tone.wav'), loopAudio: true },
    { ignoreDefaultArgs: ['--mute-audio'] },
  );
  const settings = defaultSettings();
  settings.handsFree.keepMicrophoneWarm = warm;
  settings.handsFree.sounds = false;
  const rate = settings.server.sampleRate;
  let stored: unknown = settings;
  const events: MainEventMessage[] = [];
  let arrivals: { at: number; samples: number }[] = [];
  /** Conditions waited for, checked whenever a frame or an event reaches main. */
  const waiters = new Set<() => void>();
  const until = (done: () => boolean, timeoutMs: number, why: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`keydown bench: ${why} within ${timeoutMs} ms.`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const wake = () => waiters.forEach((check) => check());
  const store = HistoryStore.open(join(dir, `history-${warm ? 'warm' : 'cold'}`), {
    log: silentLogger,
  });
  try {
    const page = await browser.newPage();
    const bridge = await connectBridge(
      page,
      origin,
      () => services,
      () => history,
    );
    await page.addInitScript(noteKeyDown);
    const services = createDesktopServices({
      settingsBackend: { read: () => stored, write: (s) => (stored = s) },
      apiKeyBackend: { read: () => undefined, write: () => {} },
      cipher: {
        available: async () => true,
        encrypt: async (plain) => Buffer.from(plain),
        decrypt: async (cipher) => ({
          result: Buffer.from(cipher).toString(),
          shouldReEncrypt: false,
        }),
      },
      createSession: (config) => new RealtimeSession({ config, log: silentLogger }),
      createTestSession: (config) => new RealtimeSession({ config, log: silentLogger }),
      startLocalServer: async () => ({ url, close: async () => {} }),
      sink: (message) => {
        events.push(message);
        bridge.push(message);
        wake();
      },
      log: silentLogger,
      appInfo: () => ({ version: 'bench', platform: process.platform, shortcut: '' }),
    });
    const history = createHistoryService({
      store,
      sessionConfig: () => services.sessionConfig(),
      chooseExportPath: async () => undefined,
      copyText: () => {},
      insertText: async () => ({ ok: true }),
      sink: () => {},
      log: silentLogger,
      limits: () => ({ days: null, maxCount: null }),
    });
    const pushFrame = services.pushFrame;
    services.pushFrame = (seq, pcm, dictationId) => {
      arrivals.push({ at: wallClock(), samples: pcm.length });
      pushFrame(seq, pcm, dictationId);
      wake();
    };

    await page.goto(`${origin}/index.html#overlay`);
    await page.getByTestId('overlay').waitFor();
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (warm) {
        await waitForLevel(page, 'open', 'the warm microphone did not open');
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
      arrivals = [];
      const idleBefore = idleCount(events);
      bridge.push({ name: 'command', payload: { action: 'start' } });
      await until(
        () => arrivals.some((a) => a.at - arrivals[0]!.at >= CAPTURE_MS),
        CAPTURE_MS + 10_000,
        'no second of audio reached main',
      );
      const keyDownAt = await page.evaluate(
        () => (globalThis as unknown as { __keyDownAt: number }).__keyDownAt,
      );
      const end = arrivals.findIndex((a) => a.at - keyDownAt >= CAPTURE_MS);
      const upTo = arrivals.slice(0, end + 1);
      const received = upTo.reduce((n, a) => n + a.samples, 0);
      runs.push({
        firstFrameMs: arrivals[0]!.at - keyDownAt,
        gapMs: upTo.at(-1)!.at - keyDownAt - (received / rate) * 1000,
      });
      bridge.push({ name: 'command', payload: { action: 'cancel' } });
      await until(() => idleCount(events) > idleBefore, 10_000, 'the cancel did not end it');
      if (!warm) await waitForLevel(page, 'shut', 'the microphone stayed open');
    }
    history.dispose();
    await services.dispose();
    return runs;
  } finally {
    await browser.close();
    store.close();
  }
}

function idleCount(events: readonly MainEventMessage[]): number {
  return events.filter(
    (e) => e.name === 'dictation' && (e.payload as DictationStatus).state === 'idle',
  ).length;
}

/** Waits for the overlay's level meter (0..100) to satisfy `ok`: the microphone open or shut. */
async function waitForLevel(page: Page, ok: 'open' | 'shut', why: string): Promise<void> {
  await page
    .waitForFunction(
      (open) => {
        // The page's DOM (the bench's tsconfig knows only Node's lib).
        type Doc = { querySelector(s: string): { getAttribute(n: string): string | null } | null };
        const doc = (globalThis as unknown as { document: Doc }).document;
        const value = doc.querySelector('[role=meter]')?.getAttribute('aria-valuenow');
        return open ? Number(value) > 0 : value === '0';
      },
      ok === 'open',
      { polling: 10, timeout: 10_000 },
    )
    .catch(() => {
      throw new Error(`keydown bench: ${why} within 10 s.`);
    });
}

const bench: Bench = async () => {
  if (!existsSync(join(rendererDir, 'index.html'))) {
    execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], {
      cwd: root,
      stdio: 'ignore',
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-keydown-bench-'));
  const site = await serveDirectory(rendererDir);
  const server = await startLocalServer({ engine: 'pocketsphinx', log: silentLogger });
  try {
    toneFile(dir);
    const cold = await measure(false, site.origin, dir, server.url);
    const warm = await measure(true, site.origin, dir, server.url);
    const figures: Figure[] = [];
    for (const [mode, runs] of [
      ['cold', cold],
      ['warm', warm],
    ] as const) {
      const first = runs.map((r) => r.firstFrameMs);
      const gaps = runs.map((r) => r.gapMs);
      figures.push(
        figure(
          `keydown: key down → first PCM frame at main, mic ${mode}, p50`,
          percentile(first, 50),
          'ms',
          undefined,
        ),
        figure(
          `keydown: key down → first PCM frame at main, mic ${mode}, p95`,
          percentile(first, 95),
          'ms',
          undefined,
        ),
      );
      for (const p of [50, 95]) {
        figures.push(
          mode === 'cold'
            ? figure(
                `keydown: key down → first captured sample, mic cold, p${p}`,
                percentile(gaps, p),
                'ms',
                undefined,
                `reported: the microphone opening (no audio is kept while idle); covered only by ` +
                  `"keep microphone warm" (${PRE_ROLL_MS} ms pre-roll)`,
              )
            : figure(
                `keydown: key down → first captured sample, mic warm, p${p}`,
                percentile(gaps, p),
                'ms',
                0,
                `≤ 0 ms: the ${PRE_ROLL_MS} ms pre-roll (whole 40 ms frames) starts before key down`,
              ),
        );
      }
    }
    return figures;
  } finally {
    await server.close();
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
