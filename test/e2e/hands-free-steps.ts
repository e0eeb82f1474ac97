// A hands-free dictation into an X11 window, as the e2e specs of the app under the Electron
// stand-in take it: the main window closed, an xterm focused, the hotkey held while the
// recording plays, then what the xterm received.
import type { SpokenSentences } from '../helpers/speech.ts';
import type { XServer, Xterm } from '../helpers/x11.ts';
import { expect } from './fixtures.ts';
import type { StandInApp } from './standin-app.ts';

/** With the overlay open and the main window closed, focuses `term` and holds the hotkey
 * (Ctrl+Shift+Space, hold mode) while `speech`'s first sentence, and half a second after it,
 * is captured; then lets it go. */
export async function dictateHandsFree(
  app: StandInApp,
  x: XServer,
  term: Xterm,
  speech: SpokenSentences,
): Promise<void> {
  await app.overlayPage();
  const main = app.window('Tingxie');
  await app.command({ type: 'close-window', id: main.id });
  await app.waitFor((r) => r.type === 'window-closed' && r.id === main.id);
  await term.focus();

  await x.run('xdotool', ['keydown', 'ctrl+shift+space']);
  const spokenFrames = Math.ceil((speech.spans[0]!.endMs + 500) / 40);
  await expect
    .poll(() => app.reports.filter((r) => r.type === 'port-message').length, {
      timeout: 30_000,
    })
    .toBeGreaterThan(spokenFrames);
  await x.run('xdotool', ['keyup', 'space', 'keyup', 'shift', 'keyup', 'ctrl']);
}

/** Waits until `term` has received `ending`; returns all it received, the text inserted. */
export async function insertedText(term: Xterm, ending: string): Promise<string> {
  await term.waitForText(ending, 45_000);
  // NULs before it: xterm reads Ctrl+Space, the hotkey, as one (the stand-in does not keep
  // the held hotkey from the focused window).
  return term.received().replaceAll('\0', '');
}

/** A sentence with a term pocketsphinx mishears, for the text pipeline's e2e specs, and what it
 * writes for festival's "Kubernetes" (which of them varies with where in the recording the
 * capture starts). */
export const KUBERNETES_SENTENCE = 'We deploy the new version on Kubernetes today.';
export const KUBERNETES_HEARD_AS = ['to their needs', 'to other needs', 'to bernie'];
