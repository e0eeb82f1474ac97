// The CLI end of issue 3's "completed-event-received → line printed ≤ 5 ms p95": the whole
// `tingxie transcribe` path, in process, from a server sending `…transcription.completed` to
// the line reaching stdout. The far side is the scripted seed server on loopback, so the figure
// includes the socket hop as well.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWav } from '../src/core/audio/wav.ts';
import { runCli } from '../src/cli/index.ts';
import { FLAVORS } from '../test/helpers/fake-servers/flavors.ts';
import { startScriptedServer } from '../test/helpers/fake-servers/scripted-server.ts';
import { toneTurns } from '../test/helpers/fake-servers/tone-speech.ts';
import { figure, percentile, type Bench } from './figure.ts';

const RATE = 16000;
// Paced like a microphone, as in a dictation: 40 turns of 1.1 s.
const TURNS = 40;

const bench: Bench = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-bench-cli-'));
  const wav = join(dir, 'turns.wav');
  const words = Array.from({ length: TURNS }, (_, i) => (i % 10) + 1);
  writeFileSync(
    wav,
    encodeWav(toneTurns({ words, rate: RATE, speechMs: 200, silenceMs: 900 }), RATE),
  );
  const server = await startScriptedServer({ flavor: FLAVORS.seed, transcribeDelayMs: () => 1 });
  const printed: { line: string; at: number }[] = [];
  try {
    const io = {
      stdout: (text: string) => {
        const at = performance.now();
        for (const line of text.split('\n').filter(Boolean)) printed.push({ line, at });
      },
      stderr: () => {},
    };
    const code = await runCli(
      ['transcribe', wav, '--provider', 'custom', '--url', server.url, '--speed', 'realtime'],
      io,
    );
    if (code !== 0) throw new Error(`tingxie transcribe exited with ${code}.`);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const sent = server.transcripts;
  if (printed.length !== sent.length || printed.length !== TURNS) {
    throw new Error(
      `${sent.length} transcripts sent, ${printed.length} lines printed, ${TURNS} expected.`,
    );
  }
  const latencies = printed.map((p, i) => {
    if (p.line !== sent[i]!.text)
      throw new Error(`Line ${i} is "${p.line}", expected "${sent[i]!.text}".`);
    return p.at - sent[i]!.sentAt;
  });
  return [
    figure('cli: completed sent → line on stdout, p50', percentile(latencies, 50), 'ms', undefined),
    figure('cli: completed sent → line on stdout, p95', percentile(latencies, 95), 'ms', 5),
  ];
};

export default bench;
