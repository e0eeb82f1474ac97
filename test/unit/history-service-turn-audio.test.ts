// Each turn's audio, cut from the dictation's frames by commits and speech boundaries, and
// kept with a failed turn in the history (so that it can be retried).
import { describe, expect, it } from 'vitest';
import type { TranscriptionSession } from '../../src/core/dictation/ports.ts';
import { TurnAudioRecorder } from '../../src/core/dictation/turn-audio.ts';
import type { NewHistoryEntry, TurnAudio } from '../../src/core/history/index.ts';
import type { TranscriptEvent } from '../../src/shared/events.ts';
import { testDesktopServices } from '../helpers/desktop-services.ts';

const RATE = 16000;

/** `ms` of audio whose every sample is the number of the 10 ms block it is in, from `fromMs`. */
function blocks(fromMs: number, ms: number): Int16Array {
  const out = new Int16Array((ms * RATE) / 1000);
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(fromMs / 10 + i / (RATE / 100));
  return out;
}

const committed = (itemId: string): TranscriptEvent => ({
  type: 'committed',
  itemId,
  previousItemId: null,
});

describe('TurnAudioRecorder', () => {
  it('without speech events, a turn is the audio between two commits', () => {
    const turns = new TurnAudioRecorder();
    turns.start(RATE);
    turns.push(blocks(0, 600));
    turns.push(blocks(600, 400));
    turns.onEvent(committed('a'));
    turns.push(blocks(1000, 500));
    turns.onEvent(committed('b'));

    const a = turns.take('a')!;
    expect(a.sampleRate).toBe(RATE);
    expect(a.samples.length).toBe(RATE);
    expect([a.samples[0], a.samples.at(-1)]).toEqual([0, 99]);
    const b = turns.take('b')!;
    expect(b.samples.length).toBe(RATE / 2);
    expect([b.samples[0], b.samples.at(-1)]).toEqual([100, 149]);
    // Once only; unknown turns have none.
    expect(turns.take('a')).toBeUndefined();
    expect(turns.take('zzz')).toBeUndefined();
  });

  it('with the server’s speech boundaries, the turn is the speech and 300 ms either side', () => {
    const turns = new TurnAudioRecorder();
    turns.start(RATE);
    for (let ms = 0; ms < 3000; ms += 40) turns.push(blocks(ms, 40));
    turns.onEvent({ type: 'speech_started', itemId: 'a', audioStartMs: 800 });
    turns.onEvent({ type: 'speech_stopped', itemId: 'a', audioEndMs: 1700 });
    turns.onEvent(committed('a'));
    const a = turns.take('a')!;
    expect(a.samples.length).toBe((1500 * RATE) / 1000);
    expect([a.samples[0], a.samples.at(-1)]).toEqual([50, 199]);
  });

  it('a new dictation forgets the last one', () => {
    const turns = new TurnAudioRecorder();
    turns.start(RATE);
    turns.push(blocks(0, 100));
    turns.start(24000);
    turns.onEvent(committed('a'));
    expect(turns.take('a')).toBeUndefined();
  });
});

describe('desktop services keep a turn’s audio with its history entry', () => {
  /** A dictation of 25 frames whose one turn fails, with `keepAudio` from the settings. */
  async function failedDictation(keepAudio?: 'off' | 'failed' | 'all') {
    const listeners = new Set<(e: TranscriptEvent) => void>();
    const emit = (e: TranscriptEvent) => listeners.forEach((l) => l(e));
    const session: TranscriptionSession = {
      connect: async () => emit({ type: 'ready' }),
      append() {},
      stop: async () => {
        emit(committed('a'));
        emit({
          type: 'failed',
          itemId: 'a',
          previousItemId: null,
          error: { code: 'audio_unintelligible', message: 'Could not understand.' },
        });
      },
      close() {},
      onEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const added: { entry: NewHistoryEntry; audio: TurnAudio | undefined }[] = [];
    const services = testDesktopServices({
      settingsBackend: {
        read: () => (keepAudio ? { history: { keepAudio, keepDays: 0, maxCount: 0 } } : undefined),
        write: () => {},
      },
      createSession: () => session,
      history: { add: (entry, audio) => added.push({ entry, audio }) },
    });
    const { sampleRate } = await services.startDictation();
    const frame = (sampleRate * 40) / 1000;
    for (let seq = 0; seq < 25; seq++) services.pushFrame(seq, new Int16Array(frame).fill(seq));
    await services.stopDictation(25);
    await services.dispose();
    return { added, frame, sampleRate };
  }

  it('the failed turn’s audio goes to the history with it (by default)', async () => {
    const { added, frame, sampleRate } = await failedDictation();
    expect(added).toHaveLength(1);
    expect(added[0]!.entry).toMatchObject({ status: 'failed', text: '' });
    expect(added[0]!.audio?.sampleRate).toBe(sampleRate);
    expect(added[0]!.audio?.samples.length).toBe(25 * frame);
    expect(added[0]!.audio?.samples.at(-1)).toBe(24);
  });

  it('no audio when Settings → History keeps none', async () => {
    const { added } = await failedDictation('off');
    expect(added).toHaveLength(1);
    expect(added[0]!.audio).toBeUndefined();
  });
});
