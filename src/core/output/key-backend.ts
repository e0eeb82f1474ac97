// What one platform's keystroke tool must do for text insertion.

/** A window (X11 window id, macOS process id, Windows HWND) and its application class. */
export interface WindowRef {
  id: string;
  /** X11: WM_CLASS instance and class ("xterm XTerm"); macOS: the app name. */
  appClass?: string;
}

export interface KeyBackend {
  /** Why keys cannot be sent here (a tool is missing), or undefined when they can. */
  unavailable(): string | undefined;
  /** The shortcut a person uses to paste here, for notices ("Ctrl+V"). */
  readonly pasteHint: string;
  focusedWindow(): Promise<WindowRef | undefined>;
  /** Focuses `target` (when given), releases held modifiers, sends the paste chord. */
  paste(target: WindowRef | undefined): Promise<void>;
  /** Focuses `target` (when given), releases held modifiers, types `text` as characters. */
  type(text: string, target: WindowRef | undefined): Promise<void>;
}
