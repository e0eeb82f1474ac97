// Electron's clipboard behind the core's Clipboard interface (src/core/output/clipboard.ts),
// so that a paste can borrow the clipboard and give back every format it held (text, HTML,
// an image...), not only its text.
import { ClipboardItem, clipboard } from 'electron';
import type { Clipboard, ClipboardFormat } from '../core/output/index.ts';

// A bookmark is an object, not bytes; Electron rebuilds it from the text/uri formats anyway.
const SKIPPED = new Set(['electron application/bookmark']);

export function createElectronClipboard(): Clipboard {
  /** What Tingxie last put there: restore only if it is still ours. */
  let borrowed: string | undefined;
  return {
    async snapshot() {
      const formats: ClipboardFormat[] = [];
      for (const item of await clipboard.read()) {
        for (const type of item.types) {
          if (SKIPPED.has(type) || formats.some((f) => f.type === type)) continue;
          const blob = (await item.getType(type)) as Blob;
          formats.push({ type, data: new Uint8Array(await blob.arrayBuffer()) });
        }
      }
      return { formats };
    },
    async restore(snapshot) {
      // Someone copied something else meanwhile: theirs wins.
      if (borrowed === undefined || (await clipboard.readText()) !== borrowed) return;
      borrowed = undefined;
      if (snapshot.formats.length === 0) {
        clipboard.clear();
        return;
      }
      const entries = snapshot.formats.map(
        (f) => [f.type, new Blob([f.data as Uint8Array<ArrayBuffer>], { type: f.type })] as const,
      );
      await clipboard.write([new ClipboardItem(Object.fromEntries(entries))]);
    },
    readText: () => clipboard.readText(),
    async writeText(text) {
      borrowed = text;
      await clipboard.writeText(text);
    },
  };
}
