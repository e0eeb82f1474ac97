import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { encodeWav } from '../../src/core/audio/wav.ts';
import { silentLogger } from '../../src/core/log.ts';
import { CommandEngine } from '../../src/server/engines/command.ts';
import { EngineUnavailableError, TranscriptionError } from '../../src/server/engines/engine.ts';
import type { TranscriptionRequest } from '../../src/server/engines/engine.ts';
import { OpenAiEngine } from '../../src/server/engines/openai.ts';
import { createEngine } from '../../src/server/engines/select.ts';
import { whisperCppEngine } from '../../src/server/engines/whisper-cpp.ts';
import { missingTools } from '../helpers/tools.ts';

let dir: string;
let wavPath: string;
const wav = encodeWav(new Int16Array(1600), 16000);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tingxie-engines-'));
  wavPath = join(dir, 'turn.wav');
  writeFileSync(wavPath, wav);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const request = (extra: Partial<TranscriptionRequest> = {}): TranscriptionRequest => ({
  wav,
  wavFile: () => Promise.resolve(wavPath),
  sampleRate: 16000,
  language: 'auto',
  signal: new AbortController().signal,
  ...extra,
});

async function failure(promise: Promise<unknown>): Promise<TranscriptionError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TranscriptionError);
  return err as TranscriptionError;
}

