// Hands-free dictation end to end, under Xvfb: the hotkey held and released with xdotool is
// seen by uiohook-napi; push-to-talk starts and commits a real RealtimeSession against the
// local server (pocketsphinx), fed festival speech as the microphone; the transcript is
// inserted into a real xterm, in paste mode and in type mode. Then the app's own wiring
// (HandsFreeController + DictationService) with two overlapping dictations: the second is held
// while the first is still being transcribed, its capture starts at once, and the xterm shows
// the first one's text before the second's.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import { DictationService } from '../../src/core/dictation/dictation-service.ts';
import { HandsFreeController, type CaptureControl } from '../../src/core/dictation/hands-free.ts';
import { connectKeyHook, loadUiohook, startKeyHook } from '../../src/core/hotkey/key-hook.ts';
import type { HookKeycodes, KeyHook } from '../../src/core/hotkey/key-hook.ts';
import { PushToTalk } from '../../src/core/hotkey/push-to-talk.ts';
import { silentLogger } from '../../src/core/log.ts';
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
import type { DictationTranscript, MainEventMessage } from '../../src/shared/ipc.ts';
import { presetConfig } from '../../src/shared/providers.ts';
import { linuxChord } from '../helpers/hotkey.ts';
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
    const ptt: PushToTalk = new PushToTalk(
      linuxChord('Right Ctrl', keycodes),
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

  test('a second dictation held while the first is still transcribing: captured from its first word, inserted after the first', async () => {
    // pocketsphinx behind a gate: the first turn's recognition waits until the test opens it —
    // after the second's transcript has come — so the two dictations overlap for certain, and
    // the second completes first.
    const dir = mkdtempSync(join(tmpdir(), 'tingxie-overlap-'));
    const gate = join(dir, 'gate');
    const script =
      `if mkdir '${join(dir, 'first')}' 2>/dev/null; then ` +
      `until [ -e '${gate}' ]; do sleep 0.02; done; fi; ` +
      'exec pocketsphinx_continuous -infile "$1" -logfn /dev/null';
    const slowServer = await startLocalServer({
      engine: 'command',
      engineOptions: { command: ['sh', '-c', script, 'sh', '{wav}'], sampleRate: RATE },
    });
    const a = await readWavAsPcm16(speak(SENTENCE), RATE);
    const b = await readWavAsPcm16(speak(SECOND_SENTENCE), RATE);
    const mic = new LiveMicrophone();
    const events: MainEventMessage[] = [];
    const finals = () =>
      events.flatMap((e) => {
        const t = e.payload as DictationTranscript;
        return e.name === 'transcript' && t.type === 'completed'
          ? [{ dictationId: t.dictationId, text: t.transcript.trim() }]
          : [];
      });
    const service: DictationService = new DictationService({
      createSession: (config) => new RealtimeSession({ config }),
      sessionConfig: async () =>
        presetConfig('local', { url: slowServer.url, language: 'en', vad: null }),
      usesLocalServer: () => false,
      startLocalServer: () => Promise.reject(new Error('not used')),
      sink: (message) => {
        events.push(message);
        controller.handleEvent(message);
      },
      log: silentLogger,
      finishTimeoutMs: 90_000,
    });
    const notices: string[] = [];
    const controller: HandsFreeController = new HandsFreeController({
      capture: rendererCapture(service, mic),
      inserter,
      output: () => ({ mode: 'paste', trailingSpace: true, leaveOnClipboard: false }),
      notify: (message) => notices.push(message),
      log: silentLogger,
      chord: linuxChord('Right Ctrl', keycodes),
      mode: 'hold',
      cancelKeys: [keycodes.Escape!],
    });
    const onDown = (e: { keycode: number }) => controller.keyDown(e.keycode);
    const onUp = (e: { keycode: number }) => controller.keyUp(e.keycode);
    hook.on('keydown', onDown);
    hook.on('keyup', onUp);
    try {
      await term.focus();
      const before = term.received();
      // Sentence A, held for as long as it is said.
      await x.run('xdotool', ['keydown', 'Control_R']);
      await waitFor(() => controller.state === 'listening', 'the hotkey to start dictation A');
      await mic.say(a);
      await x.run('xdotool', ['keyup', 'Control_R']);
      await waitFor(() => controller.state === 'finishing', 'key up to stop dictation A');
      // At once, B: the person starts speaking as the key goes down, while A is transcribed.
      await x.run('xdotool', ['keydown', 'Control_R']);
      const saying = mic.say(b);
      await waitFor(() => controller.state === 'listening', 'the hotkey to start dictation B');
      expect(service.status, 'B is capturing beside A').not.toBe('idle');
      expect(finals(), 'A has no transcript yet').toEqual([]);
      await saying;
      await x.run('xdotool', ['keyup', 'Control_R']);
      const [second] = await waitFor(
        () => finals().length > 0 && finals(),
        "B's transcript (A's is held back)",
        60_000,
      );
      writeFileSync(gate, '');
      const [, first] = await waitFor(
        () => finals().length > 1 && finals(),
        "A's transcript",
        60_000,
      );
      expect(second!.dictationId).toBeGreaterThan(first!.dictationId!);
      expect(wordErrorRate(SENTENCE, first!.text), `A heard “${first!.text}”`).toBeLessThanOrEqual(
        0.25,
      );
      expect(
        wordErrorRate(SECOND_SENTENCE, second!.text),
        `B heard “${second!.text}”`,
      ).toBeLessThanOrEqual(0.25);
      expect(second!.text.split(' ')[0], "B's first word is not cut").toBe('please');
      // In dictation order, though B's text came first.
      const expected = `${before}${first!.text} ${second!.text} `;
      await term.waitForText(expected, 30_000);
      expect(term.received()).toBe(expected);
      await waitFor(() => controller.state === 'idle', 'both dictations to finish');
      expect(notices).toEqual([]);
    } finally {
      hook.off('keydown', onDown);
      hook.off('keyup', onUp);
      controller.dispose();
      mic.close();
      await service.dispose();
      await slowServer.close();
    }
  }, 180_000);
});

