import { describe, expect, test } from 'vitest';
import { PushToTalk } from '../../src/core/hotkey/push-to-talk.ts';
import type { HotkeyMode, PushToTalkState } from '../../src/core/hotkey/push-to-talk.ts';
import { linuxChord, recordedControl } from '../helpers/hotkey.ts';
import { KEYCODES as K } from '../helpers/uiohook-keycodes.ts';

function setup(hotkey: string, mode: HotkeyMode = 'hold') {
  let clock = 0;
  const { calls, control } = recordedControl();
  const states: PushToTalkState[] = [];
  const ptt = new PushToTalk(linuxChord(hotkey, K), control, {
    mode,
    cancelKeys: [K.Escape],
    now: () => clock,
    onState: (s) => states.push(s),
  });
  const at = (ms: number) => {
    clock = ms;
  };
  const down = (...codes: number[]) => codes.forEach((c) => ptt.keyDown(c));
  const up = (...codes: number[]) => codes.forEach((c) => ptt.keyUp(c));
  return { ptt, calls, states, at, down, up };
}

describe('PushToTalk, hold mode', () => {
  test('hold starts, release commits, finished returns to idle', () => {
    const { ptt, calls, states, at, down, up } = setup('Right Alt');
    down(K.AltRight);
    expect(ptt.state).toBe('listening');
    at(900);
    up(K.AltRight);
    expect(ptt.state).toBe('finishing');
    ptt.finished(1);
    expect(ptt.state).toBe('idle');
    expect(calls).toEqual(['start 1', 'commit 1']);
    expect(states).toEqual(['listening', 'finishing', 'idle']);
  });

  test('auto-repeated key downs are ignored', () => {
    const { calls, at, down, up } = setup('Right Alt');
    down(K.AltRight, K.AltRight, K.AltRight);
    at(50);
    down(K.AltRight, K.AltRight);
    at(1000);
    up(K.AltRight);
    expect(calls).toEqual(['start 1', 'commit 1']);
  });

  test('the other Alt does not trigger a Right Alt hotkey', () => {
    const { calls, down, up } = setup('Right Alt');
    down(K.Alt);
    up(K.Alt);
    expect(calls).toEqual([]);
  });

  test('a chord fires when its last key goes down, in any order, either side of a modifier', () => {
    const { calls, at, down, up } = setup('Ctrl+Shift+Space');
    down(K.ShiftRight, K.Space);
    expect(calls).toEqual([]);
    down(K.CtrlRight);
    expect(calls).toEqual(['start 1']);
    at(500);
    up(K.ShiftRight); // releasing any key of the chord releases the hotkey
    expect(calls).toEqual(['start 1', 'commit 1']);
    up(K.Space, K.CtrlRight);
    expect(calls).toEqual(['start 1', 'commit 1']);
  });

  test('a chord does not fire while an extra modifier is held, nor on a partial chord', () => {
    const { calls, down, up } = setup('Ctrl+Shift+Space');
    down(K.Ctrl, K.Alt, K.Shift, K.Space);
    up(K.Space, K.Shift, K.Alt, K.Ctrl);
    down(K.Ctrl, K.Space);
    up(K.Space, K.Ctrl);
    expect(calls).toEqual([]);
  });

  test('a short tap latches the dictation on; the next press commits it', () => {
    const { ptt, calls, at, down, up } = setup('Right Alt');
    at(0);
    down(K.AltRight);
    at(120);
    up(K.AltRight);
    expect(ptt.state).toBe('listening');
    expect(calls).toEqual(['start 1']);
    at(5000);
    down(K.AltRight);
    expect(calls).toEqual(['start 1', 'commit 1']);
    at(5050);
    up(K.AltRight);
    expect(calls).toEqual(['start 1', 'commit 1']);
    expect(ptt.state).toBe('finishing');
  });

  test('a press held exactly the short-tap time commits', () => {
    const { calls, at, down, up } = setup('F9');
    down(K.F9);
    at(200);
    up(K.F9);
    expect(calls).toEqual(['start 1', 'commit 1']);
  });

  test('Esc cancels the listening dictation and discards it', () => {
    const { ptt, calls, at, down, up } = setup('Right Alt');
    down(K.AltRight);
    at(300);
    down(K.Escape);
    expect(ptt.state).toBe('idle');
    up(K.Escape);
    at(600);
    up(K.AltRight); // the release after a cancel commits nothing
    expect(calls).toEqual(['start 1', 'cancel 1']);
  });

  test('Esc cancels a latched dictation, and is ignored while idle or finishing', () => {
    const { ptt, calls, at, down, up } = setup('Right Alt');
    down(K.Escape);
    up(K.Escape);
    down(K.AltRight);
    at(100);
    up(K.AltRight); // latched
    down(K.Escape);
    up(K.Escape);
    expect(calls).toEqual(['start 1', 'cancel 1']);
    at(1000);
    down(K.AltRight);
    at(2000);
    up(K.AltRight);
    down(K.Escape);
    expect(ptt.state).toBe('finishing');
    expect(calls).toEqual(['start 1', 'cancel 1', 'start 2', 'commit 2']);
  });

  test('a press while finishing starts a new dictation that overlaps the finish', () => {
    const { ptt, calls, states, at, down, up } = setup('Right Alt');
    down(K.AltRight);
    at(1000);
    up(K.AltRight);
    expect(ptt.state).toBe('finishing');
    at(1100);
    down(K.AltRight);
    expect(ptt.state).toBe('listening');
    expect(ptt.listeningId).toBe(2);
    ptt.finished(1); // the first finishes while the second is listening
    expect(ptt.state).toBe('listening');
    at(2000);
    up(K.AltRight);
    expect(ptt.state).toBe('finishing');
    ptt.finished(7); // unknown ids change nothing
    expect(ptt.state).toBe('finishing');
    ptt.finished(2);
    expect(ptt.state).toBe('idle');
    expect(calls).toEqual(['start 1', 'commit 1', 'start 2', 'commit 2']);
    expect(states).toEqual(['listening', 'finishing', 'listening', 'finishing', 'idle']);
  });

  test('two finishing dictations: idle only after both finished', () => {
    const { ptt, at, down, up } = setup('Right Alt');
    for (const t of [0, 1000]) {
      at(t);
      down(K.AltRight);
      at(t + 500);
      up(K.AltRight);
    }
    ptt.finished(2);
    expect(ptt.state).toBe('finishing');
    ptt.finished(1);
    expect(ptt.state).toBe('idle');
  });
});

