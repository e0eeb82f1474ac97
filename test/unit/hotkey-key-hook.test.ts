import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { parseAccelerator } from '../../src/core/hotkey/accelerator.ts';
import {
  chordFor,
  connectKeyHook,
  keyHookSupport,
  startKeyHook,
} from '../../src/core/hotkey/key-hook.ts';
import type { KeyHook } from '../../src/core/hotkey/key-hook.ts';
import { PushToTalk } from '../../src/core/hotkey/push-to-talk.ts';
import { linuxChord, recordedControl } from '../helpers/hotkey.ts';
import { KEYCODES } from '../helpers/uiohook-keycodes.ts';

class FakeHook extends EventEmitter implements KeyHook {
  started = false;
  failWith: Error | undefined;
  start(): void {
    if (this.failWith) throw this.failWith;
    this.started = true;
  }
  stop(): void {
    this.started = false;
  }
}

function accelerator(text: string) {
  const r = parseAccelerator(text, 'linux');
  if (!r.ok) throw new Error(r.message);
  return r.accelerator;
}

describe('chordFor', () => {
  test('modifiers match either side; other modifiers are excluded', () => {
    expect(chordFor(accelerator('Ctrl+Shift+D'), KEYCODES)).toEqual({
      parts: [[29, 3613], [42, 54], [32]],
      excluded: [56, 3640, 3675, 3676],
    });
  });
  test('a lone modifier key excludes nothing', () => {
    expect(chordFor(accelerator('Right Alt'), KEYCODES)).toEqual({ parts: [[3640]], excluded: [] });
  });
  test('a key the hook does not know is an error, not a silent dead hotkey', () => {
    expect(() => chordFor(accelerator('F13'), KEYCODES)).toThrow(/no keycode for F13/);
  });
});

describe('connectKeyHook', () => {
  test('forwards key downs and ups until disconnected', () => {
    const hook = new FakeHook();
    const { calls, control } = recordedControl();
    const ptt = new PushToTalk(linuxChord('Right Alt', KEYCODES), control, {
      mode: 'hold',
      shortTapMs: 0,
    });
    const disconnect = connectKeyHook(hook, ptt);
    hook.emit('keydown', { keycode: 3640 });
    hook.emit('keyup', { keycode: 3640 });
    disconnect();
    hook.emit('keydown', { keycode: 3640 });
    expect(calls).toEqual(['start 1', 'commit 1']);
    expect(hook.listenerCount('keydown')).toBe(0);
  });
});

describe('keyHookSupport', () => {
  test('X11 works', () => {
    expect(
      keyHookSupport({ platform: 'linux', env: { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' } }),
    ).toEqual({ ok: true });
  });
  test('Wayland says why and how to fix it', () => {
    const r = keyHookSupport({
      platform: 'linux',
      env: { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland' },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toMatch(/Wayland/);
      expect(r.fix).toMatch(/toggle mode/);
    }
  });
  test('no display at all', () => {
    expect(keyHookSupport({ platform: 'linux', env: {} })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/DISPLAY/),
    });
  });
  test('macOS without Accessibility permission', () => {
    const r = keyHookSupport({ platform: 'darwin', env: {}, accessibilityTrusted: false });
    expect(r).toMatchObject({ ok: false, fix: expect.stringMatching(/Accessibility/) });
    expect(keyHookSupport({ platform: 'darwin', env: {}, accessibilityTrusted: true })).toEqual({
      ok: true,
    });
  });
  test('a hook that fails to start becomes a reason, not a crash', () => {
    const hook = new FakeHook();
    hook.failWith = new Error('XOpenDisplay failed');
    expect(startKeyHook(hook)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/XOpenDisplay failed/),
    });
    hook.failWith = undefined;
    expect(startKeyHook(hook)).toEqual({ ok: true });
    expect(hook.started).toBe(true);
  });
});
