// Hands-free latency (issue 5), under a private Xvfb with a real xterm:
// - key up → the push-to-talk machine's commit callback (target ≤ 10 ms p95): from the X
//   server's timestamp on the key release (xdotool's) to the callback, on the same clock;
// - `completed` received → text visible in the xterm, paste mode (target ≤ 50 ms p95): from
//   the call to insert() to the terminal's program reading the text;
// - the same in type mode, the whole paste including the clipboard restore, and end to end
//   key up → text for a 3-second utterance on the local server (pocketsphinx), beside the
//   time the server took to answer (`completed` after key up): reported.
import { readWavAsPcm16 } from '../src/core/audio/wav.ts';
import { parseAccelerator } from '../src/core/hotkey/accelerator.ts';
import {
  chordFor,
  connectKeyHook,
  loadUiohook,
  startKeyHook,
} from '../src/core/hotkey/key-hook.ts';
import { PushToTalk } from '../src/core/hotkey/push-to-talk.ts';
import { createSystemInserter } from '../src/core/output/index.ts';
import type { InsertMode, TextInserter, WindowRef } from '../src/core/output/index.ts';
import { RealtimeSession } from '../src/core/realtime/index.ts';
import { startLocalServer } from '../src/server/index.ts';
import { presetConfig } from '../src/shared/providers.ts';
import { SPEECH_TOOLS, speak } from '../test/helpers/speech.ts';
import { hasCommand } from '../test/helpers/tools.ts';
import { X11_TOOLS, setClipboard, startXterm, startXvfb, waitFor } from '../test/helpers/x11.ts';
import type { XServer, Xterm } from '../test/helpers/x11.ts';
import { figure, percentile } from './figure.ts';
import type { Bench, Figure } from './figure.ts';

const RATE = 16000;
const UTTERANCE = 'please send the quarterly report to the team today';

/** The X server's clock: CLOCK_MONOTONIC in ms, 32 bits — the `time` uiohook reports. */
const serverClockMs = (): number => Number((process.hrtime.bigint() / 1_000_000n) % 2n ** 32n);

async function keyUpToCommitMs(x: XServer, rounds: number): Promise<number[]> {
  const { hook, keycodes } = await loadUiohook();
  const started = startKeyHook(hook);
  if (!started.ok) throw new Error(started.reason);
  const parsed = parseAccelerator('F9', 'linux');
  if (!parsed.ok) throw new Error(parsed.message);
  let commitAt = 0;
  let starts = 0;
  const ptt = new PushToTalk(
    chordFor(parsed.accelerator, keycodes),
    {
      start: () => starts++,
      commit: (id) => {
        commitAt = serverClockMs();
        ptt.finished(id);
      },
      cancel: () => {},
    },
    { mode: 'hold', shortTapMs: 0 },
  );
  const disconnect = connectKeyHook(hook, ptt);
  const latencies: number[] = [];
  // Registered after the machine, so it runs once the commit callback has.
  const onKeyUp = (e: { keycode: number; time?: number }): void => {
    if (e.keycode === keycodes.F9 && e.time !== undefined)
      latencies.push((commitAt - e.time + 2 ** 32) % 2 ** 32);
  };
  hook.on('keyup', onKeyUp);
  try {
    for (let i = 0; i < rounds; i++) {
      // The X server stamps the release when xdotool sends it; uiohook passes the stamp on.
      await x.run('xdotool', ['keydown', 'F9', 'keyup', 'F9']);
      await waitFor(() => latencies.length > i, 'the hook to see F9 go up', 2000);
    }
  } finally {
    hook.off('keyup', onKeyUp);
    disconnect();
    hook.stop();
  }
  if (starts !== rounds) throw new Error(`${starts} dictations started for ${rounds} presses.`);
  return latencies;
}

/** insert() → text visible, and insert() → done (clipboard restored), per round. */
async function insertLatencyMs(
  x: XServer,
  term: Xterm,
  inserter: TextInserter,
  mode: InsertMode,
  rounds: number,
): Promise<{ visible: number[]; done: number[] }> {
  const target = await inserter.focusedWindow();
  const visible: number[] = [];
  const done: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await setClipboard(x, `clipboard before round ${i}`);
    const text = `Round ${i}: 听写 dictation lands here. `;
    const expected = term.received() + text;
    const t0 = performance.now();
    const seen = term.waitForText(expected).then(() => performance.now());
    const result = await inserter.insert(text, { mode, target });
    const finished = performance.now();
    if (!result.ok) throw new Error(`insert failed: ${result.notice}`);
    visible.push((await seen) - t0);
    done.push(finished - t0);
  }
  return { visible, done };
}

