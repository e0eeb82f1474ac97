import { describe, expect, test } from 'vitest';
import { handsFreeInfo, planHotkeys } from '../../src/core/dictation/hands-free-plan.ts';
import { keyHookSupport } from '../../src/core/hotkey/index.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';

const x11 = keyHookSupport({ platform: 'linux', env: { DISPLAY: ':0' } });
const wayland = keyHookSupport({
  platform: 'linux',
  env: { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' },
});

describe('planHotkeys', () => {
  test('hold mode on X11: the key hook watches the hotkey; globalShortcut runs paste-last and holds the hotkey', () => {
    const plan = planHotkeys(defaultSettings(), x11, 'linux');
    expect(plan.mode).toBe('hold');
    expect(plan.hook?.text).toBe('Ctrl+Shift+Space');
    expect(plan.shortcuts).toEqual([
      { action: 'pasteLast', accelerator: 'Control+Alt+V', text: 'Ctrl+Alt+V' },
    ]);
    expect(plan.problems).toEqual([]);
    expect(handsFreeInfo(plan)).toEqual({ mode: 'hold', keyHook: true, problems: [] });
    // Held through globalShortcut too, so that the focused application does not get it.
    expect(plan.grab).toBe('Control+Shift+Space');
  });

  test("the hook's hotkey is not held on macOS, nor a lone modifier key anywhere", () => {
    const mac = keyHookSupport({ platform: 'darwin', accessibilityTrusted: true });
    const onMac = planHotkeys(defaultSettings(), mac, 'darwin');
    expect(onMac.hook?.text).toBe('Shift+Super+Space');
    expect(onMac.grab).toBeUndefined();
    const settings = defaultSettings();
    settings.shortcut = 'Right Alt';
    const lone = planHotkeys(settings, x11, 'linux');
    expect(lone.hook?.text).toBe('Right Alt');
    expect(lone.grab).toBeUndefined();
    expect(planHotkeys(defaultSettings(), wayland, 'linux').grab).toBeUndefined();
  });

  test('on Wayland hold falls back to toggle through globalShortcut, saying why and how to fix it', () => {
    const plan = planHotkeys(defaultSettings(), wayland, 'linux');
    expect(plan.mode).toBe('toggle');
    expect(plan.hook).toBeUndefined();
    expect(plan.shortcuts.map((s) => s.action)).toEqual(['dictate', 'pasteLast']);
    expect(plan.fallback?.reason).toMatch(/Wayland/);
    expect(plan.fallback?.code).toBe('wayland');
    expect(plan.fallback?.fix).toMatch(/X11/);
  });

  test('a lone modifier key cannot fall back to globalShortcut: a problem says what to choose', () => {
    const settings = defaultSettings();
    settings.shortcut = 'Right Alt';
    const plan = planHotkeys(settings, wayland, 'linux');
    expect(plan.shortcuts.map((s) => s.action)).toEqual(['pasteLast']);
    expect(plan.problems).toEqual([
      {
        action: 'dictate',
        code: 'needs-hook',
        key: 'Right Alt',
        message: expect.stringMatching(/Right Alt can only be watched by the key hook/),
      },
    ]);
  });

  test('toggle mode chosen on X11 keeps the hook (it also handles Esc), without a fallback notice', () => {
    const settings = defaultSettings();
    settings.handsFree.mode = 'toggle';
    const plan = planHotkeys(settings, x11, 'linux');
    expect(plan).toMatchObject({ mode: 'toggle', fallback: undefined });
    expect(plan.hook?.text).toBe('Ctrl+Shift+Space');
  });

  test('a clash disables only the second hotkey; an empty paste-last is simply off', () => {
    const settings = defaultSettings();
    settings.handsFree.pasteLastShortcut = 'Ctrl+Shift+Space';
    const plan = planHotkeys(settings, x11, 'linux');
    expect(plan.hook?.text).toBe('Ctrl+Shift+Space');
    expect(plan.shortcuts).toEqual([]);
    expect(plan.problems.map((p) => p.action)).toEqual(['pasteLast']);

    settings.handsFree.pasteLastShortcut = '';
    expect(planHotkeys(settings, x11, 'linux').problems).toEqual([]);
  });
});
