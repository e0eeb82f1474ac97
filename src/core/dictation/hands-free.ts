// Hands-free dictation: the push-to-talk machine (src/core/hotkey) drives the window's
// microphone and the dictation service; each final transcript goes into the window that had
// focus when the hotkey went down. Electron-free: main gives it the capture (a command to the
// window that owns the microphone), the inserter and the service's events.
//
//   key down ─▶ remember the focused window, start capture at once
//   key up   ─▶ stop capture; the service commits and waits for the transcripts (by events)
//   completed transcript ─▶ (history already has it) ─▶ insert, once the hotkey keys are up
//   service idle ─▶ inserts drained ─▶ machine.finished(id)
//
// The dictation service runs one dictation at a time, so a key down while the previous one is
// still finishing waits for it (its target window is remembered at once) and starts as soon as
// the service is idle.
import type { TranscriptEvent } from '../../shared/events.ts';
import type { DictationStatus, MainEventMessage } from '../../shared/ipc.ts';
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
  /** The window focused at key down: the transcripts go there. */
  target: Promise<WindowRef | undefined>;
  /** The service has left idle for this dictation. */
  seen: boolean;
  committed: boolean;
  cancelled: boolean;
  inserts: Promise<void>;
  startTimer?: ReturnType<typeof setTimeout>;
}

const NO_CHORD: KeyChord = { parts: [], excluded: [] };

export class HandsFreeController implements DictationControl {
  readonly #options: HandsFreeOptions;
  readonly #machine: PushToTalk;
  #service: DictationStatus['state'] = 'idle';
  /** The dictation the service is running for us. */
  #owner: HandsFreeDictation | undefined;
  /** A key down that waits for the service to finish the previous dictation. */
  #pending: HandsFreeDictation | undefined;
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
    else if (message.name === 'transcript') this.#onTranscript(message.payload as TranscriptEvent);
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
    for (const d of [this.#owner, this.#pending]) if (d) clearTimeout(d.startTimer);
    this.#pending = undefined;
  }

  // DictationControl, called by the push-to-talk machine.
  start(id: number): void {
    const d: HandsFreeDictation = {
      id,
      target: this.#options.inserter.focusedWindow().catch((err: unknown) => {
        this.#options.log.warn(`Hands-free: no focused window: ${(err as Error).message}`);
        return undefined;
      }),
      seen: false,
      committed: false,
      cancelled: false,
      inserts: Promise.resolve(),
    };
    if (this.#owner || this.#service !== 'idle') {
      this.#pending = d;
      return;
    }
    this.#begin(d);
  }

  commit(id: number): void {
    if (this.#pending?.id === id) {
      // Released before the previous dictation was done: nothing was captured for it.
      this.#pending = undefined;
      this.#machine.finished(id);
      return;
    }
    const d = this.#owner;
    if (d?.id !== id) return;
    d.committed = true;
    this.#options.capture.stop();
  }

  cancel(id: number): void {
    if (this.#pending?.id === id) {
      this.#pending = undefined;
      return;
    }
    const d = this.#owner;
    if (d?.id !== id) return;
    d.cancelled = true;
    this.#options.capture.cancel();
  }

  #begin(d: HandsFreeDictation): void {
    this.#owner = d;
    d.startTimer = setTimeout(() => {
      if (this.#owner !== d || d.seen) return;
      this.#options.notify(
        'The microphone did not start: the Tingxie window did not answer. Open Tingxie and try again.',
      );
      this.#end(d);
    }, this.#options.startTimeoutMs ?? 5000);
    this.#options.capture.start();
  }

  #onStatus(status: DictationStatus): void {
    this.#service = status.state;
    const d = this.#owner;
    if (status.state !== 'idle') {
      if (d && !d.seen) {
        d.seen = true;
        clearTimeout(d.startTimer);
        // Released or cancelled while the window was still starting: say it again now that
        // the window can act on it.
        if (d.cancelled) this.#options.capture.cancel();
        else if (d.committed) this.#options.capture.stop();
      }
      return;
    }
    if (d?.seen) {
      if (status.error && !d.cancelled) this.#options.notify(status.error.message);
      this.#end(d);
    } else if (!d && this.#pending) {
      // The window's own dictation (not ours) has ended: the waiting key down may start.
      const next = this.#pending;
      this.#pending = undefined;
      this.#begin(next);
    }
  }

  #onTranscript(event: TranscriptEvent): void {
    if (event.type !== 'completed') return;
    const text = event.transcript.trim();
    const d = this.#owner;
    if (!text || d?.cancelled) return;
    this.#remember(text);
    // Dictations started in the window itself show there; only ours are inserted.
    if (!d) return;
    d.inserts = d.inserts.then(() => this.#insert(text, d.target));
  }

  async #insert(text: string, target: Promise<WindowRef | undefined>): Promise<void> {
    // Keys sent while the hotkey is held would carry its modifiers.
    await this.#machine.keysReleased();
    try {
      const result = await this.#options.inserter.insert(text, {
        ...this.#options.output(),
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
    if (this.#owner === d) this.#owner = undefined;
    if (this.#machine.listeningId === d.id) {
      // It ended under us (connection lost, Stop pressed in the window) while the hotkey is
      // still down: close the microphone, and let the next press start afresh.
      this.#options.capture.cancel();
      this.#machine.cancel();
    }
    void d.inserts.then(() => this.#machine.finished(d.id));
    const next = this.#pending;
    if (next && this.#service === 'idle') {
      this.#pending = undefined;
      this.#begin(next);
    }
  }

  #remember(text: string): void {
    this.#recent = [text, ...this.#recent].slice(0, this.#options.recentCount ?? 5);
  }
}
