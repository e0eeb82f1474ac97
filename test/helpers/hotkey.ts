// Hotkeys as the tests write them: an accelerator string (as on Linux) turned into the chord
// the key hook matches, and a push-to-talk machine's dictation calls written down in order.
import { parseAccelerator } from '../../src/core/hotkey/accelerator.ts';
import { chordFor, type HookKeycodes } from '../../src/core/hotkey/key-hook.ts';
import type { DictationControl, KeyChord } from '../../src/core/hotkey/push-to-talk.ts';

/** The chord of `hotkey` ("Right Alt", "Ctrl+Shift+D") on Linux; throws if it does not parse. */
export function linuxChord(hotkey: string, keycodes: HookKeycodes): KeyChord {
  const parsed = parseAccelerator(hotkey, 'linux');
  if (!parsed.ok) throw new Error(parsed.message);
  return chordFor(parsed.accelerator, keycodes);
}

/** A DictationControl that writes each call down as "start 1", "commit 1", "cancel 1". */
export function recordedControl(): { calls: string[]; control: DictationControl } {
  const calls: string[] = [];
  const control: DictationControl = {
    start: (id) => calls.push(`start ${id}`),
    commit: (id) => calls.push(`commit ${id}`),
    cancel: (id) => calls.push(`cancel ${id}`),
  };
  return { calls, control };
}
