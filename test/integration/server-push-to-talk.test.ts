// Push-to-talk turns (turn_detection: null, the client commits) end to end: festival speech
// with near-silent dither around it, pocketsphinx transcripts out. The server trims the silence
// around the speech with its VAD before the engine hears the turn (issue #16): pocketsphinx,
// given 1.5 s of ±1 LSB dither before the speech, recognized "whether or to". Then what the
// engine hears, measured by an engine that answers with the length of its turn, and how the
// trimmer hears a long turn.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import { silentLogger } from '../../src/core/log.ts';
import { startLocalServer } from '../../src/server/index.ts';
import type { LocalServer, LocalServerOptions } from '../../src/server/index.ts';
import { SileroModel } from '../../src/server/vad/silero-model.ts';
import { SpeechTrimmer } from '../../src/server/vad/speech-trimmer.ts';
import { concatSamples } from '../helpers/concat-samples.ts';
import { SPEECH_TOOLS, quietNoise, speak, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { WireClient } from './server-wire.ts';

const skip = missingTools('push-to-talk turns', [...SPEECH_TOOLS, 'pocketsphinx_continuous']);
const skipLength = missingTools('push-to-talk turn lengths', SPEECH_TOOLS);

const RATE = 16000;
const WEATHER = 'the weather will be sunny and warm tomorrow';
const CALL = 'please call me back when you get home';
const COMPLETED = 'conversation.item.input_audio_transcription.completed';

const spoken = (text: string) => readWavAsPcm16(speak(text), RATE);
const dither = (ms: number, seed = 1) => quietNoise(ms, RATE, { seed });
const join = (...parts: Int16Array[]) => concatSamples(Int16Array, parts);

describe.skipIf(skip)('push-to-talk turns with pocketsphinx', () => {
  let server: LocalServer;
  const clients: WireClient[] = [];
  beforeAll(async () => {
    server = await startLocalServer({ engine: 'pocketsphinx' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  async function connect(turnDetection: Record<string, unknown> | null): Promise<WireClient> {
    const client = await WireClient.connect(server.url);
    clients.push(client);
    client.send({ type: 'session.update', sample_rate: RATE, turn_detection: turnDetection });
    await client.waitFor('session.updated');
    return client;
  }

  /** Sends `pcm` as one push-to-talk turn and resolves with its transcript. */
  async function pushToTalk(pcm: Int16Array): Promise<string> {
    const client = await connect(null);
    client.append(pcm, RATE);
    client.send({ type: 'input_audio_buffer.commit' });
    const [done] = await client.waitFor(COMPLETED, 1, 60_000);
    return String(done!.transcript);
  }

  test('the speech alone, and after digital silence, is transcribed exactly', async () => {
    const speech = await spoken(WEATHER);
    expect(await pushToTalk(speech)).toBe(WEATHER);
    expect(await pushToTalk(join(new Int16Array(RATE * 1.5), speech))).toBe(WEATHER);
  });

  test.each([
    ['a dithered lead-in', 1500, 0],
    ['a dithered lead-in and tail', 1500, 1500],
    ['a dithered tail', 0, 2000],
    ['a long dithered lead-in', 4000, 500],
  ])('%s does not spoil the turn', async (_name, leadMs, tailMs) => {
    const speech = await spoken(WEATHER);
    expect(await pushToTalk(join(dither(leadMs), speech, dither(tailMs, 2)))).toBe(WEATHER);
  });

  test('a faint hiss (-66 dBFS) around the speech does not spoil the turn', async () => {
    const hiss = (ms: number, seed: number) => quietNoise(ms, RATE, { peak: 30, seed });
    expect(await pushToTalk(join(hiss(1500, 3), await spoken(WEATHER), hiss(1000, 4)))).toBe(
      WEATHER,
    );
  });

  test('a long dithered pause between two sentences keeps their words apart', async () => {
    const pcm = join(dither(1000), await spoken(WEATHER), dither(3000, 2), await spoken(CALL));
    const transcript = await pushToTalk(pcm);
    expect(wordErrorRate(`${WEATHER} ${CALL}`, transcript)).toBeLessThanOrEqual(0.1);
  });

  test('a 24 kHz (GA) turn is trimmed at its own rate', async () => {
    const client = await WireClient.connect(`${server.url}?intent=transcription`);
    clients.push(client);
    client.send({
      type: 'session.update',
      session: { type: 'transcription', audio: { input: { turn_detection: null } } },
    });
    const speech = await readWavAsPcm16(speak(WEATHER), 24000);
    client.append(
      join(quietNoise(1500, 24000), speech, quietNoise(1500, 24000, { seed: 2 })),
      24000,
    );
    client.send({ type: 'input_audio_buffer.commit' });
    const [done] = await client.waitFor(COMPLETED, 1, 60_000);
    expect(done!.transcript).toBe(WEATHER);
  });

  test('a turn of dither only is committed and transcribed as nothing', async () => {
    const client = await connect(null);
    client.append(dither(2000), RATE);
    client.send({ type: 'input_audio_buffer.commit' });
    const [done] = await client.waitFor(COMPLETED, 1, 60_000);
    expect(done!.transcript).toBe('');
    expect(client.ofType('input_audio_buffer.committed')).toHaveLength(1);
    expect(client.ofType('conversation.item.input_audio_transcription.delta')).toEqual([]);
    expect(client.ofType('error')).toEqual([]);
  });

  test('server VAD turns are not spoiled by the same dither', async () => {
    const client = await connect({
      type: 'server_vad',
      threshold: 0.5,
      prefix_padding_ms: 300,
      silence_duration_ms: 800,
    });
    client.append(join(dither(1500), await spoken(WEATHER), dither(1500, 2)), RATE);
    const [done] = await client.waitFor(COMPLETED, 1, 60_000);
    expect(done!.transcript).toBe(WEATHER);
  });
});

/** Prints "<ms> ms" for a 16 kHz PCM16 WAV (44-byte header, 32 bytes per ms). */
const LENGTH_ENGINE: LocalServerOptions = {
  engine: 'command',
  engineOptions: { command: ['sh', '-c', 'echo "$(( ($(wc -c < "$0") - 44) / 32 )) ms"', '{wav}'] },
};

describe.skipIf(skipLength)('what the engine hears of a push-to-talk turn', () => {
  let server: LocalServer;
  const clients: WireClient[] = [];
  beforeAll(async () => {
    server = await startLocalServer(LENGTH_ENGINE);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
  });

  const ms = (pcm: Int16Array) => (pcm.length * 1000) / RATE;

  /** Sends `pcm` as one push-to-talk turn; resolves with the ms the engine heard ('' if none). */
  async function heard(pcm: Int16Array): Promise<string> {
    const client = await WireClient.connect(server.url);
    clients.push(client);
    client.send({ type: 'session.update', turn_detection: null });
    client.append(pcm, RATE);
    client.send({ type: 'input_audio_buffer.commit' });
    const [done] = await client.waitFor(COMPLETED, 1, 60_000);
    return String(done!.transcript);
  }

  test('the speech and 300 ms either side, not the dither around it', async () => {
    const speech = await spoken(WEATHER);
    const length = parseInt(await heard(join(dither(2000), speech, dither(2000, 2))));
    // Festival's file has quiet of its own at each end (under 300 ms), which is trimmed too.
    expect(length).toBeGreaterThan(ms(speech) - 500);
    expect(length).toBeLessThanOrEqual(ms(speech) + 600);
  });

  test('a long pause inside the turn is shortened to 600 ms', async () => {
    const speech = await spoken(WEATHER);
    const length = parseInt(await heard(join(speech, dither(3000), speech)));
    // Each sentence loses at most festival's quiet at its ends; the pause keeps 600 ms.
    expect(length).toBeGreaterThan(2 * (ms(speech) - 500) + 600);
    expect(length).toBeLessThanOrEqual(2 * ms(speech) + 600);
  });

  test('a turn of near-silence is an empty transcript: the engine does not run', async () => {
    expect(await heard(dither(2000))).toBe('');
    expect(await heard(new Int16Array(RATE))).toBe('');
  });

  test('a loud stretch Silero does not take for speech is kept beside the speech', async () => {
    // Silero misses some of what people say (a far voice, singing) and takes clicks for speech:
    // only quiet is cut, so a loud stretch it hears nothing in still reaches the engine.
    const speech = await spoken(WEATHER);
    const tone = Int16Array.from({ length: RATE * 0.7 }, (_, i) => 3000 * Math.sin(i / 7));
    const length = parseInt(await heard(join(speech, dither(2000), tone, dither(2000, 3))));
    // The speech, the pause shortened to 600 ms, the whole tone and 300 ms after it.
    expect(length).toBeGreaterThan(ms(speech) - 500 + 600 + 700);
    expect(length).toBeLessThanOrEqual(ms(speech) + 600 + 700 + 300);
  });

  test('a loud turn without speech goes to the engine whole', async () => {
    const tone = Int16Array.from({ length: RATE * 0.7 }, (_, i) => 3000 * Math.sin(i / 7));
    expect(await heard(tone)).toBe('700 ms');
  });
});

describe('the trimmer on a long turn', () => {
  let model: SileroModel;
  beforeAll(async () => {
    model = await SileroModel.load();
  });
  afterAll(() => model.release());

  // Two minutes of a buzz at about -36 dBFS: no speech, so the turn comes back whole.
  const buzz = Int16Array.from({ length: RATE * 120 }, (_, i) => ((i * 7919) % 1001) - 500);

  /** Trims `buzz`, counting the event loop's turns meanwhile; `abortAfter` ticks, aborts. */
  async function trimCountingTicks(abortAfter = Infinity) {
    const abort = new AbortController();
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      if (++ticks === abortAfter) abort.abort();
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const trimmed = await new SpeechTrimmer(model, silentLogger).trim(buzz, RATE, abort.signal);
    ticking = false;
    return { trimmed, ticks };
  }

  test('is heard a second at a time, the event loop turning between', async () => {
    const { trimmed, ticks } = await trimCountingTicks();
    expect(trimmed).toBe(buzz);
    // 120 batches, each run behind a setImmediate. Heard in one go (~400 ms of CPU), the loop
    // would not turn until the end.
    expect(ticks).toBeGreaterThanOrEqual(100);
  });

  test('stops when its connection goes, and hands the turn back whole', async () => {
    const { trimmed, ticks } = await trimCountingTicks(10);
    expect(trimmed).toBe(buzz);
    expect(ticks).toBeLessThan(20);
  });
});