describe('PushToTalk, toggle mode', () => {
  test('press starts, next press commits, key ups and repeats are ignored', () => {
    const { ptt, calls, at, down, up } = setup('Ctrl+Shift+Space', 'toggle');
    down(K.Ctrl, K.Shift, K.Space, K.Space);
    at(2000);
    up(K.Space);
    expect(ptt.state).toBe('listening');
    down(K.Space);
    expect(calls).toEqual(['start 1', 'commit 1']);
    up(K.Space, K.Shift, K.Ctrl);
    expect(ptt.state).toBe('finishing');
  });

  test('press() from a globalShortcut or the tray toggles too', () => {
    const { ptt, calls } = setup('Ctrl+Shift+Space', 'toggle');
    ptt.press();
    ptt.press();
    ptt.press();
    ptt.cancel();
    expect(calls).toEqual(['start 1', 'commit 1', 'start 2', 'cancel 2']);
  });
});

describe('PushToTalk.keysReleased', () => {
  test('resolves at once when the hotkey is up, else when it is released', async () => {
    const { ptt, at, down, up } = setup('Right Alt');
    await ptt.keysReleased(); // idle: nothing held
    down(K.AltRight);
    at(1000);
    up(K.AltRight);
    await ptt.keysReleased(); // finishing, key up
    // A new dictation held while the first one's text is ready: wait for its release.
    down(K.AltRight);
    let released = false;
    const waiting = ptt.keysReleased().then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    at(2000);
    up(K.AltRight);
    await waiting;
    expect(released).toBe(true);
  });
});