/** Key up → `completed` and key up → text visible, for a spoken utterance, as the app does it. */
async function endToEndMs(
  term: Xterm,
  inserter: TextInserter,
  rounds: number,
): Promise<{ completed: number[]; visible: number[]; audioMs: number }> {
  const server = await startLocalServer({ engine: 'pocketsphinx' });
  const speech = await readWavAsPcm16(speak(UTTERANCE), RATE);
  const completed: number[] = [];
  const visible: number[] = [];
  try {
    const target: WindowRef | undefined = await inserter.focusedWindow();
    for (let i = 0; i < rounds; i++) {
      const session = new RealtimeSession({
        config: presetConfig('local', { url: server.url, language: 'en', vad: null }),
      });
      await session.connect();
      // The microphone, in 40 ms frames, already captured by the time the key goes up.
      for (let o = 0; o < speech.length; o += 640) session.append(speech.subarray(o, o + 640));
      const before = term.received();
      const keyUp = performance.now(); // commit() runs here, in the commit callback
      let completedAt = 0;
      session.on('completed', () => (completedAt ||= performance.now()));
      const { turns } = await session.stop({ timeoutMs: 60_000 });
      session.close();
      const text = `${turns.map((t) => t.transcript ?? '').join(' ')} `;
      const seen = term.waitForText(before + text).then(() => performance.now());
      await inserter.insert(text, { mode: 'paste', target });
      completed.push(completedAt - keyUp);
      visible.push((await seen) - keyUp);
    }
  } finally {
    await server.close();
  }
  return { completed, visible, audioMs: (speech.length * 1000) / RATE };
}

const bench: Bench = async () => {
  const missing = [...X11_TOOLS, ...SPEECH_TOOLS, 'pocketsphinx_continuous'].filter(
    (t) => !hasCommand(t),
  );
  if (missing.length) {
    console.warn(`handsfree: skipped, missing ${missing.join(', ')}`);
    return [];
  }
  // Xvfb stops when this process exits (libuiohook keeps its display connection until then).
  const x = await startXvfb();
  process.env.DISPLAY = x.display;
  const term = await startXterm(x);
  const figures: Figure[] = [];
  try {
    await term.focus();
    const inserter = createSystemInserter({ env: x.env, platform: 'linux' });

    const keyUp = await keyUpToCommitMs(x, 40);
    figures.push(
      figure('hands-free: key up → commit callback, p95', percentile(keyUp, 95), 'ms', 10),
    );

    const paste = await insertLatencyMs(x, term, inserter, 'paste', 25);
    figures.push(
      figure(
        'hands-free: completed → text in xterm, paste, p95',
        percentile(paste.visible, 95),
        'ms',
        50,
      ),
      figure(
        'hands-free: completed → text in xterm, paste, median',
        percentile(paste.visible, 50),
        'ms',
        undefined,
      ),
      figure(
        'hands-free: paste incl. clipboard restore, p95',
        percentile(paste.done, 95),
        'ms',
        undefined,
      ),
    );
    const type = await insertLatencyMs(x, term, inserter, 'type', 5);
    figures.push(
      figure(
        'hands-free: completed → text in xterm, type (32 chars), p95',
        percentile(type.visible, 95),
        'ms',
        undefined,
      ),
    );

    const e2e = await endToEndMs(term, inserter, 3);
    figures.push(
      figure(
        `hands-free: key up → completed (local server, ${(e2e.audioMs / 1000).toFixed(1)} s speech), median`,
        percentile(e2e.completed, 50),
        'ms',
        undefined,
      ),
      figure(
        `hands-free: key up → text in xterm (same), median`,
        percentile(e2e.visible, 50),
        'ms',
        undefined,
      ),
    );
  } finally {
    await term.stop();
  }
  return figures;
};

export default bench;
