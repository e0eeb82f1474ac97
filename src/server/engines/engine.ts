// One interface for every speech recognizer the local server can run on a committed turn.

export interface TranscriptionRequest {
  /** The turn as a mono PCM16 WAV file at `sampleRate`. */
  wav: Uint8Array;
  /** The path of `wav` written to a temporary file, for engines that read a file (written on
   * the first call, removed after the turn). */
  wavFile(): Promise<string>;
  sampleRate: number;
  /** `auto` or a language code such as `en`. */
  language: string;
  prompt?: string;
  /** Terms expected in the turn (the session's `keywords`): engines that take hotwords boost
   * them; the others have them in the prompt already, or not at all. */
  keywords?: readonly string[];
  /** The model the client asked for (`input_audio_transcription.model`). */
  model?: string;
  /** Aborted when the turn times out or its connection goes away. */
  signal: AbortSignal;
}

export interface TranscriptionEngine {
  readonly name: string;
  /** The sample rate the recognizer needs; turns are resampled to it. Undefined: any rate. */
  readonly sampleRate?: number;
  /** Returns the transcript (empty when nothing was recognized); throws TranscriptionError. */
  transcribe(request: TranscriptionRequest): Promise<string>;
  /** Starts following a turn while it is spoken (live text, before its final text): undefined
   * when the engine cannot (now, or at all). `onText` receives the whole text so far, each
   * time it changes; it may rewrite what it said before. */
  startLive?(onText: (text: string) => void): LiveTranscription | undefined;
  /** A session's transcription settings changed: what its turns will need that takes a while
   * (a model loaded again for its keywords) is prepared now, while it is spoken, rather than
   * after its first turn is committed. */
  prepare?(settings: { language: string; keywords?: readonly string[] }): void;
  /** Frees what the engine holds (a loaded model, a process); called when the server closes. */
  close?(): Promise<void>;
}

/** One turn followed while it is spoken. */
export interface LiveTranscription {
  /** The turn's next audio, mono at the engine's `sampleRate` (16 kHz without one). */
  accept(samples: Float32Array): void;
  /** No more audio, and no more text, for this turn. */
  close(): void;
}

/** Becomes `conversation.item.input_audio_transcription.failed` with this code. */
export class TranscriptionError extends Error {
  override name = 'TranscriptionError';
  readonly code: string;
  constructor(code: 'engine_failed' | 'engine_timeout' | 'audio_unintelligible', message: string) {
    super(message);
    this.code = code;
  }
}

/** No recognizer can run here; the message says what to install. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
  constructor(
    message = 'No speech recognizer found. Install pocketsphinx (apt-get install pocketsphinx pocketsphinx-en-us) or whisper.cpp.',
  ) {
    super(message);
  }
}
