// Errors a person can act on: a rejected key (at the handshake or as an event), an
// unreachable host, a TLS mismatch, a server that speaks another dialect. The key never
// appears in an error or a log line.
import { createServer } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { RealtimeError, RealtimeSession } from '../../src/core/realtime/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { presetConfig, type SessionConfig } from '../../src/shared/providers.ts';
import { FLAVORS } from '../helpers/fake-servers/flavors.ts';
import {
  startScriptedServer,
  type ScriptedServer,
} from '../helpers/fake-servers/scripted-server.ts';
import { record } from '../helpers/fake-servers/dictation.ts';

const KEY = 'sk-right-0123456789abcdef';
const WRONG = 'sk-wrong-fedcba9876543210';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Connects and returns the RealtimeError, every log line and every canonical event. */
async function failedConnect(config: SessionConfig, connectTimeoutMs?: number) {
  const lines: string[] = [];
  const session = new RealtimeSession({
    config,
    log: createLogger((l) => lines.push(l), 'debug'),
    connectTimeoutMs,
  });
  const rec = record(session);
  const err = await session.connect().then(
    () => new Error('connect() resolved'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RealtimeError);
  const error = err as RealtimeError;
  for (const text of [error.message, ...lines, JSON.stringify(rec.events)]) {
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(WRONG);
  }
  expect(session.state).toBe('closed');
  expect(rec.of('error').at(-1)).toMatchObject({ fatal: true, error: { code: error.code } });
  return { error, lines };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('a wrong key', () => {
  test('401 at the handshake (Azure without a valid api-key)', async () => {
    server = await startScriptedServer({ flavor: FLAVORS.azure, apiKey: KEY });
    const { error } = await failedConnect(
      presetConfig('azure', { url: server.url, apiKey: WRONG }),
    );
    expect(error.code).toBe('unauthorized');
    expect(error.message).toBe('Server rejected the API key (401). Check Settings → Server.');
  });

  test('no key at all (OpenAI)', async () => {
    server = await startScriptedServer({ flavor: FLAVORS.openai, apiKey: KEY });
    const { error } = await failedConnect(presetConfig('openai', { url: server.url }));
    expect(error.message).toBe('Server rejected the API key (401). Check Settings → Server.');
  });

  test('an invalid_api_key error event after the upgrade', async () => {
    server = await startScriptedServer({
      flavor: FLAVORS.seed,
      apiKey: KEY,
      keyErrorAsEvent: true,
    });
    const { error } = await failedConnect(
      presetConfig('custom', { url: server.url, apiKey: WRONG }),
    );
    expect(error.code).toBe('unauthorized');
    expect(error.message).toBe('Server rejected the API key (401). Check Settings → Server.');
  });
});

describe('an unreachable server', () => {
  test('connection refused', async () => {
    const port = await freePort();
    const { error } = await failedConnect(
      presetConfig('custom', { url: `ws://127.0.0.1:${port}/v1/realtime`, apiKey: KEY }),
    );
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `Cannot reach 127.0.0.1:${port}: connection refused. Is the server running? Check Settings → Server.`,
    );
  });

  test('a host name that does not resolve', async () => {
    const { error } = await failedConnect(
      presetConfig('custom', { url: 'ws://tingxie-no-such-host.invalid/v1/realtime' }),
    );
    expect(error.code).toBe('unreachable');
    expect(error.message).toMatch(/^Cannot reach tingxie-no-such-host\.invalid/);
  });

  test('wss:// to a server that does not speak TLS', async () => {
    server = await startScriptedServer({ flavor: FLAVORS.seed });
    const { error } = await failedConnect(
      presetConfig('custom', { url: server.url.replace('ws://', 'wss://') }),
    );
    expect(error.code).toBe('tls');
    expect(error.message).toMatch(
      /^Secure connection to 127\.0\.0\.1:\d+ failed .*wss:\/\/ or ws:\/\//,
    );
  });

  test('an invalid URL', async () => {
    const { error } = await failedConnect(presetConfig('custom', { url: 'localhost:8000' }));
    expect(error.code).toBe('bad_url');
    expect(error.message).toMatch(/The server URL is not valid .*Settings → Server/);
  });
});

describe('a server that speaks another dialect', () => {
  test('the server never confirms the configuration: the error says so, with its complaint', async () => {
    server = await startScriptedServer({ flavor: FLAVORS.seed });
    const { error } = await failedConnect(
      presetConfig('custom', { url: server.url, dialect: 'beta', apiKey: KEY }),
      300,
    );
    expect(error.code).toBe('dialect');
    expect(error.message).toBe(
      `The server did not confirm the session configuration within 300 ms (dialect "beta"); it said: Unknown parameter: 'session'. Check the URL and try another dialect in Settings → Server.`,
    );
  });
});
