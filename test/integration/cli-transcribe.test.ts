// The CLI contract of issue 3, end to end: festival speech → the local server (Silero VAD,
// pocketsphinx) → RealtimeSession → one line per sentence on stdout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startServeProcess } from '../helpers/cli.ts';
import { speakSentences, SPEECH_TOOLS, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';

const PHRASES = [
  'The weather is nice today.',
  'I would like a cup of coffee.',
  'We will meet at the station at noon.',
  'The children are playing in the park.',
];

const skip = missingTools('CLI transcribe', [...SPEECH_TOOLS, 'pocketsphinx_continuous', 'sox']);

describe.skipIf(skip)('tingxie transcribe with the local server', () => {
  let wav: string;
  beforeAll(() => {
    wav = speakSentences(PHRASES, 1500).path;
  });

  /** Runs `transcribe` of the test speech with `args`; expects success; returns stdout's lines. */
  async function transcribeLines(args: string): Promise<string[]> {
    const run = await runCli(['transcribe', wav, ...args.split(' ')]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    return run.stdout.trimEnd().split('\n');
  }

  function expectClose(lines: string[]): void {
    expect(lines).toHaveLength(PHRASES.length);
    const wer = wordErrorRate(PHRASES.join(' '), lines.join(' '));
    expect(wer, `WER ${wer} for ${JSON.stringify(lines)}`).toBeLessThanOrEqual(0.2);
    lines.forEach((line, i) => expect(wordErrorRate(PHRASES[i]!, line)).toBeLessThanOrEqual(0.4));
  }

  it('prints one line per sentence, in order, and nothing else on stdout', async () => {
    expectClose(await transcribeLines('--engine pocketsphinx'));
  });

  it('does the same at 24 kHz with the GA dialect, and paced in real time', async () => {
    expectClose(
      await transcribeLines('--engine pocketsphinx --dialect ga --rate 24000 --speed realtime'),
    );
  });

  it('transcribes the whole file as one turn with --vad none', async () => {
    const lines = await transcribeLines('--engine pocketsphinx --vad none');
    expect(lines).toHaveLength(1);
    expect(wordErrorRate(PHRASES.join(' '), lines[0]!)).toBeLessThanOrEqual(0.2);
  });

  it('prints one JSON object per canonical event with --json', async () => {
    const lines = await transcribeLines('--engine pocketsphinx --json');
    const events = lines.map((l) => JSON.parse(l) as { type: string; transcript?: string });
    const types = new Set(events.map((e) => e.type));
    for (const t of ['ready', 'speech_started', 'speech_stopped', 'committed', 'completed'])
      expect(types).toContain(t);
    expectClose(events.filter((e) => e.type === 'completed').map((e) => e.transcript!));
  });

  it('runs any recognizer with --engine command', async () => {
    const cmd = 'pocketsphinx_continuous -infile {wav}';
    const run = await runCli(['transcribe', wav, '--engine', 'command', '--engine-command', cmd]);
    expect(run.code, run.stderr).toBe(0);
    expectClose(run.stdout.trimEnd().split('\n'));
  });

  it('exits non-zero, saying so, when the recognizer fails every turn', async () => {
    const run = await runCli([
      'transcribe',
      wav,
      '--engine',
      'command',
      '--engine-command',
      'false',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/4 turn\(s\) could not be transcribed/);
  });

  describe('against `tingxie serve`', () => {
    let server: Awaited<ReturnType<typeof startServeProcess>>;
    beforeAll(async () => {
      server = await startServeProcess(['--engine', 'pocketsphinx', '--token', 'open-sesame']);
    });
    afterAll(() => server.stop());

    it('serve prints its ws:// URL first, and transcribe uses it with the right token', async () => {
      expect(server.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/v1\/realtime$/);
      expectClose(
        await transcribeLines(`--provider custom --url ${server.url} --api-key open-sesame`),
      );
    });

    it('fails with a one-line reason for a rejected key, and never prints the key', async () => {
      const args = `--provider custom --url ${server.url} --api-key wrong-key-123`.split(' ');
      const run = await runCli(['transcribe', wav, ...args]);
      expect(run.code).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/key|401|unauthori[sz]ed/i);
      expect(run.stderr).not.toContain('wrong-key-123');
    });
  });
});

describe('tingxie transcribe: bad input', () => {
  it('fails with a one-line reason for a missing file', async () => {
    const run = await runCli(['transcribe', join(tmpdir(), 'no-such-file.wav')]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/no such file/i);
  });

  it('fails with a one-line reason for a file that is not a WAV', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'tingxie-cli-')), 'bad.wav');
    writeFileSync(bad, 'this is not audio');
    const run = await runCli(['transcribe', bad]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/not a wav/i);
  });

  it('fails with a one-line reason when the server cannot be reached', async () => {
    const wav = join(mkdtempSync(join(tmpdir(), 'tingxie-cli-')), 'silence.wav');
    const { encodeWav } = await import('../../src/core/audio/wav.ts');
    writeFileSync(wav, encodeWav(new Int16Array(16000), 16000));
    const run = await runCli([
      'transcribe',
      wav,
      '--provider',
      'custom',
      '--url',
      'ws://127.0.0.1:9/v1/realtime',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/reach|refused/i);
  });

  it('rejects an unknown provider with the valid choices', async () => {
    const run = await runCli(['transcribe', 'x.wav', '--provider', 'nope']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('local, openai, azure, dashscope, speaches, custom');
  });
});

describe.skipIf(skip)('tingxie transcribe --save and history', () => {
  it('records every transcript with its turn times in the store of --data-dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tingxie-cli-data-'));
    const { path } = speakSentences(PHRASES.slice(0, 2), 1500);
    const run = await runCli([
      '--data-dir',
      dataDir,
      'transcribe',
      path,
      '--engine',
      'pocketsphinx',
      '--save',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const exported = await runCli(['--data-dir', dataDir, 'history', 'export', '--format', 'json']);
    expect(exported.code, exported.stderr).toBe(0);
    const { entries } = JSON.parse(exported.stdout) as {
      entries: {
        text: string;
        audioStartMs: number;
        audioEndMs: number;
        provider: string;
      }[];
    };
    expect(entries.map((e) => e.text).sort()).toEqual([...lines].sort());
    for (const e of entries) {
      expect(e.provider).toBe('local');
      expect(e.audioEndMs).toBeGreaterThan(e.audioStartMs);
    }
  });
});
