// The stand-in ↔ the test that launched it, over Node's IPC channel: the stand-in reports what
// main did to Electron (windows, messages to pages, frames on ports, notifications, exit), and
// does what a person would do to the app (close a window, use the tray, press a global
// shortcut, answer a save or open dialog, quit).
export type Report = { type: string } & Record<string, unknown>;

export function report(message: Report): void {
  if (process.connected) process.send?.(message);
}

export type Command =
  | { type: 'close-window'; id: number }
  | { type: 'tray-menu' }
  | { type: 'tray-click'; label: string }
  /** Answers true if Tingxie holds the shortcut (its callback ran), false if not. */
  | { type: 'press-shortcut'; accelerator: string }
  /** The save dialog `id` (reported as 'save-dialog'): a chosen path, or none for Cancel. */
  | { type: 'answer-save-dialog'; id: number; filePath?: string }
  /** The open dialog `id` (reported as 'open-dialog'): the paths chosen, or none for Cancel. */
  | { type: 'answer-open-dialog'; id: number; filePaths?: string[] }
  | { type: 'quit' };

/** Runs each command the test sends; `run` answers it. */
export function onCommand(run: (command: Command) => unknown): void {
  process.on('message', (message: { id: number; command: Command }) => {
    void (async () => {
      try {
        report({ type: 'answer', id: message.id, value: await run(message.command) });
      } catch (err) {
        report({ type: 'answer', id: message.id, error: (err as Error).message });
      }
    })();
  });
}
