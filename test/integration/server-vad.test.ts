// Server VAD end to end: festival speech in, Silero turns, pocketsphinx transcripts out.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import { startLocalServer } from '../../src/server/index.ts';
import type { LocalServer } from '../../src/server/index.ts';
import { SPEECH_TOOLS, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { WireClient } from './server-wire.ts';

const skip = missingTools('server VAD', [...SPEECH_TOOLS, 'pocketsphinx_continuous']);

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Please call me back when you get home.',
  'Open the window and let the fresh air in.',
];
const COMPLETED = 'conversation.item.input_audio_transcription.completed';

function vad(fields: Record<string, number> = {}) {
  return {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 800,
    ...fields,
  };
}

describe.skipIf(skip)('server VAD with pocketsphinx', () => {
  let server: LocalServer;
  const clients: WireClient[] = [];
  beforeAll(async () => {
    server = await startLocalServer({ engine: 'pocketsphinx' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  async function session(update: Record<string, unknown>, query = ''): Promise<WireClient> {
    const client = await WireClient.connect(server.url + query);
    clients.push(client);
    client.send(update);
    await client.waitFor(
      update.type === 'transcription_session.update'
        ? 'transcription_session.updated'
        : 'session.updated',
    );
    return client;
  }

  test('one turn per sentence, each transcribed closely, timed from the start of the audio', async () => {
    const spoken = speakSentences(SENTENCES, 1500);
    const pcm = await readWavAsPcm16(spoken.path, 16000);
    const client = await session({
      type: 'session.update',
      input_audio_format: 'pcm16',
      sample_rate: 16000,
      turn_detection: vad(),
    });
    client.append(pcm, 16000);
    const done = await client.waitFor(COMPLETED, 3, 60_000);
    done.forEach((e, i) =>
      expect(wordErrorRate(SENTENCES[i]!, String(e.transcript))).toBeLessThanOrEqual(0.2),
    );
    const started = client.ofType('input_audio_buffer.speech_started');
    const stopped = client.ofType('input_audio_buffer.speech_stopped');
    expect(started).toHaveLength(3);
    spoken.spans.forEach((span, i) => {
      // Festival's files start and end with some silence of their own (≤ 300 ms); besides,
      // audio_start_ms includes the 300 ms prefix padding and audio_end_ms the 800 ms of silence.
      const start = Number(started[i]!.audio_start_ms);
      const end = Number(stopped[i]!.audio_end_ms);
      expect(start).toBeGreaterThanOrEqual(span.startMs - 300 - 50);
      expect(start).toBeLessThanOrEqual(span.startMs - 300 + 350);
      expect(end).toBeGreaterThanOrEqual(span.endMs + 800 - 350);
      expect(end).toBeLessThanOrEqual(span.endMs + 800 + 100);
      expect(stopped[i]!.item_id).toBe(started[i]!.item_id);
    });
    // The server commits by itself after each speech_stopped, and in order.
    const types = client.events.map((e) => e.type);
    const firstStop = types.indexOf('input_audio_buffer.speech_stopped');
    expect(types[firstStop + 1]).toBe('input_audio_buffer.committed');
    expect(done.map((e) => e.item_id)).toEqual(started.map((e) => e.item_id));
    // Nothing is left to commit: a client commit now races the VAD's and is "buffer too small".
    client.send({ type: 'input_audio_buffer.commit', event_id: 'evt_late' });
    const [error] = await client.waitFor('error');
    expect(error!.error).toMatchObject({
      code: 'input_audio_buffer_commit_empty',
      event_id: 'evt_late',
    });
  });

  /** The first two sentences, 700 ms of silence after each, streamed to a session whose VAD
   * waits `silenceMs` for the end of a turn. */
  async function twoSentencesWithPauses(silenceMs: number): Promise<WireClient> {
    const spoken = speakSentences(SENTENCES.slice(0, 2), 700);
    const pcm = await readWavAsPcm16(spoken.path, 16000);
    const client = await session({
      type: 'session.update',
      turn_detection: vad({ silence_duration_ms: silenceMs }),
    });
    client.append(pcm, 16000);
    return client;
  }

  test('a silence_duration_ms longer than the pause merges two sentences into one turn', async () => {
    const client = await twoSentencesWithPauses(1500);
    // The file ends with 700 ms of silence, less than 1500: the turn is still open, so commit it.
    client.send({ type: 'input_audio_buffer.commit' });
    const [done] = await client.waitFor(COMPLETED, 1, 60_000);
    expect(client.ofType('input_audio_buffer.speech_started')).toHaveLength(1);
    expect(
      wordErrorRate(SENTENCES.slice(0, 2).join(' '), String(done!.transcript)),
    ).toBeLessThanOrEqual(0.2);
  });

  test('the same pauses with a short silence_duration_ms make two turns', async () => {
    const client = await twoSentencesWithPauses(400);
    const done = await client.waitFor(COMPLETED, 2, 60_000);
    expect(client.ofType('input_audio_buffer.speech_started')).toHaveLength(2);
    done.forEach((e, i) =>
      expect(wordErrorRate(SENTENCES[i]!, String(e.transcript))).toBeLessThanOrEqual(0.2),
    );
  });

  test('prefix_padding_ms moves audio_start_ms; threshold 1 hears no speech', async () => {
    const spoken = speakSentences(SENTENCES.slice(0, 1), 1000);
    const pcm = await readWavAsPcm16(spoken.path, 16000);
    const starts: number[] = [];
    for (const prefix of [0, 400]) {
      const client = await session({
        type: 'session.update',
        turn_detection: vad({ prefix_padding_ms: prefix, silence_duration_ms: 500 }),
      });
      client.append(pcm, 16000);
      const [started] = await client.waitFor('input_audio_buffer.speech_started');
      starts.push(Number(started!.audio_start_ms));
    }
    expect(starts[0]! - starts[1]!).toBeGreaterThanOrEqual(390);
    expect(starts[0]! - starts[1]!).toBeLessThanOrEqual(410);

    const deaf = await session({ type: 'session.update', turn_detection: vad({ threshold: 1 }) });
    deaf.append(pcm, 16000);
    deaf.send({ type: 'input_audio_buffer.commit' }); // waits for the VAD to hear it all
    await deaf.waitFor('error');
    expect(deaf.ofType('input_audio_buffer.speech_started')).toEqual([]);
  });

  test('a GA session at 24 kHz is resampled for the VAD and the recognizer', async () => {
    const spoken = speakSentences(SENTENCES.slice(1, 3), 1200);
    const pcm = await readWavAsPcm16(spoken.path, 24000);
    const client = await session(
      {
        type: 'session.update',
        session: {
          type: 'transcription',
          audio: { input: { format: { type: 'audio/pcm', rate: 24000 }, turn_detection: vad() } },
        },
      },
      '?intent=transcription',
    );
    client.append(pcm, 24000);
    const done = await client.waitFor(COMPLETED, 2, 60_000);
    done.forEach((e, i) =>
      expect(wordErrorRate(SENTENCES[i + 1]!, String(e.transcript))).toBeLessThanOrEqual(0.2),
    );
    const started = client.ofType('input_audio_buffer.speech_started');
    const start = Number(started[0]!.audio_start_ms); // as at 16 kHz: see the first test
    expect(start).toBeGreaterThanOrEqual(spoken.spans[0]!.startMs - 300 - 50);
    expect(start).toBeLessThanOrEqual(spoken.spans[0]!.startMs - 300 + 350);
  });

  test('a client commit while speech is open commits the turn so far (push-to-talk release)', async () => {
    const spoken = speakSentences(SENTENCES.slice(2, 3), 1000);
    const pcm = await readWavAsPcm16(spoken.path, 16000);
    const cut = Math.round(((spoken.spans[0]!.endMs + 100) * 16000) / 1000);
    const client = await session({ type: 'session.update', turn_detection: vad() });
    client.append(pcm.subarray(0, cut), 16000);
    client.send({ type: 'input_audio_buffer.commit' });
    const [done] = await client.waitFor(COMPLETED, 1, 60_000);
    expect(client.ofType('input_audio_buffer.speech_stopped')).toEqual([]);
    expect(wordErrorRate(SENTENCES[2]!, String(done!.transcript))).toBeLessThanOrEqual(0.2);
    // The VAD starts over after the commit: the rest is silence, so no new turn.
    client.append(pcm.subarray(cut), 16000);
    client.send({ type: 'input_audio_buffer.commit' });
    await client.waitFor('error');
    expect(client.ofType('input_audio_buffer.committed')).toHaveLength(1);
  });

  test('clear is answered after the VAD has heard everything before it (a barrier)', async () => {
    const spoken = speakSentences(SENTENCES.slice(0, 1), 1000);
    const pcm = await readWavAsPcm16(spoken.path, 16000);
    const client = await session({ type: 'session.update', turn_detection: vad() });
    client.append(pcm, 16000); // ends 1000 ms after the speech: the VAD commits at 800 ms
    client.send({ type: 'input_audio_buffer.clear' });
    await client.waitFor('input_audio_buffer.cleared');
    const types = client.events.map((e) => e.type);
    expect(types.indexOf('input_audio_buffer.committed')).toBeGreaterThan(-1);
    expect(types.indexOf('input_audio_buffer.committed')).toBeLessThan(
      types.indexOf('input_audio_buffer.cleared'),
    );
    await client.waitFor(COMPLETED, 1, 60_000);
  });
});
