// Text insertion: paste (default), type, or copy — over any platform's keys and clipboard.
// The rule that matters most: whatever goes wrong, the text ends up on the clipboard and the
// person is told, so a dictation is never lost.
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import type { Clipboard, ClipboardSnapshot } from './clipboard.ts';
import type { KeyBackend, WindowRef } from './key-backend.ts';

export type InsertMode = 'paste' | 'type' | 'copy';

export interface InsertOptions {
  mode: InsertMode;
  /** Append a space, so that consecutive dictations don't run together. */
  trailingSpace?: boolean;
  /** Leave the text on the clipboard instead of restoring what was there. */
  leaveOnClipboard?: boolean;
  /** The window focused when the dictation began; the text goes there. */
  target?: WindowRef;
}

export interface InsertResult {
  ok: boolean;
  mode: InsertMode;
  /** For a person: what happened and what to do. Whenever `ok` is false the text is on the clipboard. */
  notice?: string;
}

export interface TextInserter {
  insert(text: string, options: InsertOptions): Promise<InsertResult>;
  focusedWindow(): Promise<WindowRef | undefined>;
}

/** How long a paste may take to read the clipboard before we call it failed. */
const PASTE_READ_TIMEOUT_MS = 1500;
/** For clipboards that cannot see the paste read them (Electron's): the target application
 * reads the clipboard when it handles the keystroke, which takes a few milliseconds to a
 * frame or two; restoring earlier would paste the old content. Bounded, and only used there. */
const PASTE_SETTLE_MS = 150;

export function createInserter(deps: {
  keys: KeyBackend;
  clipboard: Clipboard;
  log?: Logger;
}): TextInserter {
  const { keys, clipboard } = deps;
  const log = deps.log ?? silentLogger;

  /** Puts the text on the clipboard after a failure and says so; never throws. */
  const fallBack = async (
    text: string,
    mode: InsertMode,
    problem: string,
  ): Promise<InsertResult> => {
    try {
      await clipboard.writeText(text);
    } catch (err) {
      log.error(`Text insertion: ${problem}; the clipboard failed too: ${(err as Error).message}`);
      return {
        ok: false,
        mode,
        notice: `${problem} The clipboard could not be used either (${(err as Error).message}), so the text was not inserted anywhere; it is still in Tingxie's history.`,
      };
    }
    log.warn(`Text insertion: ${problem}`);
    return {
      ok: false,
      mode,
      notice: `${problem} The text is on the clipboard: paste it with ${keys.pasteHint}.`,
    };
  };

  const paste = async (text: string, options: InsertOptions): Promise<InsertResult> => {
    // Focusing the window and reading the clipboard are independent: do both at once.
    const [window, snapshot]: [WindowRef | undefined, ClipboardSnapshot | undefined] =
      await Promise.all([
        keys.focus(options.target),
        options.leaveOnClipboard ? undefined : clipboard.snapshot(),
      ]);
    if (!snapshot || !clipboard.offer) {
      await clipboard.writeText(text);
      await keys.paste(window);
      if (snapshot) {
        await new Promise((resolve) => setTimeout(resolve, PASTE_SETTLE_MS));
        await clipboard.restore(snapshot);
      }
      return { ok: true, mode: 'paste' };
    }
    const offer = await clipboard.offer(text);
    const read = offer.nextRead(PASTE_READ_TIMEOUT_MS); // armed before the keystroke
    await keys.paste(window);
    if (!(await read))
      return fallBack(
        text,
        'paste',
        'Tingxie sent the paste keystroke, but the focused application did not read the clipboard.',
      );
    await clipboard.restore(snapshot);
    return { ok: true, mode: 'paste' };
  };

  return {
    focusedWindow: () => keys.focusedWindow(),

    async insert(raw, options) {
      const text = options.trailingSpace ? `${raw} ` : raw;
      const { mode } = options;
      if (mode === 'copy') {
        try {
          await clipboard.writeText(text);
          return { ok: true, mode };
        } catch (err) {
          return {
            ok: false,
            mode,
            notice: `The text could not be copied: ${(err as Error).message} It is still in Tingxie's history.`,
          };
        }
      }
      const unavailable = keys.unavailable();
      if (unavailable) return fallBack(text, mode, unavailable);
      try {
        if (mode === 'paste') return await paste(text, options);
        await keys.type(text, await keys.focus(options.target));
        if (options.leaveOnClipboard) await clipboard.writeText(text);
        return { ok: true, mode };
      } catch (err) {
        return fallBack(
          text,
          mode,
          `The text could not be ${mode === 'paste' ? 'pasted' : 'typed'}: ${(err as Error).message}`,
        );
      }
    },
  };
}
