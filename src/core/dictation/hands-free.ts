// Hands-free dictation: the push-to-talk machine (src/core/hotkey) drives the window's
// microphone and the dictation service; each final transcript goes into the window that had
// focus when the hotkey went down. Electron-free: main gives it the capture (a command to the
// window that owns the microphone), the inserter and the service's events.
//
//   key down ─▶ remember the focused window, start capture at once
//   key up   ─▶ stop capture; the service commits and waits for the transcripts (by events)
//   completed transcript ─▶ (history already has it) ─▶ insert, once the hotkey keys are up
//   the service ends the dictation ─▶ inserts drained ─▶ machine.finished(id)
//
// Dictations overlap: a key down while the last one is still finishing starts the next at
// once (the service runs them side by side). Their texts are inserted in dictation order —
// all of the first one's before any of the second's, even when the second's transcripts come
// first — each into the window that had focus at its own key down. Only a dictation started
// in the window itself makes a key down wait, until that one stops capturing.
import type { DictationStatus, DictationTranscript, MainEventMessage } from '../../shared/ipc.ts';
import type { OutputMode } from '../../shared/settings.ts';
import { PushToTalk } from '../hotkey/index.ts';
import type { DictationControl, HotkeyMode, KeyChord, PushToTalkState } from '../hotkey/index.ts';
import type { Logger } from '../log.ts';
import type { TextInserter, WindowRef } from '../output/index.ts';

/** The microphone's side of a dictation: in the app, a command to the window that captures. */
export interface CaptureControl {
  start(): void;
  /** Stop capturing and commit what was said. */
  stop(): void;
  /** Stop capturing and throw the audio away. */
  cancel(): void;
}

export interface OutputOptions {
  mode: OutputMode;
  trailingSpace: boolean;
  leaveOnClipboard: boolean;
}

export interface HandsFreeOptions {
  capture: CaptureControl;
  inserter: Pick<TextInserter, 'insert' | 'focusedWindow'>;
  /** Read at each insertion, so a change in Settings applies to the next transcript. */
  output: () => OutputOptions;
  /** A problem the person must hear about (the text is on the clipboard, the hotkey failed...). */
  notify: (message: string) => void;
  log: Logger;
  /** Keys of the hold hotkey; none when only a shortcut (toggle) or the tray drives it. */
  chord?: KeyChord;
  mode: HotkeyMode;
  /** Keycodes that cancel the listening dictation (Esc). */
  cancelKeys?: readonly number[];
  onState?: (state: PushToTalkState) => void;
  /** How long the window may take to start a dictation before we give up on it. */
  startTimeoutMs?: number;
  /** How many transcripts {@link HandsFreeController.recent} keeps. */
  recentCount?: number;
  /** Transcripts from before (the history), newest first. */
  recent?: readonly string[];
  now?: () => number;
}

interface HandsFreeDictation {
  id: number;
  /** The service's id for it, once the service has started it. */
  serviceId?: number;
  /** The window focused at key down: the transcripts go there. */
  target: Promise<WindowRef | undefined>;
  cancelled: boolean;
  /** Its insertions, chained after every earlier dictation's. */
  inserts: Promise<void>;
  /** Resolves once it has ended and its insertions are done. */
  drained: Promise<void>;
  drain: () => void;
  startTimer?: ReturnType<typeof setTimeout>;
}

const NO_CHORD: KeyChord = { parts: [], excluded: [] };

export class HandsFreeController implements DictationControl {
  readonly #options: HandsFreeOptions;
  readonly #machine: PushToTalk;
  /** Ours, by the service's id. */
  readonly #ours = new Map<number, HandsFreeDictation>();
  /** The dictation we asked the window to capture; the service has not started it yet. */
  #awaiting: HandsFreeDictation | undefined;
  /** A key down that waits: for the window's own dictation to stop capturing, or for the
   * window to start the one before (a capture command it would not take yet). */
  #pending: HandsFreeDictation | undefined;
  /** The service's dictation that captures now, if any. */
  #capturingId: number | undefined;
  /** The last dictation's `drained`: the next one inserts after it. */
  #lastDrained: Promise<void> = Promise.resolve();
  #recent: string[] = [];

