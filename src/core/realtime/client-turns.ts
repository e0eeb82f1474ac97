// Turns cut by the client, for models that take no voice detection (OpenAI's
// gpt-live-transcribe and gpt-realtime-whisper: the client commits each turn). With voice
// detection on in Settings, a long dictation is still cut at its pauses — each sentence's
// final text arrives while the person goes on speaking, as with a server's VAD — instead of
// becoming one turn that is transcribed only at stop.
//
// The detector is a plain level gate on 10 ms frames, above a noise floor that it follows: it
// only has to find a pause between sentences. It starts out assuming a quiet room (a dictation
// may begin with its first word); in a noisy one its floor rises to the noise within seconds,
// and until then it cuts nothing but, at worst, a turn of noise the server finds no words in.
// It never cuts inside speech: a pause is this many ms of frames under the speech level.

/** Below this a frame is silence whatever the floor (about -50 dBFS). */
const MIN_SPEECH_RMS = 100;
/** Speech is this many times the noise floor's level (12 dB). */
const SPEECH_OVER_FLOOR = 4;
/** A turn needs this much speech before a pause may end it. */
const MIN_SPEECH_MS = 200;
/** The floor creeps up this much per frame (×7 in 10 s), so that it follows a noisy room;
 * any quieter frame brings it down at once. */
const FLOOR_RISE = 1.002;
/** The floor a dictation starts with: a quiet room (about -62 dBFS). */
const QUIET_FLOOR = MIN_SPEECH_RMS / SPEECH_OVER_FLOOR;

export class ClientTurns {
  private readonly frame: number;
  private readonly pauseFrames: number;
  private readonly minSpeechFrames: number;
  private rest = new Int16Array(0);
  private floor = QUIET_FLOOR;
  private speechFrames = 0;
  private quietFrames = 0;

  /** `pauseMs`: the silence after speech that ends a turn (the VAD's silence duration). */
  constructor(sampleRate: number, pauseMs: number) {
    this.frame = Math.max(1, Math.round(sampleRate / 100));
    this.pauseFrames = Math.max(1, Math.round(pauseMs / 10));
    this.minSpeechFrames = Math.round(MIN_SPEECH_MS / 10);
  }

  /** Hears `pcm`; true when a turn ended in it (commit after it). */
  hear(pcm: Int16Array): boolean {
    const all = new Int16Array(this.rest.length + pcm.length);
    all.set(this.rest);
    all.set(pcm, this.rest.length);
    let ended = false;
    let i = 0;
    for (; i + this.frame <= all.length; i += this.frame) {
      if (this.frameEndsTurn(rms(all, i, this.frame))) ended = true;
    }
    this.rest = all.slice(i);
    return ended;
  }

  /** Whether anything louder than silence was heard since the last turn ended: if not, the
   * audio left at stop is the pause after the last turn, not a turn of its own. */
  get heardSinceTurn(): boolean {
    return this.speechFrames > 0;
  }

  private frameEndsTurn(level: number): boolean {
    this.floor = Math.min(this.floor * FLOOR_RISE, Math.max(level, 1));
    if (level > Math.max(MIN_SPEECH_RMS, this.floor * SPEECH_OVER_FLOOR)) {
      this.speechFrames++;
      this.quietFrames = 0;
      return false;
    }
    if (this.speechFrames < this.minSpeechFrames) return false;
    if (++this.quietFrames < this.pauseFrames) return false;
    this.speechFrames = 0;
    this.quietFrames = 0;
    return true;
  }
}

function rms(samples: Int16Array, from: number, length: number): number {
  let sum = 0;
  for (let j = from; j < from + length; j++) sum += samples[j]! * samples[j]!;
  return Math.sqrt(sum / length);
}
