import { describe, expect, test, vi } from 'vitest';
import { HandsFreeController, type OutputOptions } from '../../src/core/dictation/hands-free.ts';
import { trayStateOf } from '../../src/core/dictation/hands-free-tray.ts';
import type { HotkeyMode, PushToTalkState } from '../../src/core/hotkey/push-to-talk.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { InsertOptions, InsertResult, WindowRef } from '../../src/core/output/index.ts';
import type { DictationState, DictationStatus, MainEventMessage } from '../../src/shared/ipc.ts';
import { linuxChord } from '../helpers/hotkey.ts';
import { KEYCODES as K } from '../helpers/uiohook-keycodes.ts';

interface Inserted {
  text: string;
  options: InsertOptions;
}

function setup(
  options: {
    mode?: HotkeyMode;
    output?: Partial<OutputOptions>;
    insert?: (text: string, options: InsertOptions) => Promise<InsertResult>;
    focused?: () => WindowRef | undefined;
  } = {},
) {
  let clock = 0;
  let windowCount = 0;
  const capture: string[] = [];
  const inserted: Inserted[] = [];
  const notices: string[] = [];
  const states: PushToTalkState[] = [];
  const stateWaiters: { state: PushToTalkState; resolve: () => void }[] = [];
  const insertWaiters: (() => void)[] = [];
  const controller = new HandsFreeController({
    capture: {
      start: () => capture.push('start'),
      stop: () => capture.push('stop'),
      cancel: () => capture.push('cancel'),
    },
    inserter: {
      focusedWindow: async () =>
        options.focused ? options.focused() : { id: `window-${++windowCount}` },
      insert: async (text, insertOptions) => {
        inserted.push({ text, options: insertOptions });
        const result = options.insert
          ? await options.insert(text, insertOptions)
          : { ok: true, mode: insertOptions.mode };
        insertWaiters.splice(0).forEach((wake) => wake());
        return result;
      },
    },
    output: () => ({
      mode: 'paste',
      trailingSpace: false,
      leaveOnClipboard: false,
      ...options.output,
    }),
    notify: (message) => notices.push(message),
    log: silentLogger,
    chord: linuxChord('Right Alt', K),
    mode: options.mode ?? 'hold',
    cancelKeys: [K.Escape],
    now: () => clock,
    onState: (state) => {
      states.push(state);
      for (const w of stateWaiters.filter((w) => w.state === state)) {
        stateWaiters.splice(stateWaiters.indexOf(w), 1);
        w.resolve();
      }
    },
  });
  // The service's side, as its status events tell it: dictations by their service id.
  const running = new Map<number, DictationState>();
  let nextServiceId = 1;
  let latest = 0;
  /** Dictation `id` (default: the latest) changes state; `connecting` starts a new one. */
  const status = (
    state: DictationState,
    error?: { code: string; message: string },
    id?: number,
  ): number => {
    if (state === 'connecting') id = nextServiceId++;
    const changed = id ?? latest;
    if (state === 'connecting') latest = changed;
    if (state === 'idle') running.delete(changed);
    else running.set(changed, state);
    const states = [...running.values()];
    const payload: DictationStatus = {
      state: states.find((s) => s !== 'finishing') ?? (states.length ? 'finishing' : 'idle'),
      finishing: states.filter((s) => s === 'finishing').length,
      dictation: { id: changed, state },
      ...(error ? { error } : {}),
    };
    controller.handleEvent({ name: 'dictation', payload });
    return changed;
  };
  const completed = (itemId: string, transcript: string, dictationId = latest) =>
    controller.handleEvent({
      name: 'transcript',
      payload: { type: 'completed', itemId, previousItemId: null, transcript, dictationId },
    } satisfies MainEventMessage);
  /** What the window and the service do when the capture starts: connect, then listen.
   * Returns the service's id of the dictation. */
  const serviceStarts = () => {
    const id = status('connecting');
    status('listening', undefined, id);
    return id;
  };
  const holdFor = (ms: number) => {
    controller.keyDown(K.AltRight);
    clock += ms;
    controller.keyUp(K.AltRight);
  };
  /** A dictation held for 1 s and finishing, then the key down again: a second one
   * captures beside it. Returns both service ids. */
  const secondWhileFirstFinishes = () => {
    holdFor(1000);
    const first = serviceStarts();
    status('finishing', undefined, first);
    controller.keyDown(K.AltRight);
    return { first, second: serviceStarts() };
  };
  const untilState = (state: PushToTalkState) =>
    controller.state === state
      ? Promise.resolve()
      : new Promise<void>((resolve) => stateWaiters.push({ state, resolve }));
  /** A whole dictation: held for 1 s, started by the service, `texts` completed as its turns
   * (items "a", "b", …), then idle. */
  const dictated = async (...texts: string[]) => {
    holdFor(1000);
    serviceStarts();
    texts.forEach((text, i) => completed(String.fromCharCode(97 + i), text));
    status('idle');
    await untilState('idle');
  };
  const untilInserted = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (inserted.length >= count ? resolve() : insertWaiters.push(check));
      check();
    });
  return {
    controller,
    capture,
    inserted,
    notices,
    states,
    status,
    completed,
    serviceStarts,
    holdFor,
    secondWhileFirstFinishes,
    dictated,
    untilState,
    untilInserted,
    advance: (ms: number) => (clock += ms),
  };
}

