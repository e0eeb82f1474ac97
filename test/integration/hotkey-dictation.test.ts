// Hands-free dictation end to end, under Xvfb: the hotkey held and released with xdotool is
// seen by uiohook-napi; push-to-talk starts and commits a real RealtimeSession against the
// local server (pocketsphinx), fed festival speech as the microphone; the transcript is
// inserted into a real xterm, in paste mode and in type mode.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import { parseAccelerator } from '../../src/core/hotkey/accelerator.ts';
import {
  chordFor,
  connectKeyHook,
  loadUiohook,
  startKeyHook,
} from '../../src/core/hotkey/key-hook.ts';
import type { HookKeycodes, KeyHook } from '../../src/core/hotkey/key-hook.ts';
import { PushToTalk } from '../../src/core/hotkey/push-to-talk.ts';
import { createSystemInserter } from '../../src/core/output/index.ts';
import type {
  InsertMode,
  InsertResult,
  TextInserter,
  WindowRef,
} from '../../src/core/output/index.ts';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import { startLocalServer } from '../../src/server/index.ts';
import type { LocalServer } from '../../src/server/index.ts';
import { presetConfig } from '../../src/shared/providers.ts';
import { SPEECH_TOOLS, speak, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { X11_TOOLS, startXterm, startXvfb, waitFor } from '../helpers/x11.ts';
import type { XServer, Xterm } from '../helpers/x11.ts';

const skip = missingTools('hands-free dictation under Xvfb', [
  ...X11_TOOLS,
  ...SPEECH_TOOLS,
  'pocketsphinx_continuous',
]);
const RATE = 16000;
const CHUNK = (RATE * 40) / 1000;
const SENTENCE = 'the quick brown fox jumps over the lazy dog';

describe.skipIf(skip)('hold a key, speak, release: the words land in the focused window', () => {
  let x: XServer;
  let server: LocalServer;
  let term: Xterm;
  let hook: KeyHook;
  let keycodes: HookKeycodes;
  let inserter: TextInserter;

  beforeAll(async () => {
    x = await startXvfb();
    process.env.DISPLAY = x.display; // libuiohook opens the display named here
    server = await startLocalServer({ engine: 'pocketsphinx' });
    term = await startXterm(x);
    await term.focus();
    inserter = createSystemInserter({ env: x.env, platform: 'linux' });
    ({ hook, keycodes } = await loadUiohook());
    expect(startKeyHook(hook)).toEqual({ ok: true });
  });
  afterAll(async () => {
    hook?.stop();
    await term?.stop();
    await server?.close();
    // Xvfb stops when this process exits: libuiohook keeps a display connection until then.
  });

  /** What the app's dictation service does for push-to-talk, reduced to its wires. */
  function dictation(mode: InsertMode, speech: Int16Array) {
    const sessions = new Map<
      number,
      { session: RealtimeSession; target: Promise<WindowRef | undefined> }
    >();
    const done: { id: number; text: string; result: InsertResult }[] = [];
    const parsed = parseAccelerator('Right Ctrl', 'linux');
    if (!parsed.ok) throw new Error(parsed.message);
    const ptt: PushToTalk = new PushToTalk(
      chordFor(parsed.accelerator, keycodes),
      {
        start(id) {
          const session = new RealtimeSession({
            config: presetConfig('local', { url: server.url, language: 'en', vad: null }),
          });
          // The window focused at key down is where the text goes.
          sessions.set(id, { session, target: inserter.focusedWindow() });
          void session.connect();
          // The "microphone": festival speech, as fast as it comes (the session buffers it).
          for (let i = 0; i < speech.length; i += CHUNK)
            session.append(speech.subarray(i, i + CHUNK));
        },
        commit(id) {
          const { session, target } = sessions.get(id)!;
          void (async () => {
            const { turns } = await session.stop({ timeoutMs: 60_000 });
            session.close();
            const text = turns
              .map((t) => t.transcript ?? '')
              .join(' ')
              .trim();
            await ptt.keysReleased(); // never type while the user holds the hotkey
            const result = await inserter.insert(text, { mode, target: await target });
            done.push({ id, text, result });
            ptt.finished(id);
          })();
        },
        cancel(id) {
          sessions.get(id)?.session.close();
        },
      },
      // The speech is fed at once rather than over the seconds a person holds the key, so
      // the short-tap latch (unit-tested) is off here.
      { mode: 'hold', shortTapMs: 0, cancelKeys: [keycodes.Escape!] },
    );
    const disconnect = connectKeyHook(hook, ptt);
    return { ptt, done, disconnect };
  }

  for (const mode of ['paste', 'type'] as const) {
    test(`${mode} mode`, async () => {
      const speech = await readWavAsPcm16(speak(SENTENCE), RATE);
      const { ptt, done, disconnect } = dictation(mode, speech);
      try {
        const before = term.received();
        // A lone modifier: unlike Ctrl+Shift+Space (a NUL byte), it types nothing into the terminal.
        await x.run('xdotool', ['keydown', 'Control_R']);
        await waitFor(() => ptt.state === 'listening', 'the hotkey to start a dictation');
        await x.run('xdotool', ['keyup', 'Control_R']);
        await waitFor(() => ptt.state === 'finishing' || done.length > 0, 'key up to commit');
        const [first] = await waitFor(
          () => done.length > 0 && done,
          'the transcript to be inserted',
          90_000,
        );
        expect(first!.result).toEqual({ ok: true, mode });
        expect(wordErrorRate(SENTENCE, first!.text)).toBeLessThanOrEqual(0.25);
        await term.waitForText(before + first!.text);
        expect(term.received()).toBe(before + first!.text);
        expect(ptt.state).toBe('idle');
      } finally {
        disconnect();
      }
    });
  }
});
