// The services main exposes to the window, with fake sessions and an in-memory history.
import { describe, expect, it } from 'vitest';
import { createDesktopServices } from '../../src/core/dictation/desktop-services.ts';
import type { TranscriptionSession } from '../../src/core/dictation/ports.ts';
import { silentLogger } from '../../src/core/log.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import { onnxRuntimeUnavailableMessage } from '../../src/server/vad/onnx-runtime.ts';
import type { TranscriptEvent } from '../../src/shared/events.ts';
import type { MainEventMessage } from '../../src/shared/ipc.ts';

/** Answers connect() at once and finishes stop() with the given events. */
function scriptedSession(onStop: TranscriptEvent[]): TranscriptionSession {
  const listeners = new Set<(e: TranscriptEvent) => void>();
  return {
    connect: async () => listeners.forEach((l) => l({ type: 'ready' })),
    append() {},
    stop: async () => onStop.forEach((e) => listeners.forEach((l) => l(e))),
    close() {},
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function setup(
  onStop: TranscriptEvent[] = [],
  startLocalServer = async () => ({
    url: 'ws://127.0.0.1:9/v1/realtime',
    close: async () => {},
  }),
) {
  const added: { text: string; status?: string; dictationId?: string | null }[] = [];
  const sent: MainEventMessage[] = [];
  let cipherText: string | undefined;
  const services = createDesktopServices({
    settingsBackend: { read: () => undefined, write: () => {} },
    apiKeyBackend: { read: () => cipherText, write: (v) => (cipherText = v) },
    cipher: {
      available: async () => true,
      encrypt: async (s) => Buffer.from(s).reverse(),
      decrypt: async (b) => ({
        result: Buffer.from(b).reverse().toString(),
        shouldReEncrypt: false,
      }),
    },
    createSession: () => scriptedSession(onStop),
    createTestSession: () => scriptedSession([]),
    startLocalServer,
    sink: (m) => sent.push(m),
    log: silentLogger,
    appInfo: () => ({ version: 't', platform: 'linux', shortcut: 'Ctrl+Space' }),
    history: {
      add: (entry) => added.push(entry) && added.length,
    },
  });
  return { services, added, sent };
}

describe('createDesktopServices', () => {
  it('keeps each finished turn in the history, grouped by dictation', async () => {
    const { services, added, sent } = setup([
      { type: 'completed', itemId: 'a', previousItemId: null, transcript: ' hello there ' },
      { type: 'completed', itemId: 'b', previousItemId: 'a', transcript: '  ' },
      {
        type: 'failed',
        itemId: 'c',
        previousItemId: 'b',
        error: { code: 'audio_unintelligible', message: 'Could not understand.' },
      },
    ]);
    await services.startDictation();
    await services.stopDictation(0);
    expect(added.map((e) => [e.text, e.status])).toEqual([
      ['hello there', 'ok'],
      ['', 'failed'],
    ]);
    expect(added[0]!.dictationId).toBeTruthy();
    expect(added[1]!.dictationId).toBe(added[0]!.dictationId);
    // The window still gets every event, the empty turn included.
    expect(sent.filter((m) => m.name === 'transcript')).toHaveLength(4);
  });

  it('answers a connection test without a key for a provider that needs one', async () => {
    const { services } = setup();
    const settings = defaultSettings();
    settings.server.provider = 'openai';
    settings.server.url = 'wss://api.openai.com/v1/realtime?intent=transcription';
    expect(await services.testConnection(settings, undefined)).toMatchObject({
      ok: false,
      reason: 'missing-key',
    });
    expect(await services.testConnection(settings, 'sk-typed')).toMatchObject({ ok: true });
  });

  it('refuses to test invalid settings, and never returns the key', async () => {
    const { services } = setup();
    expect(await services.testConnection({ nonsense: true }, undefined)).toMatchObject({
      reason: 'invalid-settings',
    });
    const view = await services.saveApiKey('sk-secret');
    expect(view.apiKey).toEqual({ stored: true, persistent: true });
    expect(JSON.stringify(await services.getSettings())).not.toContain('sk-secret');
    await expect(services.saveApiKey(42)).rejects.toThrow(/text/);
  });

  it('says why the local server cannot start, and works on with another server', async () => {
    // What startLocalServer rejects with where onnxruntime-node cannot load.
    const why = onnxRuntimeUnavailableMessage('The specified module could not be found.', 'win32');
    const { services, sent } = setup([], () => Promise.reject(new Error(why)));
    const settings = defaultSettings();
    expect(settings.server.provider).toBe('local');
    expect(await services.testConnection(settings, undefined)).toEqual({
      ok: false,
      reason: 'unreachable',
      detail: `The local server could not start: ${why}`,
    });
    await expect(services.startDictation()).rejects.toThrow(why);
    const lastStatus = () => sent.filter((m) => m.name === 'dictation').at(-1)?.payload;
    expect(lastStatus()).toMatchObject({ state: 'idle', error: { message: why } });

    settings.server.provider = 'custom';
    settings.server.url = 'ws://127.0.0.1:9/v1/realtime';
    expect(await services.saveSettings(settings)).toMatchObject({ ok: true });
    await expect(services.startDictation()).resolves.toHaveProperty('dictationId');
    expect(lastStatus()).not.toHaveProperty('error');
    await services.stopDictation(0);
  });
});
