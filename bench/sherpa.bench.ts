// The sherpa engine, per model: how long it takes to load, its real-time factor on festival
// speech, the recognizer process's peak memory, and key up → completed through the local server
// (push-to-talk: the turn is appended, then the commit is sent and timed). Real models where an
// environment variable names one (test/helpers/sherpa-models.ts); always the SenseVoice-shaped
// test model too, whose figures are the engine's own cost (process, features, messages) with
// next to no network to run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav, readWavAsPcm16 } from '../src/core/audio/wav.ts';
import { silentLogger } from '../src/core/log.ts';
import type { LocalModel } from '../src/core/models/model-types.ts';
import { createEngine } from '../src/server/engines/select.ts';
import type { SherpaEngine } from '../src/server/engines/sherpa.ts';
import { startLocalServer } from '../src/server/index.ts';
import { writeSenseVoiceModel } from '../test/helpers/sense-voice-graph.ts';
import { PUNCTUATION_MODEL, REAL_MODELS, realModel } from '../test/helpers/sherpa-models.ts';
import { speak } from '../test/helpers/speech.ts';
import { WireClient } from '../test/integration/server-wire.ts';
import { figure, percentile } from './figure.ts';
import type { Bench, Figure } from './figure.ts';

const RATE = 16000;
const SENTENCES = [
  'The quick brown fox jumps over the lazy dog.',
  'Please call me back when you get home.',
  'Open the window and let the fresh air in.',
];
/** Each sentence is decoded this many times, after one warm-up decode. */
const ROUNDS = 3;
const COMPLETED = 'conversation.item.input_audio_transcription.completed';

interface Measured {
  model: LocalModel;
  punctuation?: LocalModel;
}

const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-bench-'));
  try {
    const models: Measured[] = [
      {
        model: {
          id: 'SenseVoice-shaped test model',
          kind: 'sense-voice',
          files: writeSenseVoiceModel(join(dir, 'tiny')),
          languages: ['zh', 'en'],
        },
      },
    ];
    for (const real of REAL_MODELS) {
      const model = realModel(real);
      if (typeof model === 'string') {
        console.error(`sherpa bench: ${real.kind} not measured: ${model}`);
        continue;
      }
      const punctuation = real.kind === 'paraformer' ? realModel(PUNCTUATION_MODEL) : undefined;
      models.push({
        model,
        punctuation: typeof punctuation === 'object' ? punctuation : undefined,
      });
    }
    const speech = await Promise.all(SENTENCES.map((s) => readWavAsPcm16(speak(s), RATE)));
    const figures: Figure[] = [];
    for (const measured of models) figures.push(...(await measure(measured, speech)));
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
export default bench;

async function measure({ model, punctuation }: Measured, speech: Int16Array[]): Promise<Figure[]> {
  const name = `sherpa ${model.id}${punctuation ? ' + punctuation' : ''}`;
  const engineOptions = { model, punctuation, language: 'en' };
  const loadStarted = performance.now();
  const engine = createEngine('sherpa', engineOptions, silentLogger) as SherpaEngine;
  await engine.ready();
  const loadMs = performance.now() - loadStarted;
  let decodeMs = 0;
  let audioMs = 0;
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      for (const pcm of speech) {
        const started = performance.now();
        await engine.transcribe({
          wav: encodeWav(pcm, RATE),
          wavFile: () => Promise.reject(new Error('not used')),
          sampleRate: RATE,
          language: 'en',
          signal: new AbortController().signal,
        });
        if (round === 0) continue; // warm-up
        decodeMs += performance.now() - started;
        audioMs += (pcm.length / RATE) * 1000;
      }
    }
  } finally {
    await engine.close();
  }
  const peak = recognizerPeakMemory(engineOptions);

  // Key up → completed: the whole turn is in the server's buffer; the commit is the key up.
  const server = await startLocalServer({ engine: 'sherpa', engineOptions });
  const keyUp: number[] = [];
  try {
    const client = await WireClient.connect(server.url);
    client.send({
      type: 'session.update',
      turn_detection: null,
      input_audio_transcription: { language: 'en' },
    });
    await client.waitFor('session.updated');
    let turns = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      for (const pcm of speech) {
        client.append(pcm, RATE);
        const sent = performance.now();
        client.send({ type: 'input_audio_buffer.commit' });
        const done = await client.waitFor(COMPLETED, ++turns, 120_000);
        const arrived = client.times[client.events.indexOf(done[turns - 1]!)]!;
        if (round > 0) keyUp.push(arrived - sent);
      }
    }
    client.close();
  } finally {
    await server.close();
  }
  if (process.env.BENCH_DEBUG) console.error({ name, keyUp });

  return [
    figure(`${name}: load`, loadMs, 'ms', undefined),
    figure(`${name}: real-time factor (decode ÷ audio)`, decodeMs / audioMs, '×', undefined),
    ...(peak === undefined
      ? []
      : [figure(`${name}: recognizer process, peak memory`, peak, 'MB', undefined)]),
    figure(`${name}: key up → completed, p50`, percentile(keyUp, 50), 'ms', undefined),
    figure(`${name}: key up → completed, p95`, percentile(keyUp, 95), 'ms', undefined),
  ];
}

/** The recognizer process's peak resident memory (Linux's VmHWM), measured in a process of its
 * own: the engine loads the model and decodes one sentence, and the process is read before it
 * closes. Undefined where /proc does not exist. */
function recognizerPeakMemory(engineOptions: Record<string, unknown>): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const script = `
    import { execFileSync } from 'node:child_process';
    import { readFileSync } from 'node:fs';
    const { createEngine } = await import(${JSON.stringify(new URL('../src/server/engines/select.ts', import.meta.url).href)});
    const { encodeWav } = await import(${JSON.stringify(new URL('../src/core/audio/wav.ts', import.meta.url).href)});
    const options = JSON.parse(process.env.TINGXIE_BENCH_ENGINE);
    const engine = createEngine('sherpa', options, { debug() {}, info() {}, warn() {}, error() {} });
    await engine.ready();
    await engine.transcribe({ wav: encodeWav(new Int16Array(5 * 16000), 16000), sampleRate: 16000, language: 'en', signal: new AbortController().signal });
    const [child] = execFileSync('pgrep', ['-P', String(process.pid)]).toString().trim().split('\\n');
    console.log(/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/' + child + '/status', 'utf8'))[1]);
    await engine.close();`;
  const kB = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, TINGXIE_BENCH_ENGINE: JSON.stringify(engineOptions) },
  });
  return Number(String(kB).trim()) / 1024;
}
