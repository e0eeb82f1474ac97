// The hotkeys in the settings, checked the way the key hook and globalShortcut will read them:
// a shortcut that parses in the schema can still be reserved (Ctrl+C), need a modifier, or
// clash with the other hotkey. Each problem becomes a field issue, so the form shows it.
import { checkHotkeys } from '../hotkey/index.ts';
import type { FieldIssue, Settings } from '../../shared/settings.ts';

export type HotkeyAction = 'dictate' | 'pasteLast';

/** The hotkeys in use, by action; an empty paste-last shortcut is off. */
export function hotkeyBindings(settings: Settings): Partial<Record<HotkeyAction, string>> {
  const pasteLast = settings.handsFree.pasteLastShortcut;
  return { dictate: settings.shortcut, ...(pasteLast ? { pasteLast } : {}) };
}

const FIELD: Record<HotkeyAction, string> = {
  dictate: 'shortcut',
  pasteLast: 'handsFree.pasteLastShortcut',
};

/** Issues for invalid or clashing hotkeys; `detail` is the English reason, for the log. */
export function hotkeyIssues(
  settings: Settings,
  platform: NodeJS.Platform = process.platform,
): (FieldIssue & { detail: string })[] {
  const checked = checkHotkeys(hotkeyBindings(settings) as Record<HotkeyAction, string>, platform);
  if (checked.ok) return [];
  return checked.errors.map(({ action, message }) => ({
    path: FIELD[action],
    message: 'validation.hotkey',
    detail: message,
  }));
}
