// Hands-free wiring: the key hook (uiohook) or Electron's globalShortcut feeds the core's
// HandsFreeController; the overlay window captures; Electron's clipboard and the system's keys
// insert. The decisions (which hotkey goes where, what happens on each key) live in
// src/core/dictation/hands-free*.ts; this file carries them out.
import { Notification, globalShortcut, systemPreferences } from 'electron';
import { HandsFreeController } from '../core/dictation/hands-free.ts';
import { handsFreeInfo, planHotkeys, type HotkeyPlan } from '../core/dictation/hands-free-plan.ts';
import {
  chordFor,
  keyHookSupport,
  loadUiohook,
  startKeyHook,
  type HookKeycodes,
  type HookSupport,
  type KeyHook,
  type PushToTalkState,
} from '../core/hotkey/index.ts';
import type { Logger } from '../core/log.ts';
import { createSystemInserter } from '../core/output/index.ts';
import type { HandsFreeInfo, MainEventMessage, MainEvents } from '../shared/ipc.ts';
import type { Settings } from '../shared/settings.ts';
import { createElectronClipboard } from './electron-clipboard.ts';

export interface HandsFreeDeps {
  settings: () => Settings;
  /** Sends a command or notice to the overlay, which owns the hands-free microphone. */
  toOverlay: (message: MainEventMessage) => void;
  /** Tells every window (the Settings view shows the hotkey problems). */
  broadcast: (message: MainEventMessage) => void;
  /** The hands-free dictation started or ended: show or hide the overlay, update the tray. */
  onState: (state: PushToTalkState) => void;
  /** Transcripts so far, newest first (from the history). */
  recent: () => string[];
  log: Logger;
}

export interface HandsFree {
  readonly controller: HandsFreeController;
  readonly info: HandsFreeInfo;
  /** Applies saved settings: re-plans and re-registers the hotkeys if they changed. */
  apply(settings: Settings): void;
  handleEvent(message: MainEventMessage): void;
  dispose(): void;
}

const ESCAPE = 'Escape';

/** globalShortcut.register, with a throw (an accelerator Electron rejects) as a refusal. */
function registerShortcut(accelerator: string, run: () => void): boolean {
  try {
    return globalShortcut.register(accelerator, run);
  } catch {
    return false;
  }
}