describe('command engine', () => {
  test('runs the command on the WAV and joins its stdout lines', async () => {
    const engine = new CommandEngine({
      command: [
        'sh',
        '-c',
        'printf "bytes %s\\n\\n  lang %s \\n" "$(wc -c < "$0")" "$1"',
        '{wav}',
        '{language}',
      ],
    });
    await expect(engine.transcribe(request({ language: 'en' }))).resolves.toBe(
      `bytes ${wav.length} lang en`,
    );
  });

  test('appends the WAV path when the command has no {wav}', async () => {
    const engine = new CommandEngine({ command: ['sh', '-c', 'basename "$0"'] });
    await expect(engine.transcribe(request())).resolves.toBe('turn.wav');
  });

  test('a non-zero exit is engine_failed, with the last line of stderr', async () => {
    const engine = new CommandEngine({ command: ['sh', '-c', 'echo "model missing" >&2; exit 3'] });
    const err = await failure(engine.transcribe(request()));
    expect(err.code).toBe('engine_failed');
    expect(err.message).toMatch(/exited with code 3: model missing/);
  });

  test('a missing program says so', async () => {
    const engine = new CommandEngine({ command: ['tingxie-no-such-asr'] });
    const err = await failure(engine.transcribe(request()));
    expect(err.message).toMatch(/command not found: tingxie-no-such-asr/);
  });

  test('an aborted run is stopped', async () => {
    const engine = new CommandEngine({ command: ['sh', '-c', 'sleep 30'] });
    const started = performance.now();
    const err = await failure(engine.transcribe(request({ signal: AbortSignal.timeout(100) })));
    expect(err.code).toBe('engine_timeout');
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('openai engine', () => {
  const received: {
    auth?: string;
    fields: Record<string, string>;
    fileBytes: number;
    path?: string;
  }[] = [];
  let base: string;
  let status = 200;
  const server = createServer((req, res) => {
    // /moved/… answers 307 to /v1/… on this origin, /away/… to localhost (another origin for
    // the same server), as a proxy or a server's trailing-slash rule may.
    const [, prefix, rest] = /^\/(moved|away)(\/.*)$/.exec(req.url ?? '') ?? [];
    if (prefix) {
      const { port } = server.address() as AddressInfo;
      req.resume();
      res.writeHead(307, {
        location: prefix === 'moved' ? `/v1${rest}` : `http://localhost:${port}/v1${rest}`,
      });
      res.end();
      return;
    }
    void (async () => {
      const form = await new Request('http://x', {
        method: 'POST',
        headers: req.headers as Record<string, string>,
        body: req as unknown as ReadableStream,
        duplex: 'half',
      } as RequestInit).formData();
      const fields: Record<string, string> = {};
      let fileBytes = 0;
      for (const [k, v] of form) {
        if (typeof v === 'string') fields[k] = v;
        else fileBytes = v.size;
      }
      received.push({ auth: req.headers.authorization, fields, fileBytes, path: req.url });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(status === 200 ? { text: ' hello there ' } : { error: { message: 'nope' } }),
      );
    })();
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('posts the turn as multipart to /audio/transcriptions', async () => {
    status = 200;
    const engine = new OpenAiEngine({ url: base, apiKey: 'sk-test-1234' });
    const text = await engine.transcribe(
      request({ language: 'en', prompt: 'Tingxie', model: 'whisper-1' }),
    );
    expect(text).toBe('hello there');
    expect(received.at(-1)).toEqual({
      auth: 'Bearer sk-test-1234',
      path: '/v1/audio/transcriptions',
      fileBytes: wav.length,
      fields: { model: 'whisper-1', response_format: 'json', language: 'en', prompt: 'Tingxie' },
    });
  });

  test('follows a 307 with the same POST, and keeps the key within the origin', async () => {
    status = 200;
    const moved = new OpenAiEngine({ url: base.replace('/v1', '/moved'), apiKey: 'sk-test-1234' });
    await expect(moved.transcribe(request({ language: 'zh' }))).resolves.toBe('hello there');
    expect(received.at(-1)).toMatchObject({
      auth: 'Bearer sk-test-1234',
      path: '/v1/audio/transcriptions',
      fileBytes: wav.length,
      fields: { language: 'zh' },
    });
    // Another origin (localhost is not 127.0.0.1) gets the turn, not the key.
    const away = new OpenAiEngine({ url: base.replace('/v1', '/away'), apiKey: 'sk-test-1234' });
    await expect(away.transcribe(request())).resolves.toBe('hello there');
    expect(received.at(-1)).toMatchObject({
      auth: undefined,
      path: '/v1/audio/transcriptions',
      fileBytes: wav.length,
    });
  });

  test('a rejected key is engine_failed and never shows the key', async () => {
    status = 401;
    const engine = new OpenAiEngine({
      url: `${base}/audio/transcriptions`,
      apiKey: 'sk-secret-9876',
    });
    const err = await failure(engine.transcribe(request()));
    expect(err.code).toBe('engine_failed');
    expect(err.message).toMatch(/rejected the API key \(401\)/);
    expect(err.message).not.toContain('sk-secret-9876');
  });

  test('other HTTP errors carry the server message', async () => {
    status = 500;
    const err = await failure(new OpenAiEngine({ url: base }).transcribe(request()));
    expect(err.message).toMatch(/HTTP 500: nope/);
  });

  test('an unreachable endpoint says which', async () => {
    const err = await failure(
      new OpenAiEngine({ url: 'http://127.0.0.1:1/v1' }).transcribe(request()),
    );
    expect(err.message).toMatch(/cannot reach http:\/\/127\.0\.0\.1:1\/v1\/audio\/transcriptions/);
  });
});

describe('whisper-cpp engine', () => {
  test('runs whisper.cpp as `-m MODEL -l LANG -nt -f WAV` at 16 kHz', async () => {
    const cli = join(dir, 'fake-whisper');
    writeFileSync(cli, '#!/bin/sh\necho "$@"\n');
    chmodSync(cli, 0o755);
    const engine = whisperCppEngine({ cli, model: '/models/ggml-base.bin' });
    expect(engine.sampleRate).toBe(16000);
    await expect(engine.transcribe(request({ language: 'zh' }))).resolves.toBe(
      `-m /models/ggml-base.bin -l zh -nt -f ${wavPath}`,
    );
  });
});

describe('engine selection', () => {
  test('an unknown engine names the choices', () => {
    expect(() => createEngine('kaldi', {}, silentLogger)).toThrow(
      /pocketsphinx, whisper-cpp, command, openai/,
    );
  });

  test('whisper-cpp without its CLI is EngineUnavailableError', () => {
    expect(() => createEngine('whisper-cpp', { cli: 'tingxie-no-whisper' }, silentLogger)).toThrow(
      EngineUnavailableError,
    );
  });

  test('with no engine named, whisper.cpp wins when its CLI and a model are found', () => {
    const cli = join(dir, 'whisper-cli');
    writeFileSync(cli, '#!/bin/sh\necho whisper\n');
    chmodSync(cli, 0o755);
    const model = join(dir, 'ggml-tiny.bin');
    writeFileSync(model, '');
    const lines: string[] = [];
    const log = { ...silentLogger, info: (m: string) => lines.push(m) };
    expect(createEngine(undefined, { cli, model }, log).name).toBe('whisper-cpp');
    expect(lines.join('\n')).toMatch(/whisper-cpp/);
  });

  test('with no recognizer installed, the error says what to install', () => {
    const path = process.env.PATH;
    try {
      process.env.PATH = dir;
      rmSync(join(dir, 'whisper-cli'), { force: true });
      expect(() => createEngine(undefined, {}, silentLogger)).toThrow(
        /No speech recognizer found\. Install pocketsphinx \(apt-get install pocketsphinx pocketsphinx-en-us\) or whisper\.cpp/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  test.skipIf(missingTools('engine selection', ['pocketsphinx_continuous']))(
    'with no engine named and no whisper.cpp, pocketsphinx, and the log says why',
    () => {
      const lines: string[] = [];
      const log = { ...silentLogger, info: (m: string) => lines.push(m) };
      expect(createEngine(undefined, { cli: 'tingxie-no-whisper' }, log).name).toBe('pocketsphinx');
      expect(lines.join('\n')).toMatch(
        /pocketsphinx \(whisper\.cpp not used: .*tingxie-no-whisper/,
      );
    },
  );
});
