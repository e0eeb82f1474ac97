// The realtime client against the REAL local server: Silero VAD turns, pocketsphinx
// transcripts, on festival speech synthesized at test time. Manual commits, clear, the
// three dialects, and a dropped connection mid-dictation with every sentence once.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import { RealtimeSession } from '../../src/core/realtime/index.ts';
import { presetConfig, type Dialect, type SessionConfig } from '../../src/shared/providers.ts';
import { startLocalServer, type LocalServer } from '../../src/server/index.ts';
import { SPEECH_TOOLS, speak, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { appendAll, dictate, record } from '../helpers/fake-servers/dictation.ts';

const skip = missingTools('realtime client with the local server', [
  ...SPEECH_TOOLS,
  'pocketsphinx_continuous',
]);

const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Please call me back when you get home.',
  'Open the window and let the fresh air in.',
];
const VAD = {
  type: 'server_vad',
  threshold: 0.5,
  prefixPaddingMs: 300,
  silenceDurationMs: 800,
} as const;

function expectClose(transcripts: string[], sentences: string[]) {
  expect(transcripts).toHaveLength(sentences.length);
  sentences.forEach((s, i) =>
    expect(wordErrorRate(s, transcripts[i]!), `"${transcripts[i]}" for "${s}"`).toBeLessThanOrEqual(
      0.2,
    ),
  );
}

describe.skipIf(skip)('RealtimeSession with the local server (Silero VAD, pocketsphinx)', () => {
  let server: LocalServer;
  let config: (overrides?: Partial<SessionConfig>) => SessionConfig;
  beforeAll(async () => {
    server = await startLocalServer({ engine: 'pocketsphinx' });
    config = (overrides = {}) =>
      presetConfig('local', { url: server.url, vad: { ...VAD }, ...overrides });
  });
  afterAll(async () => server?.close());

  const sentencesPcm = async (rate: number) =>
    readWavAsPcm16(speakSentences(SENTENCES, 1500).path, rate);

  test.each<[Dialect, 16000 | 24000]>([
    ['seed', 16000],
    ['beta', 16000],
    ['ga', 24000],
  ])('VAD turns, one per sentence (%s dialect, %i Hz)', async (dialect, rate) => {
    const session = new RealtimeSession({ config: config({ dialect, sampleRate: rate }) });
    const rec = record(session);
    const result = await dictate(session, await sentencesPcm(rate), rate, 90_000);
    expectClose(
      result.turns.map((t) => t.transcript ?? ''),
      SENTENCES,
    );
    expect(rec.transcripts()).toEqual(result.turns.map((t) => t.transcript));
    // the turns sit where the sentences were spoken (session timeline, ms)
    expect(result.turns[0]!.audioStartMs).toBeLessThan(1000);
  });

  test('manual commits, and clear discards what was said since the last commit', async () => {
    const session = new RealtimeSession({ config: config({ vad: null }) });
    const rec = record(session);
    await session.connect();
    const say = async (text: string) =>
      appendAll(session, await readWavAsPcm16(speak(text), 16000), 16000);
    await say(SENTENCES[0]!);
    session.commit();
    await say('This sentence is cleared and never typed.');
    session.clear();
    await say(SENTENCES[1]!);
    session.commit();
    await say(SENTENCES[2]!); // committed by stop()
    const result = await session.stop({ timeoutMs: 60_000 });
    expectClose(
      result.turns.map((t) => t.transcript ?? ''),
      SENTENCES,
    );
    expect(rec.of('completed')).toHaveLength(3);
  });

  test('a connection dropped mid-dictation: every sentence transcribed exactly once', async () => {
    const session = new RealtimeSession({ config: config(), reconnect: { initialDelayMs: 20 } });
    const rec = record(session);
    await session.connect();
    const pcm = await sentencesPcm(16000);
    // first sentence and a half, then the server drops us as soon as it commits the first turn
    const half = Math.round(pcm.length * 0.5);
    appendAll(session, pcm.subarray(0, half), 16000);
    await rec.next((e) => e.type === 'committed', 'the first committed turn', 60_000);
    server.dropConnections();
    appendAll(session, pcm.subarray(half), 16000);
    const result = await session.stop({ timeoutMs: 90_000 });
    expectClose(
      result.turns.map((t) => t.transcript ?? ''),
      SENTENCES,
    );
    expect(rec.of('completed')).toHaveLength(3);
    expect(rec.of('state').map((e) => e.state)).toContain('reconnecting');
  });
});
