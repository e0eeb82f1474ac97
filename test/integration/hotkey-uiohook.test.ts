// The global key hook for real: uiohook-napi, under Xvfb, sees xdotool's key downs and ups,
// and the push-to-talk machine starts, commits and cancels dictations from them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectKeyHook, loadUiohook, startKeyHook } from '../../src/core/hotkey/key-hook.ts';
import type { HookKeycodes, KeyHook } from '../../src/core/hotkey/key-hook.ts';
import { PushToTalk } from '../../src/core/hotkey/push-to-talk.ts';
import type { PushToTalkOptions } from '../../src/core/hotkey/push-to-talk.ts';
import { linuxChord, recordedControl } from '../helpers/hotkey.ts';
import { missingTools } from '../helpers/tools.ts';
import { startXvfb, waitFor } from '../helpers/x11.ts';
import type { XServer } from '../helpers/x11.ts';

const skip = missingTools('global key hook under Xvfb', ['Xvfb', 'xdpyinfo', 'xdotool']);

describe.skipIf(skip)('uiohook-napi drives push-to-talk (X11)', () => {
  let x: XServer;
  let hook: KeyHook;
  let keycodes: HookKeycodes;
  let disconnect: (() => void) | undefined;

  beforeAll(async () => {
    x = await startXvfb();
    process.env.DISPLAY = x.display; // libuiohook opens the display named here when it starts
    ({ hook, keycodes } = await loadUiohook());
    expect(startKeyHook(hook)).toEqual({ ok: true });
  });
  afterAll(() => {
    disconnect?.();
    hook?.stop();
    // Xvfb is left to stop when this process exits: libuiohook keeps a display connection open
    // until then, and Xlib ends the whole process if that server goes away first.
  });

  /** A machine on `hotkey`, connected to the real hook, recording what it asks for. */
  function machine(hotkey: string, options: Partial<PushToTalkOptions> = {}) {
    disconnect?.();
    const { calls, control } = recordedControl();
    const ptt = new PushToTalk(linuxChord(hotkey, keycodes), control, {
      mode: 'hold',
      cancelKeys: [keycodes.Escape!],
      ...options,
    });
    disconnect = connectKeyHook(hook, ptt);
    const seen = (call: string) =>
      waitFor(() => calls.includes(call), `"${call}" (got ${calls.join(', ') || 'nothing'})`);
    return { ptt, calls, seen };
  }
  const xdotool = (...args: string[]) => x.run('xdotool', args);
  /** Resolves when the hook reports `event` for `key` (after the machine, connected earlier, saw it). */
  const hookEvent = (event: 'keydown' | 'keyup', key: string) =>
    new Promise<void>((resolve) => {
      const listener = (e: { keycode: number }) => {
        if (e.keycode !== keycodes[key]) return;
        hook.off(event, listener);
        resolve();
      };
      hook.on(event, listener);
    });

  test('hold Ctrl+Shift+Space: key down starts, key up commits', async () => {
    const { ptt, calls, seen } = machine('Ctrl+Shift+Space', { shortTapMs: 0 });
    await xdotool('keydown', 'ctrl+shift+space');
    await seen('start 1');
    expect(ptt.state).toBe('listening');
    await xdotool('keyup', 'space');
    await seen('commit 1');
    await xdotool('keyup', 'ctrl+shift');
    expect(ptt.state).toBe('finishing');
    ptt.finished(1);
    expect(ptt.state).toBe('idle');
    expect(calls).toEqual(['start 1', 'commit 1']);
  });

  test('Ctrl+Alt+Shift+Space does not fire a Ctrl+Shift+Space hotkey', async () => {
    const { calls, seen } = machine('Ctrl+Shift+Space', { shortTapMs: 0 });
    await xdotool('key', 'ctrl+alt+shift+space');
    await xdotool('key', 'ctrl+shift+space'); // the exact chord, as a marker that events arrived
    await seen('commit 1');
    expect(calls).toEqual(['start 1', 'commit 1']);
  });

  test('a short tap latches; the next press commits', async () => {
    const { ptt, calls, seen } = machine('F9');
    const released = hookEvent('keyup', 'F9');
    await xdotool('key', 'F9'); // down and up within a few milliseconds
    await released;
    expect(ptt.state).toBe('listening');
    expect(calls).toEqual(['start 1']);
    await xdotool('keydown', 'F9');
    await seen('commit 1');
    await xdotool('keyup', 'F9');
    expect(calls).toEqual(['start 1', 'commit 1']);
  });

  test('Esc cancels the listening dictation', async () => {
    const { ptt, calls, seen } = machine('Right Ctrl', { shortTapMs: 0 });
    await xdotool('keydown', 'Control_R');
    await seen('start 1');
    await xdotool('key', 'Escape');
    await seen('cancel 1');
    await xdotool('keyup', 'Control_R');
    expect(ptt.state).toBe('idle');
    expect(calls).toEqual(['start 1', 'cancel 1']);
  });
});
