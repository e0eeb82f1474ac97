// The clipboard, as text insertion needs it. The CLI uses the command-line clipboards in this
// folder; the app gives Electron's clipboard (written in main) through the same interface.

/** One format the clipboard held (an X11 target or a MIME type) and its bytes. */
export interface ClipboardFormat {
  type: string;
  data: Uint8Array;
}

/** What the clipboard held before Tingxie borrowed it. No formats: it was empty. */
export interface ClipboardSnapshot {
  formats: ClipboardFormat[];
}

/** Text offered for one paste, with a way to see the paste happen. */
export interface ClipboardOffer {
  /**
   * Resolves `true` once an application has read the offered text — counting only reads that
   * start after this call, so call it before sending the paste keystroke — or `false` after
   * `timeoutMs` without one.
   */
  nextRead(timeoutMs: number): Promise<boolean>;
}

export interface Clipboard {
  snapshot(): Promise<ClipboardSnapshot>;
  /** Puts a snapshot back. Does nothing if another program took the clipboard meanwhile. */
  restore(snapshot: ClipboardSnapshot): Promise<void>;
  readText(): Promise<string>;
  /** Puts text on the clipboard, where it stays after Tingxie exits. */
  writeText(text: string): Promise<void>;
  /** Optional: puts text on the clipboard for a paste whose read can be observed. Clipboards
   * without it (Electron's) are restored after a short bounded settle instead. */
  offer?(text: string): Promise<ClipboardOffer>;
}

const TEXT_TYPES = ['UTF8_STRING', 'text/plain;charset=utf-8', 'STRING', 'text/plain', 'TEXT'];

/**
 * The one format to put back when a clipboard tool can serve only one (xclip, wl-copy): an
 * image if there was one (text beside an image is usually its name or URL), else text, else
 * whatever came first.
 */
export function primaryFormat(snapshot: ClipboardSnapshot): ClipboardFormat | undefined {
  const { formats } = snapshot;
  return (
    formats.find((f) => f.type.startsWith('image/')) ??
    TEXT_TYPES.map((t) => formats.find((f) => f.type === t)).find(Boolean) ??
    formats[0]
  );
}
