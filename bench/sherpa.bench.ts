// The sherpa engine, per model: how long it takes to load, its real-time factor on festival
// speech, the recognizer process's peak memory, and key up → completed through the local server
// (push-to-talk: the turn is appended, then the commit is sent and timed). Real models where an
// environment variable names one (test/helpers/sherpa-models.ts); always the SenseVoice-shaped
// test model too, whose figures are the engine's own cost (process, features, messages) with
// next to no network to run.
//
// Live text (two passes): with a streaming model beside the offline one, the first live text
// after the speech starts (the audio sent at the pace it is spoken), key up → completed with
// live text on, and the recognizer's peak memory with both models. The streaming-transducer-
// shaped test model always (labelled so), a real one where TINGXIE_STREAMING_MODEL names a
// sherpa-onnx streaming Zipformer folder (e.g. sherpa-onnx-streaming-zipformer-bilingual-zh-en-
// 2023-02-20, which the catalog's streaming-zipformer-zh-en is).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeWav, readWavAsPcm16 } from '../src/core/audio/wav.ts';
import { silentLogger } from '../src/core/log.ts';
import type { LocalModel } from '../src/core/models/model-types.ts';
import { createEngine } from '../src/server/engines/select.ts';
import type { SherpaEngine } from '../src/server/engines/sherpa.ts';
import { startLocalServer } from '../src/server/index.ts';
import { concatSamples } from '../test/helpers/concat-samples.ts';
import { writeSenseVoiceModel } from '../test/helpers/sense-voice-graph.ts';
import { writeStreamingTransducerModel } from '../test/helpers/streaming-transducer-graph.ts';
import { TONES } from '../test/helpers/tone-turns.ts';
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
/** The target for key up → completed of a 5 s utterance with SenseVoice on 2 cores. */
const SENSE_VOICE_KEY_UP_MS = 300;
/** Each sentence is decoded this many times, after one warm-up decode. */
const ROUNDS = 3;
const COMPLETED = 'conversation.item.input_audio_transcription.completed';
const DELTA = 'conversation.item.input_audio_transcription.delta';
const STREAMING_ENV = 'TINGXIE_STREAMING_MODEL';
/** Audio is sent in chunks of this length, each when it would have been spoken. */
const CHUNK_MS = 40;

/** Ends the ids of the models the bench builds: their figures are the engine's own cost. */
const TEST_MODEL = 'test model';
const isTestModel = (model: LocalModel) => model.id.endsWith(TEST_MODEL);

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
          id: `SenseVoice-shaped ${TEST_MODEL}`,
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

    const tiny = models[0]!.model;
    const tinyStreaming: LocalModel = {
      id: `streaming-transducer-shaped ${TEST_MODEL}`,
      kind: 'streaming-zipformer',
      files: writeStreamingTransducerModel(join(dir, 'tiny-streaming')),
      languages: ['zh', 'en'],
    };
    const tones = Array<Int16Array>(SENTENCES.length).fill(TONES);
    figures.push(...(await measureLive(tiny, tinyStreaming, tones)));
    const streaming = realStreamingModel();
    if (typeof streaming === 'string') {
      console.error(
        `sherpa bench: live text with a real streaming model not measured: ${streaming}`,
      );
    } else {
      // Beside the best real offline model given, else the test model (the streaming pass alone).
      const offline = models.find((m) => m.model !== tiny && !m.punctuation)?.model ?? tiny;
      figures.push(...(await measureLive(offline, streaming, speech)));
    }
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
  // One utterance of about 5 s (the first two sentences), as the target is stated.
  const utterance = concatSamples(Int16Array, speech.slice(0, 2));
  const seconds = Math.round(utterance.length / RATE);
  const target =
    model.kind === 'sense-voice' && !isTestModel(model) ? SENSE_VOICE_KEY_UP_MS : undefined;
  const server = await startLocalServer({ engine: 'sherpa', engineOptions });
  const keyUp: number[] = [];
  try {
    const client = await englishPushToTalk(server.url);
    for (let round = 0; round <= ROUNDS; round++) {
      client.append(utterance, RATE);
      const sent = performance.now();
      client.send({ type: 'input_audio_buffer.commit' });
      const done = await client.waitFor(COMPLETED, round + 1, 120_000);
      const arrived = client.times[client.events.indexOf(done[round]!)]!;
      if (round > 0) keyUp.push(arrived - sent);
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
    figure(`${name}: key up → completed (${seconds} s), p50`, percentile(keyUp, 50), 'ms', target),
    figure(
      `${name}: key up → completed (${seconds} s), p95`,
      percentile(keyUp, 95),
      'ms',
      undefined,
    ),
  ];
}

/** Live text beside `offline`: each turn's audio is sent at the pace it is spoken; the first
 * delta is timed from the chunk that holds the first loud sample, and the commit (key up) to
 * completed as above. */
