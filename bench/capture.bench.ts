// The capture pipeline in Chromium: the built AudioWorklet (resample 48 → 16 kHz + PCM16 +
// 40 ms framing) and the bridge hop the preload makes (a MessagePort, buffers transferred).
// Frames lost: 10 minutes of audio through an OfflineAudioContext, faster than real time.
// CPU: the fake microphone in real time; the renderer process's CPU time (Chrome DevTools
// Protocol, SystemInfo.getProcessInfo) with the capture worklet, minus with a no-op worklet.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDirectory } from '../test/e2e/static-server.ts';
import { launchChromium } from '../test/helpers/chromium.ts';
import { figure, type Bench, type Figure } from './figure.ts';

const root = join(import.meta.dirname, '..');
const rendererDir = join(root, 'out/renderer');
const AUDIO_SECONDS = 600;
const LIVE_SECONDS = 15;
const DEVICE_RATE = 48000;
const OUT_RATE = 16000;
const FRAME_MS = 40;

/** A no-op processor under the same name: what any AudioWorklet costs in Chromium. */
const NOOP_WORKLET = `registerProcessor('tingxie-capture', class extends AudioWorkletProcessor {
  process() { return true; }
});`;

/** A folder with the built capture worklet, the no-op one, and an empty page to run them in. */
function benchSite(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-capture-bench-'));
  copyFileSync(join(rendererDir, workletAsset()), join(dir, 'capture.worklet.js'));
  writeFileSync(join(dir, 'noop.worklet.js'), NOOP_WORKLET);
  copyFileSync(join(import.meta.dirname, 'capture-page.js'), join(dir, 'capture-page.js'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>capture bench</title><script src="capture-page.js"></script>',
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
  seconds: number;
  deviceRate: number;
  outRate: number;
  frameMs: number;
}

interface OfflineResult {
  frames: number;
  samples: number;
  /** Frames that arrived out of sequence. */
  gaps: number;
  renderMs: number;
}

/** What capture-page.js defines in the page. */
interface CaptureBenchPage {
  makeAudio(args: PipelineArgs): void;
  runOffline(args: PipelineArgs): Promise<OfflineResult>;
  runLive(args: PipelineArgs): Promise<void>;
}

type PageGlobal = { captureBench: CaptureBenchPage };

const bench: Bench = async () => {
  const site = benchSite();
  const server = await serveDirectory(site);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/index.html`);
    const cdp = await browser.newBrowserCDPSession();
    const rendererCpu = async () => {
      const info = (await cdp.send('SystemInfo.getProcessInfo')) as {
        processInfo: { type: string; cpuTime: number }[];
      };
      return info.processInfo
        .filter((p) => p.type === 'renderer')
        .reduce((sum, p) => sum + p.cpuTime, 0);
    };
    const args: PipelineArgs = {
      worklet: `${server.origin}/capture.worklet.js`,
      seconds: AUDIO_SECONDS,
      deviceRate: DEVICE_RATE,
      outRate: OUT_RATE,
      frameMs: FRAME_MS,
    };
    await page.evaluate(
      (a) => (globalThis as unknown as PageGlobal).captureBench.makeAudio(a),
      args,
    );
    const result = await page.evaluate(
      (a) => (globalThis as unknown as PageGlobal).captureBench.runOffline(a),
      args,
    );
    // CPU in real time, as when dictating: the capture worklet against a no-op one, so that
    // the figure is our pipeline's, not Chromium's AudioWorklet thread (reported beside it).
    const live = async (worklet: string) => {
      const before = await rendererCpu();
      await page.evaluate((a) => (globalThis as unknown as PageGlobal).captureBench.runLive(a), {
        ...args,
        worklet: `${server.origin}/${worklet}`,
        seconds: LIVE_SECONDS,
      });
      return (await rendererCpu()) - before;
    };
    // Alternating, twice each, keeping the quieter run: other processes share the cores.
    const noopRuns: number[] = [];
    const captureRuns: number[] = [];
    for (let i = 0; i < 2; i++) {
      noopRuns.push(await live('noop.worklet.js'));
      captureRuns.push(await live('capture.worklet.js'));
    }
    const noop = Math.min(...noopRuns);
    const capture = Math.min(...captureRuns);
    const due = (AUDIO_SECONDS * 1000) / FRAME_MS;
    const lost = Math.max(0, due - result.frames) + result.gaps;
    const figures: Figure[] = [
      figure(
        'capture: CPU per audio second (worklet + encode + bridge)',
        (Math.max(0, capture - noop) / LIVE_SECONDS) * 100,
        '% of a core',
        0.5,
      ),
      figure(
        'capture: renderer CPU per audio second, whole audio path',
        (capture / LIVE_SECONDS) * 100,
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
        'capture: offline speed, audio seconds per second',
        AUDIO_SECONDS / (result.renderMs / 1000),
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