export async function startHandsFree(deps: HandsFreeDeps): Promise<HandsFree> {
  const { log } = deps;
  const inserter = createSystemInserter({ log, clipboard: createElectronClipboard() });
  const notify = (message: string): void => {
    log.warn(`Hands-free: ${message}`);
    deps.broadcast({ name: 'notice', payload: { message } });
    if (Notification.isSupported()) new Notification({ title: 'Tingxie', body: message }).show();
  };
  const send = (action: MainEvents['command']['action']): void =>
    deps.toOverlay({ name: 'command', payload: { action } });

  let support: HookSupport = keyHookSupport({
    accessibilityTrusted:
      process.platform === 'darwin'
        ? systemPreferences.isTrustedAccessibilityClient(false)
        : undefined,
  });
  let hook: { hook: KeyHook; keycodes: HookKeycodes } | undefined;
  /** Loads and starts uiohook once; a failure (no X server, no permission) becomes the reason. */
  const ensureHook = async (): Promise<void> => {
    if (hook || !support.ok) return;
    try {
      const loaded = await loadUiohook();
      support = startKeyHook(loaded.hook);
      if (support.ok) hook = loaded;
    } catch (err) {
      support = {
        ok: false,
        code: 'hook-failed',
        detail: (err as Error).message,
        reason: `The global key hook could not be loaded: ${(err as Error).message}`,
        fix: 'Tingxie uses toggle mode instead. Reinstalling Tingxie may bring the hook back.',
      };
    }
  };

  let plan: HotkeyPlan;
  let controller: HandsFreeController;
  let info: HandsFreeInfo;
  let planned = '';
  let unhook = (): void => {};
  /** The accelerators registered for the current plan, to release when it changes. */
  const registered: string[] = [];
  let escapeRegistered = false;

  const onState = (state: PushToTalkState): void => {
    // Without the hook, Esc is only ours while listening: at other times it belongs to the apps.
    const wantEscape = state === 'listening' && !plan.hook;
    if (wantEscape && !escapeRegistered)
      escapeRegistered = globalShortcut.register(ESCAPE, () => controller.cancelDictation());
    else if (!wantEscape && escapeRegistered) {
      globalShortcut.unregister(ESCAPE);
      escapeRegistered = false;
    }
    deps.onState(state);
  };

  const setUp = async (settings: Settings): Promise<void> => {
    const key = JSON.stringify([
      settings.shortcut,
      settings.handsFree.mode,
      settings.handsFree.pasteLastShortcut,
    ]);
    if (key === planned) {
      deps.broadcast({ name: 'handsFree', payload: info }); // other settings (sounds, warmth)
      return;
    }
    planned = key;
    if (planHotkeys(settings, support).hook) await ensureHook();
    plan = planHotkeys(settings, support);
    unhook();
    for (const accelerator of registered.splice(0)) globalShortcut.unregister(accelerator);
    controller?.dispose();
    controller = new HandsFreeController({
      capture: {
        start: () => send('start'),
        stop: () => send('stop'),
        cancel: () => send('cancel'),
      },
      inserter,
      output: () => {
        const { output, trailingSpace, leaveOnClipboard } = deps.settings().handsFree;
        return { mode: output, trailingSpace, leaveOnClipboard };
      },
      notify,
      log,
      mode: plan.mode,
      chord: plan.hook && hook ? chordFor(plan.hook, hook.keycodes) : undefined,
      cancelKeys: hook?.keycodes.Escape !== undefined ? [hook.keycodes.Escape] : [],
      onState,
      recent: controller?.recent ?? deps.recent(),
    });
    if (plan.hook && hook) {
      const { hook: h } = hook;
      const down = (e: { keycode: number }): void => controller.keyDown(e.keycode);
      const up = (e: { keycode: number }): void => controller.keyUp(e.keycode);
      h.on('keydown', down);
      h.on('keyup', up);
      unhook = () => {
        h.off('keydown', down);
        h.off('keyup', up);
      };
    }
    const problems = [...plan.problems];
    // The hook does the work; the registration only keeps the key from the focused window.
    if (plan.grab && plan.hook) {
      if (registerShortcut(plan.grab, () => {})) registered.push(plan.grab);
      else
        problems.push({
          action: 'dictate',
          code: 'also-taken',
          key: plan.hook.text,
          message: `${plan.hook.text} is also taken by another application, which reacts to it too; choose another shortcut in Settings.`,
        });
    }
    for (const s of plan.shortcuts) {
      const run =
        s.action === 'dictate' ? () => controller.press() : () => void controller.pasteLast();
      if (registerShortcut(s.accelerator, run)) registered.push(s.accelerator);
      else
        problems.push({
          action: s.action,
          code: 'taken',
          key: s.text,
          message: `${s.text} is taken by another application (or the desktop); choose another shortcut in Settings.`,
        });
    }
    info = handsFreeInfo({ ...plan, problems });
    for (const p of problems) log.warn(`Hotkey (${p.action}): ${p.message}`);
    if (plan.fallback) log.warn(`Hold-to-talk unavailable: ${plan.fallback.reason}`);
    deps.broadcast({ name: 'handsFree', payload: info });
  };

  await setUp(deps.settings());
  return {
    get controller() {
      return controller;
    },
    get info() {
      return info;
    },
    apply: (settings) =>
      void setUp(settings).catch((err: unknown) =>
        log.error(`Hands-free: the new hotkeys could not be set up: ${(err as Error).message}`),
      ),
    handleEvent: (message) => controller.handleEvent(message),
    dispose() {
      controller.dispose();
      unhook();
      if (hook) hook.hook.stop();
    },
  };
}
