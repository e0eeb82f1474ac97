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
  /**
   * The window the keys will go to: `target` made the focused window (backends that can only
   * focus while sending keys return it as it is), or without a target the focused window.
   */
  focus(target: WindowRef | undefined): Promise<WindowRef | undefined>;
  /** Releases held modifiers and sends the paste chord (a terminal's, for a terminal). */
  paste(window: WindowRef | undefined): Promise<void>;
  /** Releases held modifiers and types `text` as characters. */
  type(text: string, window: WindowRef | undefined): Promise<void>;
}
