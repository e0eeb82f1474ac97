// The capture pipeline in Chromium: the built AudioWorklet (resample to 16 kHz + PCM16 + 40 ms
// framing) posting each frame onto the dictation's audio port, as the app does; the port's
// other end is in a page of another site (another process), standing in for main.
// The site is served with the app's Content-Security-Policy, so the worklet compiles its filter
// (WebAssembly SIMD) as it does in the app; the bench fails if it could not.
// Frames lost: 10 minutes of audio through an OfflineAudioContext, faster than real time.
// CPU: the fake microphone in real time, at the device's rate. Over a window of audio time,
// after a warm-up, the CPU time of every thread of the capturing renderer process (Linux
// schedstat, in ns) with the capture worklet, minus the same with a no-op worklet, per second
// of audio: with the page hidden (the worklet reports no level, as while one dictates into
// another app's window) and shown (the level meter fed 10 times a second). Other work shares
// these cores, so the windows alternate, in rounds, and each figure is the median of the
// rounds' differences; the lowest and highest are reported beside it. Opening and closing the
// microphone (per dictation, not per second) is outside the windows.
// The same difference over the offline render is the pipeline's work with caches hot: a live
// audio thread sleeps between callbacks and meets its code and data cold at every frame, which
// costs more where cache and TLB misses are dear (a virtual machine).
// What the bridge costs Chromium whatever posts the frames: a third worklet does nothing but
// post a new, transferred frame of the same size on the same port as often (25 a second for
// 40 ms frames); its difference from the no-op one is reported as the posting's own cost, and
// the capture's difference from it as the pipeline's work beyond posting.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { serveDirectory } from '../test/e2e/static-server.ts';
import { launchChromium } from '../test/helpers/chromium.ts';
import { figure, percentile, type Bench, type Figure } from './figure.ts';

const root = join(import.meta.dirname, '..');
const rendererDir = join(root, 'out/renderer');
const AUDIO_SECONDS = 600;
/** Audio rendered before a window starts, and the window itself, in seconds of audio. */
const WARMUP_SECONDS = 2;
const WINDOW_SECONDS = 12;
/** Rounds of four windows: the no-op worklet, the posting-only one, then capture with the
 * page hidden (no level reports: dictating into another app's window) and shown (the level
 * meter fed). */
const ROUNDS = 6;
/** Offline runs of each worklet for the CPU of the work itself. */
const OFFLINE_RUNS = 3;
type Run = 'noop' | 'posting' | 'hidden' | 'shown';
const RUNS: Run[] = ['noop', 'posting', 'hidden', 'shown'];
const DEVICE_RATE = 48000;
const OUT_RATE = 16000;
const FRAME_MS = 40;

/** A no-op processor under the same name: what any AudioWorklet costs in Chromium. */
const NOOP_WORKLET = `registerProcessor('tingxie-capture', class extends AudioWorkletProcessor {
  process() { return true; }
});`;

/** A processor that only posts: for every frame's worth of device audio, a new frame of
 * PCM16 (zeros) on the port it is sent, as the capture worklet posts its frames. */
const POSTING_WORKLET = `registerProcessor('tingxie-capture', class extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const { outRate, frameMs } = options.processorOptions;
    this.deviceFrame = (sampleRate * frameMs) / 1000;
    this.frameSamples = Math.round((outRate * frameMs) / 1000);
    this.samples = 0;
    this.seq = 0;
    this.port.onmessage = ({ data }) => { if (data.type === 'send') this.out = data.port; };
  }
  process(inputs) {
    this.samples += inputs[0]?.[0]?.length ?? 0;
    while (this.out && this.samples >= this.deviceFrame) {
      this.samples -= this.deviceFrame;
      const pcm = new Int16Array(this.frameSamples);
      this.out.postMessage({ seq: this.seq++, pcm }, [pcm.buffer]);
    }
    return true;
  }
});`;

/** A folder with the built capture worklet, the no-op and posting-only ones, an empty page to
 * run them in, and the receiver's page. */
function benchSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-capture-bench-'));
  copyFileSync(join(rendererDir, workletAsset()), join(dir, 'capture.worklet.js'));
  writeFileSync(join(dir, 'noop.worklet.js'), NOOP_WORKLET);
  writeFileSync(join(dir, 'posting.worklet.js'), POSTING_WORKLET);
  for (const script of ['capture-page.js', 'capture-receiver.js']) {
    copyFileSync(join(import.meta.dirname, script), join(dir, script));
  }
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>capture bench</title><script src="capture-page.js"></script>',
  );
  writeFileSync(
    join(dir, 'receiver.html'),
    '<!doctype html><title>receiver</title><script src="capture-receiver.js"></script>',
  );
  return dir;
}

function workletAsset(): string {
  const find = () =>
    existsSync(join(rendererDir, 'assets'))
      ? readdirSync(join(rendererDir, 'assets')).find((f) => f.startsWith('capture.worklet-'))
      : undefined;
  if (!find()) {
    execFileSync(join(root, 'node_modules/.bin/electron-vite'), ['build'], {
      cwd: root,
      stdio: 'ignore',
    });
  }
  const name = find();
  if (!name) throw new Error('electron-vite build did not produce the capture worklet.');
  return `assets/${name}`;
}

interface PipelineArgs {
  worklet: string;
  /** False for the no-op worklet, which never answers the end of a segment. */
  answersEnd: boolean;
  /** Whether the worklet reports the level: as the app does while its page is shown. */
  levels: boolean;
  seconds: number;
  deviceRate: number;
  outRate: number;
  frameMs: number;
}

/** What capture-page.js defines in the page. */
interface CaptureBenchPage {
  openReceiver(url: string): void;
  makeAudio(args: PipelineArgs): void;
  runOffline(args: PipelineArgs): Promise<{ framesSent: number; renderMs: number }>;
  startLive(args: PipelineArgs): Promise<void>;
  untilAudioTime(seconds: number): Promise<number>;
  stopLive(): Promise<number>;
  seen: { level: number; levels: number; resampler: string | null };
}

interface ReceiverStats {
  frames: number;
  samples: number;
  gaps: number;
}

type PageGlobal = { captureBench: CaptureBenchPage; receiverStats: ReceiverStats };

