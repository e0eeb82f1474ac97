// The realtime client's share of the latency and CPU targets of issue 3:
// - "completed-event-received → line printed ≤ 5 ms p95": from the WebSocket message that
//   carries `…transcription.completed` reaching the client to the canonical `completed`
//   listener running (parsing, validation, turn ordering, dispatch);
// - client CPU per realtime stream: CPU time of the client (the server runs in another
//   process) per second of audio streamed, as a share of one core.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { RealtimeSession } from '../src/core/realtime/index.ts';
import { presetConfig, type SessionConfig } from '../src/shared/providers.ts';
import { FLAVORS } from '../test/helpers/fake-servers/flavors.ts';
import { startScriptedServer } from '../test/helpers/fake-servers/scripted-server.ts';
import { TONE_VAD, toneTurns } from '../test/helpers/fake-servers/tone-speech.ts';
import { dictate } from '../test/helpers/fake-servers/dictation.ts';
import { figure, percentile, type Bench, type Figure } from './figure.ts';

const RATE = 16000;
const words = (n: number) => Array.from({ length: n }, (_, i) => (i % 10) + 1);
const configFor = (url: string): SessionConfig =>
  presetConfig('custom', { url, vad: { ...TONE_VAD } });

const COMPLETED = 'conversation.item.input_audio_transcription.completed';

/** Notes when each `completed` message reaches any client socket, by item id. */
function watchCompletedArrivals(): { arrivals: Map<string, number>; restore: () => void } {
  const arrivals = new Map<string, number>();
  const emit = WebSocket.prototype.emit;
  WebSocket.prototype.emit = function (
    this: WebSocket,
    event: string | symbol,
    ...args: unknown[]
  ) {
    if (event === 'message') {
      const at = performance.now();
      const text = String(args[0]);
      if (text.includes(COMPLETED))
        arrivals.set((JSON.parse(text) as { item_id: string }).item_id, at);
    }
    return emit.call(this, event, ...args);
  };
  return { arrivals, restore: () => (WebSocket.prototype.emit = emit) };
}

async function completedLatencyMs(): Promise<number[]> {
  const server = await startScriptedServer({ flavor: FLAVORS.seed, transcribeDelayMs: () => 1 });
  const { arrivals, restore } = watchCompletedArrivals();
  try {
    const latencies: number[] = [];
    for (let round = 0; round < 4; round++) {
      const session = new RealtimeSession({ config: configFor(server.url) });
      session.on('completed', (e) => {
        const at = arrivals.get(e.itemId);
        if (at !== undefined) latencies.push(performance.now() - at);
      });
      await dictate(
        session,
        toneTurns({ words: words(50), rate: RATE, speechMs: 200, silenceMs: 400 }),
        RATE,
      );
    }
    if (latencies.length === 0) throw new Error('No completed event was measured.');
    return latencies;
  } finally {
    restore();
    await server.close();
  }
}

/** Starts the scripted server in a child process; resolves with its URL and a stop function. */
async function childServer(): Promise<{ url: string; stop: () => void }> {
  const script = fileURLToPath(new URL('../test/helpers/fake-servers/serve.ts', import.meta.url));
  const child = spawn(process.execPath, [script, 'seed'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`The scripted server exited (${code}) before listening.`)),
    );
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function clientCpuShare(): Promise<number> {
  const server = await childServer();
  try {
    const pcm = toneTurns({ words: words(60), rate: RATE, speechMs: 1500, silenceMs: 1000 });
    const audioSeconds = pcm.length / RATE;
    const session = new RealtimeSession({ config: configFor(server.url) });
    const before = process.cpuUsage();
    await dictate(session, pcm, RATE, 60_000);
    const used = process.cpuUsage(before);
    return ((used.user + used.system) / 1e6 / audioSeconds) * 100;
  } finally {
    server.stop();
  }
}

const bench: Bench = async (): Promise<Figure[]> => {
  const latencies = await completedLatencyMs();
  const cpu = await clientCpuShare();
  return [
    figure(
      'realtime client: completed message → completed listener, p95',
      percentile(latencies, 95),
      'ms',
      5,
    ),
    figure(
      'realtime client: completed message → completed listener, p50',
      percentile(latencies, 50),
      'ms',
      undefined,
    ),
    figure('realtime client: CPU per realtime stream (protocol, one core)', cpu, '%', 2),
  ];
};
export default bench;