async function measureLive(
  offline: LocalModel,
  streaming: LocalModel,
  turns: Int16Array[],
): Promise<Figure[]> {
  const name = `sherpa ${offline.id} + live text from ${streaming.id}`;
  const engineOptions = { model: offline, streaming, language: 'en' };
  const peak = recognizerPeakMemory(engineOptions);
  const server = await startLocalServer({ engine: 'sherpa', engineOptions });
  const firstText: number[] = [];
  const keyUp: number[] = [];
  try {
    const client = await englishPushToTalk(server.url);
    let completed = 0;
    for (let round = 0; round <= ROUNDS; round++) {
      for (const pcm of turns) {
        // A moment of silence after the turn, for its last words to come live before key up.
        const turn = concatSamples(Int16Array, [pcm, new Int16Array((RATE * 300) / 1000)]);
        const from = client.events.length;
        const onset = onsetChunk(turn);
        const step = (RATE * CHUNK_MS) / 1000;
        const started = performance.now();
        let onsetSent = started;
        for (let i = 0; i * step < turn.length; i++) {
          if (i === onset) onsetSent = performance.now();
          client.append(turn.subarray(i * step, (i + 1) * step), RATE, CHUNK_MS);
          const due = started + (i + 1) * CHUNK_MS - performance.now();
          if (due > 0) await sleep(due);
        }
        const delta = client.events.slice(from).find((e) => e.type === DELTA);
        const sent = performance.now();
        client.send({ type: 'input_audio_buffer.commit' });
        const done = await client.waitFor(COMPLETED, ++completed, 120_000);
        const arrived = client.times[client.events.indexOf(done[completed - 1]!)]!;
        if (round === 0) continue; // warm-up
        keyUp.push(arrived - sent);
        if (delta) firstText.push(client.times[client.events.indexOf(delta)]! - onsetSent);
        else console.error(`sherpa bench: ${name}: a turn had no live text before key up.`);
      }
    }
    client.close();
  } finally {
    await server.close();
  }
  if (process.env.BENCH_DEBUG) console.error({ name, firstText, keyUp });
  return [
    ...(peak === undefined
      ? []
      : [figure(`${name}: recognizer process, peak memory`, peak, 'MB', undefined)]),
    figure(
      `${name}: first live text after speech start, p50`,
      percentile(firstText, 50),
      'ms',
      undefined,
    ),
    figure(
      `${name}: first live text after speech start, p95`,
      percentile(firstText, 95),
      'ms',
      undefined,
    ),
    figure(`${name}: key up → completed, p50`, percentile(keyUp, 50), 'ms', undefined),
  ];
}

/** The index of the CHUNK_MS chunk that holds the turn's first loud sample (-30 dBFS). */
function onsetChunk(turn: Int16Array): number {
  const at = turn.findIndex((s) => Math.abs(s) > 1000);
  return Math.floor(Math.max(0, at) / ((RATE * CHUNK_MS) / 1000));
}

/** The streaming Zipformer in the folder TINGXIE_STREAMING_MODEL names, or why there is none.
 * Its files are named by epoch (encoder-epoch-99-avg-1.int8.onnx); the int8 ones are preferred,
 * as the catalog's are. */
function realStreamingModel(): LocalModel | string {
  const folder = process.env[STREAMING_ENV];
  if (!folder) {
    return `${STREAMING_ENV} is not set (set it to a streaming Zipformer folder from sherpa-onnx's releases, e.g. sherpa-onnx-streaming-zipformer-bilingual-zh-en-2023-02-20).`;
  }
  if (!existsSync(folder)) return `${STREAMING_ENV}=${folder} does not exist.`;
  const names = readdirSync(folder);
  const files: LocalModel['files'] = {};
  for (const role of ['encoder', 'decoder', 'joiner'] as const) {
    const onnx = names.filter((n) => n.startsWith(role) && n.endsWith('.onnx'));
    const found = onnx.find((n) => n.endsWith('.int8.onnx')) ?? onnx[0];
    if (!found) return `${STREAMING_ENV}=${folder} has no ${role} file.`;
    files[role] = join(folder, found);
  }
  if (!names.includes('tokens.txt')) return `${STREAMING_ENV}=${folder} has no tokens.txt.`;
  files.tokens = join(folder, 'tokens.txt');
  return { id: basename(folder), kind: 'streaming-zipformer', files, languages: ['zh', 'en'] };
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

/** A client of `url` in an English push-to-talk session (turns end at its commits). */
async function englishPushToTalk(url: string): Promise<WireClient> {
  const client = await WireClient.connect(url);
  client.send({
    type: 'session.update',
    turn_detection: null,
    input_audio_transcription: { language: 'en' },
  });
  await client.waitFor('session.updated');
  return client;
}
