// Which hotkey goes where: the key hook (which sees key downs and ups, so it can do
// hold-to-talk) or Electron's globalShortcut (presses only, but it works where no hook can,
// e.g. through the Wayland desktop portal). Decided from the settings and from whether the
// hook can run here; main only carries the plan out.
import {
  checkHotkeys,
  type Accelerator,
  type HookFallback,
  type HookSupport,
  type HotkeyMode,
} from '../hotkey/index.ts';
import { hotkeyBindings, type HotkeyAction } from '../settings/hotkey-issues.ts';
import type { Settings } from '../../shared/settings.ts';
import type { HandsFreeInfo, HotkeyProblem } from '../../shared/ipc.ts';

export interface HotkeyPlan {
  /** The mode in effect: toggle when hold-to-talk cannot work here. */
  mode: HotkeyMode;
  /** The dictation hotkey, watched by the key hook; absent when globalShortcut watches it. */
  hook?: Accelerator;
  /** The hook's hotkey in Electron's syntax, registered with globalShortcut only so that the
   * focused application does not get it (held, it would auto-repeat into the text): on X11 and
   * Windows, where the hook still sees a grabbed key (XRecord, a low-level keyboard hook). Not
   * on macOS, where a registered hot key does not reach the hook's event tap, nor for a lone
   * modifier key, which types nothing. */
  grab?: string;
  /** Accelerators for Electron's globalShortcut, by action. */
  shortcuts: { action: HotkeyAction; accelerator: string; text: string }[];
  /** Why the key hook is not used, and how to get it, when it was wanted. */
  fallback?: HookFallback;
  problems: HotkeyProblem[];
}

export function planHotkeys(
  settings: Settings,
  support: HookSupport,
  platform: NodeJS.Platform = process.platform,
): HotkeyPlan {
  const problems: HotkeyProblem[] = [];
  const hotkeys: Partial<Record<HotkeyAction, Accelerator>> = {};
  const bindings = hotkeyBindings(settings);
  const checked = checkHotkeys(bindings as Record<HotkeyAction, string>, platform);
  if (checked.ok) Object.assign(hotkeys, checked.hotkeys);
  else {
    problems.push(...checked.errors);
    // Check each on its own, so that a clash does not also switch the other one off.
    for (const action of Object.keys(bindings) as HotkeyAction[]) {
      if (checked.errors.some((e) => e.action === action)) continue;
      const alone = checkHotkeys({ [action]: bindings[action]! }, platform);
      if (alone.ok) hotkeys[action] = alone.hotkeys[action];
    }
  }

  const shortcuts: HotkeyPlan['shortcuts'] = [];
  const viaShortcut = (action: HotkeyAction, accelerator: Accelerator): void => {
    if (accelerator.electron)
      shortcuts.push({ action, accelerator: accelerator.electron, text: accelerator.text });
    else
      problems.push({
        action,
        code: 'needs-hook',
        key: accelerator.text,
        message: `${accelerator.text} can only be watched by the key hook, which is not available here. Choose a shortcut with modifiers, e.g. Ctrl+Shift+Space.`,
      });
  };

  const dictate = hotkeys.dictate;
  let mode: HotkeyMode = settings.handsFree.mode;
  let hook: Accelerator | undefined;
  let fallback: HotkeyPlan['fallback'];
  if (dictate) {
    if (support.ok) hook = dictate;
    else {
      if (mode === 'hold') fallback = fallbackOf(support);
      mode = 'toggle';
      viaShortcut('dictate', dictate);
    }
  } else if (!support.ok && mode === 'hold') {
    fallback = fallbackOf(support);
    mode = 'toggle';
  }
  if (hotkeys.pasteLast) viaShortcut('pasteLast', hotkeys.pasteLast);
  const grab = platform === 'darwin' ? undefined : hook?.electron;
  return { mode, hook, ...(grab ? { grab } : {}), shortcuts, fallback, problems };
}

function fallbackOf({ code, reason, fix, detail }: HookFallback): HookFallback {
  return { code, reason, fix, ...(detail !== undefined ? { detail } : {}) };
}

/** What the window shows about the hotkeys. */
export function handsFreeInfo(plan: HotkeyPlan): HandsFreeInfo {
  return {
    mode: plan.mode,
    keyHook: plan.hook !== undefined,
    ...(plan.fallback ? { fallback: plan.fallback } : {}),
    problems: plan.problems,
  };
}