  constructor(options: HandsFreeOptions) {
    this.#options = options;
    this.#recent = (options.recent ?? []).slice(0, options.recentCount ?? 5);
    this.#machine = new PushToTalk(options.chord ?? NO_CHORD, this, {
      mode: options.mode,
      cancelKeys: options.cancelKeys,
      now: options.now,
      onState: options.onState,
    });
  }

  get mode(): HotkeyMode {
    return this.#options.mode;
  }

  get state(): PushToTalkState {
    return this.#machine.state;
  }

  /** The newest transcripts, newest first (the tray lists them; paste-last takes the first). */
  get recent(): readonly string[] {
    return this.#recent;
  }

  // Key hook events (uiohook), and single presses (globalShortcut, tray).
  keyDown(code: number): void {
    this.#machine.keyDown(code);
  }

  keyUp(code: number): void {
    this.#machine.keyUp(code);
  }

  press(): void {
    this.#machine.press();
  }

  cancelDictation(): void {
    this.#machine.cancel();
  }

  /** Every event main pushes to the window: dictation states and transcripts. */
  handleEvent(message: MainEventMessage): void {
    if (message.name === 'dictation') this.#onStatus(message.payload as DictationStatus);
    else if (message.name === 'transcript') {
      this.#onTranscript(message.payload as DictationTranscript);
    }
  }

  /** Inserts the last transcript again, into the window focused now. */
  async pasteLast(): Promise<void> {
    const text = this.#recent[0];
    if (text === undefined) {
      this.#options.notify('There is no transcript to paste yet.');
      return;
    }
    await this.#insert(text, this.#options.inserter.focusedWindow());
  }

  /** Stops listening for good (on quit, or before the controller is replaced). */
  dispose(): void {
    this.#machine.cancel();
    for (const d of [this.#awaiting, this.#pending, ...this.#ours.values()]) {
      if (d) clearTimeout(d.startTimer);
    }
    this.#pending = undefined;
  }

  // DictationControl, called by the push-to-talk machine.
  start(id: number): void {
    let drain = (): void => {};
    const drained = new Promise<void>((resolve) => (drain = resolve));
    const d: HandsFreeDictation = {
      id,
      target: this.#options.inserter.focusedWindow().catch((err: unknown) => {
        this.#options.log.warn(`Hands-free: no focused window: ${(err as Error).message}`);
        return undefined;
      }),
      cancelled: false,
      inserts: this.#lastDrained,
      drained,
      drain,
    };
    this.#lastDrained = drained;
    if (this.#awaiting || this.#windowCaptures()) this.#pending = d;
    else this.#begin(d);
  }

  commit(id: number): void {
    if (this.#pending?.id === id) {
      // Released before it could start: nothing was captured for it.
      const d = this.#pending;
      this.#pending = undefined;
      this.#end(d);
      return;
    }
    if (this.#find(id)) this.#options.capture.stop();
  }

  cancel(id: number): void {
    if (this.#pending?.id === id) {
      const d = this.#pending;
      this.#pending = undefined;
      d.cancelled = true;
      this.#end(d);
      return;
    }
    const d = this.#find(id);
    if (!d) return;
    d.cancelled = true;
    this.#options.capture.cancel();
  }

  #find(id: number): HandsFreeDictation | undefined {
    if (this.#awaiting?.id === id) return this.#awaiting;
    for (const d of this.#ours.values()) if (d.id === id) return d;
    return undefined;
  }

  /** A dictation started in the window (not by the hotkey) is capturing. */
  #windowCaptures(): boolean {
    return this.#capturingId !== undefined && !this.#ours.has(this.#capturingId);
  }

  #begin(d: HandsFreeDictation): void {
    this.#awaiting = d;
    d.startTimer = setTimeout(() => {
      if (this.#awaiting !== d) return;
      this.#options.notify(
        'The microphone did not start: the Tingxie window did not answer. Open Tingxie and try again.',
      );
      this.#end(d);
    }, this.#options.startTimeoutMs ?? 5000);
    this.#options.capture.start();
  }

  #onStatus(status: DictationStatus): void {
    const { id, state } = status.dictation;
    const capturing = status.state === 'connecting' || status.state === 'listening';
    if (state === 'connecting' || state === 'listening') this.#capturingId = id;
    else if (!capturing || this.#capturingId === id) this.#capturingId = undefined;

    let d = this.#ours.get(id);
    if (!d && state === 'connecting' && this.#awaiting) {
      // The service started the dictation we asked the window for.
      d = this.#awaiting;
      this.#awaiting = undefined;
      clearTimeout(d.startTimer);
      d.serviceId = id;
      this.#ours.set(id, d);
    }
    if (d && state === 'idle') {
      if (status.error && !d.cancelled) this.#options.notify(status.error.message);
      this.#end(d);
    }
    this.#beginPending();
  }

  #beginPending(): void {
    const next = this.#pending;
    if (!next || this.#awaiting || this.#windowCaptures()) return;
    this.#pending = undefined;
    this.#begin(next);
  }

  #onTranscript(event: DictationTranscript): void {
    if (event.type !== 'completed') return;
    const text = event.transcript.trim();
    const d = event.dictationId === undefined ? undefined : this.#ours.get(event.dictationId);
    if (!text || d?.cancelled) return;
    this.#remember(text);
    // Dictations started in the window itself show there; only ours are inserted.
    if (!d) return;
    // Through the text pipeline (`rawTranscript` is set), a turn that follows another of its
    // dictation may start with the space between them (desktop-services.ts joins the turns);
    // any other leading space is the server's.
    const spaced = event.rawTranscript !== undefined && /^\s/u.test(event.transcript);
    d.inserts = d.inserts.then(() => this.#insert(text, d.target, spaced));
  }

  async #insert(
    text: string,
    target: Promise<WindowRef | undefined>,
    spaced = false,
  ): Promise<void> {
    // Keys sent while the hotkey is held would carry its modifiers.
    await this.#machine.keysReleased();
    try {
      const output = this.#options.output();
      // After a trailing space, the space between the turns is there already.
      const insert = spaced && !output.trailingSpace ? ` ${text}` : text;
      const result = await this.#options.inserter.insert(insert, {
        ...output,
        target: await target,
      });
      if (!result.ok && result.notice) this.#options.notify(result.notice);
    } catch (err) {
      // The inserter promises not to throw; if it does, the text is still in the history.
      this.#options.notify(
        `The text could not be inserted: ${(err as Error).message} It is in Tingxie's history.`,
      );
    }
  }

  #end(d: HandsFreeDictation): void {
    clearTimeout(d.startTimer);
    if (this.#awaiting === d) this.#awaiting = undefined;
    if (d.serviceId !== undefined) this.#ours.delete(d.serviceId);
    if (this.#machine.listeningId === d.id) {
      // It ended under us (connection lost, Stop pressed in the window) while the hotkey is
      // still down: close the microphone, and let the next press start afresh.
      this.#options.capture.cancel();
      this.#machine.cancel();
    }
    void d.inserts.then(() => {
      d.drain();
      this.#machine.finished(d.id);
    });
    this.#beginPending();
  }

  #remember(text: string): void {
    this.#recent = [text, ...this.#recent].slice(0, this.#options.recentCount ?? 5);
  }
}