/** CPU time (ns) of each thread of process `pid`, by thread id, with the thread's name. */
function threadTimes(pid: number): Map<string, { name: string; ns: number }> {
  const times = new Map<string, { name: string; ns: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      times.set(tid, { name, ns });
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return times;
}

/** Seconds of CPU between two samples, for threads alive in both: all, the audio thread
 * (Chromium's "Realtime AudioWorklet"), and the page's main thread (tid = pid). */
interface Cpu {
  total: number;
  audio: number;
  main: number;
}

function cpuBetween(pid: number, before: ReturnType<typeof threadTimes>): Cpu {
  const after = threadTimes(pid);
  const cpu: Cpu = { total: 0, audio: 0, main: 0 };
  for (const [tid, { name, ns }] of after) {
    const then = before.get(tid);
    if (!then) continue;
    const seconds = (ns - then.ns) / 1e9;
    cpu.total += seconds;
    if (name.startsWith('Realtime AudioW')) cpu.audio += seconds;
    if (tid === String(pid)) cpu.main += seconds;
  }
  return cpu;
}

const median = (values: number[]) => percentile(values, 50);

const bench: Bench = async () => {
  if (!existsSync('/proc/self/task')) {
    throw new Error('The capture bench reads per-thread CPU time from /proc: it runs on Linux.');
  }
  const site = benchSite();
  const server = await serveDirectory(site);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/index.html`);
    // Another site than the page's (localhost against 127.0.0.1), so another process.
    const popup = page.waitForEvent('popup');
    await page.evaluate(
      (url) => (globalThis as unknown as PageGlobal).captureBench.openReceiver(url),
      `${server.origin.replace('127.0.0.1', 'localhost')}/receiver.html`,
    );
    const receiver = await popup;
    await receiver.waitForLoadState();
    const received = () =>
      receiver.evaluate(() => ({ ...(globalThis as unknown as PageGlobal).receiverStats }));

    const args: PipelineArgs = {
      worklet: `${server.origin}/capture.worklet.js`,
      answersEnd: true,
      levels: true,
      seconds: AUDIO_SECONDS,
      deviceRate: DEVICE_RATE,
      outRate: OUT_RATE,
      frameMs: FRAME_MS,
    };
    await page.evaluate(
      (a) => (globalThis as unknown as PageGlobal).captureBench.makeAudio(a),
      args,
    );
    const renderers = async () => {
      const cdp = await browser.newBrowserCDPSession();
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as {
        processInfo: { type: string; id: number }[];
      };
      await cdp.detach();
      return info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
    };
    /** The renderer process of `target`: the one whose main thread works while it spins. */
    const processOf = async (target: Page) => {
      const before = new Map((await renderers()).map((pid) => [pid, threadTimes(pid)]));
      await target.evaluate(() => {
        const until = performance.now() + 300;
        while (performance.now() < until);
      });
      const spun = [...before].map(([pid, then]) => ({ pid, cpu: cpuBetween(pid, then) }));
      return spun.sort((a, b) => b.cpu.main - a.cpu.main)[0]!.pid;
    };
    const pagePid = await processOf(page);
    const receiverPid = await processOf(receiver);
    if (pagePid === receiverPid) {
      throw new Error('The receiver shares the capturing process: the figures would include it.');
    }

    /** The audio through an OfflineAudioContext; with the renderer's CPU time, in seconds. */
    const runOffline = async (worklet: 'capture' | 'noop') => {
      const before = threadTimes(pagePid);
      const run = await page.evaluate(
        (a) => (globalThis as unknown as PageGlobal).captureBench.runOffline(a),
        {
          ...args,
          worklet: `${server.origin}/${worklet}.worklet.js`,
          answersEnd: worklet !== 'noop',
        },
      );
      return { ...run, cpu: cpuBetween(pagePid, before).total };
    };
    const offline = await runOffline('capture');
    // Frames still queued on the port arrive after rendering ends.
    await receiver.waitForFunction(
      (n) => (globalThis as unknown as PageGlobal).receiverStats.frames >= n,
      offline.framesSent,
      { timeout: 30_000 },
    );
    const offlineReceived = await received();
    // The work itself, with caches hot (a thread that never sleeps): renderer CPU with the
    // capture worklet minus with the no-op one, over the same audio, a few times each.
    const offlineCpu: Record<'capture' | 'noop', number[]> = { capture: [offline.cpu], noop: [] };
    for (let i = 0; i < OFFLINE_RUNS; i++) {
      offlineCpu.noop.push((await runOffline('noop')).cpu);
      if (offlineCpu.capture.length < OFFLINE_RUNS) {
        offlineCpu.capture.push((await runOffline('capture')).cpu);
      }
    }

    /** One window of live capture: CPU per second of audio, capturing renderer and receiver. */
    const live = async (run: Run) => {
      const worklet = run === 'hidden' || run === 'shown' ? 'capture' : run;
      await page.evaluate((a) => (globalThis as unknown as PageGlobal).captureBench.startLive(a), {
        ...args,
        worklet: `${server.origin}/${worklet}.worklet.js`,
        answersEnd: worklet === 'capture',
        levels: run === 'shown',
      });
      const start = await page.evaluate(
        (t) => (globalThis as unknown as PageGlobal).captureBench.untilAudioTime(t),
        WARMUP_SECONDS,
      );
      const pageBefore = threadTimes(pagePid);
      if (![...pageBefore.values()].some((t) => t.name.startsWith('Realtime AudioW'))) {
        throw new Error(`The page's process (${pagePid}) runs no AudioWorklet thread.`);
      }
      const receiverBefore = threadTimes(receiverPid);
      const end = await page.evaluate(
        (t) => (globalThis as unknown as PageGlobal).captureBench.untilAudioTime(t),
        WARMUP_SECONDS + WINDOW_SECONDS,
      );
      const renderer = cpuBetween(pagePid, pageBefore);
      const far = cpuBetween(receiverPid, receiverBefore);
      await page.evaluate(() => (globalThis as unknown as PageGlobal).captureBench.stopLive());
      const seconds = end - start;
      // Whatever posts must have reached the receiver, or its cost is not the posting's.
      const { frames } = await received();
      if (run !== 'noop' && frames < ((WARMUP_SECONDS + WINDOW_SECONDS) * 1000) / FRAME_MS - 2) {
        throw new Error(`The ${run} window delivered only ${frames} frames to the receiver.`);
      }
      return {
        total: renderer.total / seconds,
        audio: renderer.audio / seconds,
        main: renderer.main / seconds,
        receiver: far.total / seconds,
      };
    };
    const rounds: Record<Run, Awaited<ReturnType<typeof live>>>[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Turn about, so that a trend in the machine's load favours none.
      const order = i % 2 === 0 ? RUNS : [...RUNS].reverse();
      const round: Partial<Record<Run, Awaited<ReturnType<typeof live>>>> = {};
      for (const run of order) round[run] = await live(run);
      rounds.push(round as Record<Run, Awaited<ReturnType<typeof live>>>);
    }
    const seen = await page.evaluate(() => (globalThis as unknown as PageGlobal).captureBench.seen);
    if (seen.levels === 0)
      throw new Error('The page never heard the level from the capture worklet.');
    // Under the app's Content-Security-Policy, as the app runs it.
    if (seen.resampler !== 'wasm-simd') {
      throw new Error(
        `The capture worklet resampled with ${seen.resampler}, not WebAssembly SIMD.`,
      );
    }
    const diff = (
      run: Exclude<Run, 'noop'>,
      key: 'total' | 'audio' | 'main' | 'receiver',
      from: Run = 'noop',
    ) => rounds.map((r) => (r[run][key] - r[from][key]) * 100);
    const hidden = diff('hidden', 'total');
    const shown = diff('shown', 'total');

    const due = (AUDIO_SECONDS * 1000) / FRAME_MS;
    const lost =
      Math.max(0, due - offlineReceived.frames) +
      Math.max(0, offline.framesSent - offlineReceived.frames) +
      offlineReceived.gaps;
    const figures: Figure[] = [
      figure(
        `capture: CPU per audio second (worklet + encode + bridge), page hidden, median of ${ROUNDS}`,
        median(hidden),
        '% of a core',
        0.5,
      ),
      figure('capture: … lowest round', Math.min(...hidden), '% of a core', undefined),
      figure('capture: … highest round', Math.max(...hidden), '% of a core', undefined),
      figure(
        'capture: … of it on the audio thread',
        median(diff('hidden', 'audio')),
        '% of a core',
        undefined,
      ),
      figure(
        `capture: … posting alone (${1000 / FRAME_MS} frames/s, nothing else), median`,
        median(diff('posting', 'total')),
        '% of a core',
        undefined,
      ),
      figure(
        'capture: … posting alone, on the audio thread',
        median(diff('posting', 'audio')),
        '% of a core',
        undefined,
      ),
      figure(
        'capture: … the pipeline beyond posting (capture − posting alone)',
        median(diff('hidden', 'total', 'posting')),
        '% of a core',
        undefined,
      ),
      figure(
        `capture: CPU per audio second, page shown (level meter fed), median of ${ROUNDS}`,
        median(shown),
        '% of a core',
        0.5,
      ),
      figure('capture: … lowest round', Math.min(...shown), '% of a core', undefined),
      figure('capture: … highest round', Math.max(...shown), '% of a core', undefined),
      figure(
        "capture: … of it on the page's main thread",
        median(diff('shown', 'main')),
        '% of a core',
        undefined,
      ),
      figure(
        'capture: renderer CPU per audio second, whole audio path (page shown)',
        median(rounds.map((r) => r.shown.total * 100)),
        '% of a core',
        undefined,
      ),
      figure(
        "capture: receiving end (main's stand-in, another process)",
        median(diff('hidden', 'receiver')),
        '% of a core',
        undefined,
      ),
      figure(
        `capture: frames lost over ${AUDIO_SECONDS / 60} min of audio`,
        lost,
        'frames',
        0,
        '= 0',
      ),
      figure(
        `capture: pipeline CPU per audio second, offline render (caches hot), median of ${OFFLINE_RUNS}`,
        ((median(offlineCpu.capture) - median(offlineCpu.noop)) / AUDIO_SECONDS) * 100,
        '% of a core',
        undefined,
      ),
      figure(
        'capture: offline speed, audio seconds per second',
        AUDIO_SECONDS / (offline.renderMs / 1000),
        '×',
        undefined,
      ),
    ];
    return figures;
  } finally {
    await browser.close();
    await server.close();
    rmSync(site, { recursive: true, force: true });
  }
};

export default bench;