const SECOND_SENTENCE = 'please call me back when you get home';
const FRAME_MS = 40;

/** A microphone in a room where someone speaks: `say()` starts speaking now, in real time
 * (after a short breath); a listener hears only what is said while it listens. */
class LiveMicrophone {
  readonly #listeners = new Set<(pcm: Int16Array) => void>();
  readonly #ticker: ReturnType<typeof setInterval>;
  #speech = new Int16Array(0);
  #spokenAt = 0;
  #heard = 0;
  #done: (() => void) | undefined;

  constructor() {
    this.#spokenAt = performance.now();
    this.#ticker = setInterval(() => this.#tick(), FRAME_MS);
  }

  /** Starts saying `pcm`; resolves once it has been said (and a short silence after it). */
  say(pcm: Int16Array): Promise<void> {
    const breath = (RATE * 150) / 1000;
    this.#speech = new Int16Array(breath + pcm.length + 2 * breath);
    this.#speech.set(pcm, breath);
    this.#spokenAt = performance.now();
    this.#heard = 0;
    return new Promise((resolve) => (this.#done = resolve));
  }

  /** Hears from now on; returns the function that stops listening. */
  listen(onFrame: (pcm: Int16Array) => void): () => void {
    this.#listeners.add(onFrame);
    return () => this.#listeners.delete(onFrame);
  }

  close(): void {
    clearInterval(this.#ticker);
  }

  #tick(): void {
    // By the clock, not by the timer count: a late tick delivers everything since the last.
    const due = Math.round(((performance.now() - this.#spokenAt) * RATE) / 1000);
    const frame = new Int16Array(Math.max(0, due - this.#heard));
    frame.set(this.#speech.subarray(this.#heard, due).subarray(0, frame.length));
    this.#heard += frame.length;
    if (frame.length) for (const l of this.#listeners) l(frame);
    if (this.#done && this.#heard >= this.#speech.length) {
      this.#done();
      this.#done = undefined;
    }
  }
}

/** What the overlay page and the preload do on main's capture commands: start a dictation
 * and stream the microphone to it, frames named by its id (held until main answers). */
function rendererCapture(service: DictationService, mic: LiveMicrophone): CaptureControl {
  let current: { stop: () => Promise<{ id: number; sent: number }> } | undefined;
  const begin = () => {
    const held: Int16Array[] = [];
    let id: number | undefined;
    let sent = 0;
    const stopListening = mic.listen((pcm) => {
      if (id === undefined) held.push(pcm);
      else service.pushFrame(sent++, pcm, id);
    });
    const started = service.start().then(({ dictationId }) => {
      id = dictationId;
      for (const pcm of held.splice(0)) service.pushFrame(sent++, pcm, id);
      return dictationId;
    });
    return {
      stop: async () => {
        stopListening();
        const dictationId = await started;
        return { id: dictationId, sent };
      },
    };
  };
  return {
    start() {
      current = begin();
    },
    stop() {
      const c = current;
      current = undefined;
      void c?.stop().then(({ id, sent }) => service.stopCapture(sent, id));
    },
    cancel() {
      const c = current;
      current = undefined;
      void c?.stop().then(({ id }) => service.cancel(id));
    },
  };
}
