// The push-to-talk state machine: raw key downs and ups (from a key hook) in, start / commit /
// cancel of numbered dictations out.
//
//   idle ──press──▶ listening ──release (hold) / press again (toggle, latched)──▶ finishing ──finished──▶ idle
//                      │ Esc ─▶ cancel (back to idle, or to finishing if an older one still is)
//
// Decisions, so that behaviour is predictable:
// - Auto-repeat: a key down for a key that is already down is ignored.
// - Chords: the hotkey fires when its last missing key goes down while the others are held and
//   no other modifier is (Ctrl+Shift+Space does not fire for Ctrl+Alt+Shift+Space). Releasing
//   any key of the chord releases the hotkey.
// - Short tap (hold mode): a press shorter than `shortTapMs` (200 ms) latches the dictation on —
//   hands-free, as in toggle mode — and the next press commits it. A tap is rarely an accident
//   with a dedicated key, and ignoring it would lose what was said during it.
// - Esc cancels the listening dictation and discards it. Esc never touches a dictation that is
//   already finishing: by then Esc most likely belongs to the application being typed into.
// - A press while a dictation is finishing starts a new one at once; the finishing one goes on
//   and reports `finished(id)` on its own.
// - Text is inserted only once the hotkey is up (`keysReleased()`): keys sent while the user
//   holds it would carry its modifiers, and releasing them for the user would end the new
//   dictation early (X then drops the user's own release, so none would come later).

export type PushToTalkState = 'idle' | 'listening' | 'finishing';
export type HotkeyMode = 'hold' | 'toggle';

/** What the state machine drives: the dictation service, in the app. */
export interface DictationControl {
  /** Begin dictation `id`: open the microphone and start streaming. */
  start(id: number): void;
  /** Stop capturing dictation `id` and commit it; call {@link PushToTalk.finished} when its
   * transcripts are in. */
  commit(id: number): void;
  /** Stop dictation `id` and discard its audio. */
  cancel(id: number): void;
}

/** A hotkey as keycodes: every part must be down; each part is satisfied by any of its codes
 * (left or right Ctrl). `excluded` are keys that must be up (the modifiers not in the chord). */
export interface KeyChord {
  parts: readonly (readonly number[])[];
  excluded: readonly number[];
}

export interface PushToTalkOptions {
  mode: HotkeyMode;
  /** Presses shorter than this latch the dictation on (hold mode). Default 200 ms; 0 disables. */
  shortTapMs?: number;
  /** Keycodes that cancel the listening dictation (Esc). */
  cancelKeys?: readonly number[];
  now?: () => number;
  onState?: (state: PushToTalkState) => void;
}

export const SHORT_TAP_MS = 200;

export class PushToTalk {
  readonly #chord: KeyChord;
  readonly #control: DictationControl;
  readonly #mode: HotkeyMode;
  readonly #shortTapMs: number;
  readonly #cancelKeys: readonly number[];
  readonly #now: () => number;
  readonly #onState: ((state: PushToTalkState) => void) | undefined;

  readonly #down = new Set<number>();
  readonly #finishing = new Set<number>();
  #chordHeld = false;
  #releaseWaiters: (() => void)[] = [];
  #current: { id: number; startedAt: number; latched: boolean } | undefined;
  #nextId = 1;
  #state: PushToTalkState = 'idle';

  constructor(chord: KeyChord, control: DictationControl, options: PushToTalkOptions) {
    this.#chord = chord;
    this.#control = control;
    this.#mode = options.mode;
    this.#shortTapMs = options.shortTapMs ?? SHORT_TAP_MS;
    this.#cancelKeys = options.cancelKeys ?? [];
    this.#now = options.now ?? (() => performance.now());
    this.#onState = options.onState;
  }

  get state(): PushToTalkState {
    return this.#state;
  }

  /** The id of the dictation that is listening, if any. */
  get listeningId(): number | undefined {
    return this.#current?.id;
  }

  keyDown(code: number): void {
    if (this.#down.has(code)) return; // auto-repeat
    this.#down.add(code);
    if (this.#cancelKeys.includes(code)) {
      this.cancel();
      return;
    }
    if (!this.#chordHeld && this.#isPart(code) && this.#chordComplete()) {
      this.#chordHeld = true;
      this.press();
    }
  }

  keyUp(code: number): void {
    this.#down.delete(code);
    if (!this.#chordHeld || !this.#isPart(code)) return;
    this.#chordHeld = false;
    for (const resolve of this.#releaseWaiters.splice(0)) resolve();
    const current = this.#current;
    if (this.#mode === 'toggle' || !current || current.latched) return;
    if (this.#now() - current.startedAt < this.#shortTapMs) current.latched = true;
    else this.#commit();
  }

  /** One press of the hotkey, as a toggle shortcut (globalShortcut) or the tray delivers it:
   * starts a dictation, or commits the listening one. */
  press(): void {
    if (this.#current) {
      this.#commit();
      return;
    }
    const id = this.#nextId++;
    this.#current = { id, startedAt: this.#now(), latched: this.#mode === 'toggle' };
    this.#update();
    this.#control.start(id);
  }

  /** Cancels the listening dictation, if any (Esc, or the tray). */
  cancel(): void {
    const current = this.#current;
    if (!current) return;
    this.#current = undefined;
    this.#update();
    this.#control.cancel(current.id);
  }

  /** Resolves once no key of the hotkey is held: the moment it is safe to send keys. */
  keysReleased(): Promise<void> {
    if (!this.#chordHeld) return Promise.resolve();
    return new Promise((resolve) => this.#releaseWaiters.push(resolve));
  }

  /** Dictation `id` has finished (its transcripts were inserted, or it failed). */
  finished(id: number): void {
    if (this.#finishing.delete(id)) this.#update();
  }

  #commit(): void {
    const current = this.#current!;
    this.#current = undefined;
    this.#finishing.add(current.id);
    this.#update();
    this.#control.commit(current.id);
  }

  #isPart(code: number): boolean {
    return this.#chord.parts.some((alternatives) => alternatives.includes(code));
  }

  #chordComplete(): boolean {
    return (
      this.#chord.parts.every((alternatives) => alternatives.some((c) => this.#down.has(c))) &&
      !this.#chord.excluded.some((c) => this.#down.has(c))
    );
  }

  #update(): void {
    const state: PushToTalkState = this.#current
      ? 'listening'
      : this.#finishing.size
        ? 'finishing'
        : 'idle';
    if (state === this.#state) return;
    this.#state = state;
    this.#onState?.(state);
  }
}