describe('HandsFreeController', () => {
  test('key down starts capture, key up stops it, the transcript goes to the window focused at key down', async () => {
    let focused: WindowRef = { id: 'editor' };
    const t = setup({ focused: () => focused });
    t.controller.keyDown(K.AltRight);
    expect(t.capture).toEqual(['start']);
    t.serviceStarts();
    focused = { id: 'somewhere-else' }; // the person clicked away while speaking
    t.advance(1500);
    t.controller.keyUp(K.AltRight);
    expect(t.capture).toEqual(['start', 'stop']);
    t.status('finishing');
    t.completed('item-1', ' 你好，world 👋 ');
    t.status('idle');
    await t.untilState('idle');
    expect(t.inserted).toEqual([
      {
        text: '你好，world 👋',
        options: {
          mode: 'paste',
          trailingSpace: false,
          leaveOnClipboard: false,
          target: { id: 'editor' },
        },
      },
    ]);
    expect(t.states).toEqual(['listening', 'finishing', 'idle']);
    expect(t.notices).toEqual([]);
  });

  test('the output settings at the time of insertion apply: type mode, trailing space, leave on clipboard', async () => {
    const t = setup({ output: { mode: 'type', trailingSpace: true, leaveOnClipboard: true } });
    await t.dictated('first turn', 'second turn');
    expect(t.inserted.map((i) => [i.text, i.options.mode, i.options.trailingSpace])).toEqual([
      ['first turn', 'type', true],
      ['second turn', 'type', true],
    ]);
    expect(t.inserted.every((i) => i.options.leaveOnClipboard)).toBe(true);
  });

  test('Esc cancels: capture is cancelled and its transcripts are not inserted', async () => {
    const t = setup();
    t.controller.keyDown(K.AltRight);
    t.serviceStarts();
    t.controller.keyDown(K.Escape);
    expect(t.capture).toEqual(['start', 'cancel']);
    expect(t.controller.state).toBe('idle');
    t.completed('a', 'words that were meant to be discarded');
    t.status('idle');
    t.controller.keyUp(K.AltRight);
    t.controller.keyUp(K.Escape);
    await Promise.resolve();
    expect(t.inserted).toEqual([]);
    expect(t.controller.recent).toEqual([]);
  });

  test('a cancel sent before the window started is not sent again once it has', () => {
    // The window carries out a stop or cancel that comes while it starts; a second one could
    // reach the dictation after it.
    const t = setup();
    t.controller.keyDown(K.AltRight);
    t.controller.keyDown(K.Escape);
    t.serviceStarts();
    expect(t.capture).toEqual(['start', 'cancel']);
  });

  test('a key down while the last dictation finishes starts capture at once; texts go in dictation order, each to its own window', async () => {
    const t = setup();
    t.controller.keyDown(K.AltRight);
    const first = t.serviceStarts();
    t.advance(1000);
    t.controller.keyUp(K.AltRight);
    t.status('finishing', undefined, first);
    t.controller.keyDown(K.AltRight); // the second dictation, while the first still finishes
    expect(t.controller.state).toBe('listening');
    expect(t.capture).toEqual(['start', 'stop', 'start']);
    const second = t.serviceStarts();
    // The second's transcript comes first (VAD cut a turn while the key is held): it waits.
    t.completed('b1', 'second, turn one', second);
    t.advance(1000);
    t.controller.keyUp(K.AltRight);
    expect(t.capture).toEqual(['start', 'stop', 'start', 'stop']);
    t.status('finishing', undefined, second);
    t.completed('b2', 'second, turn two', second);
    t.status('idle', undefined, second);
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.inserted).toEqual([]);
    expect(t.controller.state).toBe('finishing');
    t.completed('a', 'first', first);
    t.status('idle', undefined, first);
    await t.untilState('idle');
    expect(t.inserted.map((i) => [i.text, i.options.target?.id])).toEqual([
      ['first', 'window-1'],
      ['second, turn one', 'window-2'],
      ['second, turn two', 'window-2'],
    ]);
    expect(t.states).toEqual(['listening', 'finishing', 'listening', 'finishing', 'idle']);
  });

  test('Esc during the second dictation cancels only it; the first still goes in', async () => {
    const t = setup();
    const { first, second } = t.secondWhileFirstFinishes();
    t.controller.keyDown(K.Escape);
    expect(t.capture).toEqual(['start', 'stop', 'start', 'cancel']);
    t.completed('b', 'meant to be discarded', second);
    t.status('idle', undefined, second);
    t.controller.keyUp(K.Escape);
    t.controller.keyUp(K.AltRight);
    t.completed('a', 'kept', first);
    t.status('idle', undefined, first);
    await t.untilState('idle');
    expect(t.inserted.map((i) => [i.text, i.options.target?.id])).toEqual([['kept', 'window-1']]);
    expect(t.controller.recent).toEqual(['kept']);
  });

  test('a failure of the first dictation is told, and the second goes on and is inserted', async () => {
    const t = setup();
    const { first, second } = t.secondWhileFirstFinishes();
    t.status('idle', { code: 'finish_failed', message: 'The last words may be missing.' }, first);
    expect(t.notices).toEqual(['The last words may be missing.']);
    expect(t.controller.state).toBe('listening');
    expect(t.capture).toEqual(['start', 'stop', 'start']);
    t.advance(1000);
    t.controller.keyUp(K.AltRight);
    t.completed('b', 'second', second);
    t.status('idle', undefined, second);
    await t.untilState('idle');
    expect(t.inserted.map((i) => [i.text, i.options.target?.id])).toEqual([['second', 'window-2']]);
  });

  test('a key down before the window has started the last dictation waits until it has', () => {
    const t = setup();
    t.holdFor(1000); // released before the window answered
    t.controller.keyDown(K.AltRight);
    expect(t.capture).toEqual(['start', 'stop']);
    t.serviceStarts();
    expect(t.capture).toEqual(['start', 'stop', 'start']);
  });

  test('text is inserted only once the hotkey is up', async () => {
    const t = setup({ mode: 'toggle' });
    t.controller.keyDown(K.AltRight); // press: start
    t.controller.keyUp(K.AltRight);
    t.serviceStarts();
    t.controller.keyDown(K.AltRight); // press again: stop, still held
    t.status('finishing');
    t.completed('a', 'held');
    t.status('idle');
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.inserted).toEqual([]);
    t.controller.keyUp(K.AltRight);
    await t.untilInserted(1);
    expect(t.inserted[0]?.text).toBe('held');
  });

  test('an insertion failure becomes a notice (the inserter left the text on the clipboard)', async () => {
    const notice = 'xdotool is not installed. The text is on the clipboard: paste it with Ctrl+V.';
    const t = setup({ insert: async (_text, o) => ({ ok: false, mode: o.mode, notice }) });
    await t.dictated('kept');
    expect(t.notices).toEqual([notice]);
  });

  test('an inserter that throws still ends the dictation, with a notice', async () => {
    const t = setup({ insert: () => Promise.reject(new Error('backend crashed.')) });
    await t.dictated('kept');
    expect(t.notices).toEqual([
      "The text could not be inserted: backend crashed. It is in Tingxie's history.",
    ]);
  });

  test('a dictation that ends with an error says so', async () => {
    const t = setup();
    t.holdFor(1000);
    t.status('connecting');
    t.status('idle', { code: 'connect_failed', message: 'The server is unreachable.' });
    await t.untilState('idle');
    expect(t.notices).toEqual(['The server is unreachable.']);
  });

  test('a dictation that ends while the hotkey is still held closes the microphone and frees the hotkey', async () => {
    const t = setup();
    t.controller.keyDown(K.AltRight);
    t.serviceStarts();
    t.status('idle', { code: 'connection_lost', message: 'The connection was lost.' });
    expect(t.capture).toEqual(['start', 'cancel']);
    expect(t.controller.state).toBe('idle');
    expect(t.notices).toEqual(['The connection was lost.']);
    t.controller.keyUp(K.AltRight);
    t.controller.keyDown(K.AltRight);
    expect(t.capture).toEqual(['start', 'cancel', 'start']);
  });

  test('paste-last inserts the newest transcript into the window focused now', async () => {
    const t = setup();
    await t.controller.pasteLast();
    expect(t.notices).toEqual(['There is no transcript to paste yet.']);
    await t.dictated('older', 'newest');
    await t.controller.pasteLast();
    expect(t.inserted.at(-1)).toMatchObject({
      text: 'newest',
      options: { target: { id: 'window-2' } },
    });
    expect(t.controller.recent).toEqual(['newest', 'older']);
  });

  test("the window's own dictations are remembered but not inserted", async () => {
    const t = setup();
    t.serviceStarts();
    t.completed('a', 'typed in the window');
    t.status('idle');
    await Promise.resolve();
    expect(t.inserted).toEqual([]);
    expect(t.controller.recent).toEqual(['typed in the window']);
  });

  test('a key down during a dictation started in the window waits for it', () => {
    const t = setup();
    t.serviceStarts();
    t.controller.keyDown(K.AltRight);
    expect(t.capture).toEqual([]);
    t.status('idle');
    expect(t.capture).toEqual(['start']);
  });

  test('a window that never starts the dictation ends it with a notice after the timeout', () => {
    vi.useFakeTimers();
    try {
      const t = setup();
      t.controller.press();
      vi.advanceTimersByTime(5000);
      expect(t.notices).toEqual([
        'The microphone did not start: the Tingxie window did not answer. Open Tingxie and try again.',
      ]);
      t.controller.press(); // the next press starts afresh
      expect(t.capture).toEqual(['start', 'cancel', 'start']);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('trayStateOf', () => {
  const of = (state: DictationState, finishing = 0, error?: { code: string; message: string }) =>
    trayStateOf({ state, finishing, dictation: { id: 1, state }, ...(error ? { error } : {}) });
  test('maps the service state to the icon; listening wins over transcribing', () => {
    expect(of('connecting')).toBe('listening');
    expect(of('listening', 2)).toBe('listening');
    expect(of('finishing', 1)).toBe('transcribing');
    expect(of('idle')).toBe('idle');
    expect(of('idle', 0, { code: 'x', message: 'y' })).toBe('error');
  });
});
