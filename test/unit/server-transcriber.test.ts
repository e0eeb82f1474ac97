// The transcriber hands each turn to its engine as WAV bytes, and as a file only to an engine
// that asks for one; the file is gone once the turn is done, whatever the outcome.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { TranscriptionError } from '../../src/server/engines/engine.ts';
import type { TranscriptionRequest } from '../../src/server/engines/engine.ts';
import { Transcriber } from '../../src/server/transcriber.ts';

let tempDir: string;
beforeEach(() => {
  tempDir = mkdtempSync(join(tmpdir(), 'tingxie-transcriber-'));
});
afterEach(() => rmSync(tempDir, { recursive: true, force: true }));

const settings = { model: 'whisper-1', language: 'en' };
const turn = Int16Array.from({ length: 1600 }, (_, i) => Math.round(8000 * Math.sin(i / 5)));

function transcriberWith(transcribe: (request: TranscriptionRequest) => Promise<string>) {
  return new Transcriber(
    { name: 'test', transcribe },
    { tempDir, timeoutMs: 5000, concurrency: 1, log: silentLogger },
  );
}

test('an engine that takes bytes gets the WAV, and no file is written', async () => {
  let wav: Uint8Array | undefined;
  const transcriber = transcriberWith((request) => {
    wav = request.wav;
    expect(readdirSync(tempDir)).toEqual([]);
    return Promise.resolve('bytes');
  });
  const result = await transcriber.transcribe(turn, 16000, settings, new AbortController().signal);
  expect(result).toEqual({ ok: true, transcript: 'bytes' });
  expect(Buffer.from(wav!.subarray(0, 4)).toString('latin1')).toBe('RIFF');
  expect(wav!.length).toBe(44 + turn.byteLength);
  expect(readdirSync(tempDir)).toEqual([]);
});

test('an engine that reads a file gets the same WAV on disk, removed after the turn', async () => {
  let path = '';
  const transcriber = transcriberWith(async (request) => {
    path = await request.wavFile();
    expect(await request.wavFile()).toBe(path); // written once
    expect(new Uint8Array(readFileSync(path))).toEqual(request.wav);
    return 'file';
  });
  const result = await transcriber.transcribe(turn, 16000, settings, new AbortController().signal);
  expect(result).toEqual({ ok: true, transcript: 'file' });
  expect(path.startsWith(tempDir)).toBe(true);
  expect(existsSync(path)).toBe(false);
});

test('the file is removed when the engine fails too', async () => {
  let path = '';
  const transcriber = transcriberWith(async (request) => {
    path = await request.wavFile();
    throw new TranscriptionError('engine_failed', 'test: no luck');
  });
  const result = await transcriber.transcribe(turn, 16000, settings, new AbortController().signal);
  expect(result.ok).toBe(false);
  expect(existsSync(path)).toBe(false);
  expect(readdirSync(tempDir)).toEqual([]);
});
