// Main-side services as a unit test wires them: nothing stored, a plain-text "keychain", a
// local server that is never started, no window and no logs. A test passes its sessions and
// whatever else it checks. Also a session that answers with scripted turns, and the completed
// transcripts the window was sent.
import {
  createDesktopServices,
  type DesktopServices,
  type DesktopServicesOptions,
} from '../../src/core/dictation/desktop-services.ts';
import type { TranscriptionSession } from '../../src/core/dictation/ports.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { TranscriptEvent } from '../../src/shared/events.ts';
import type { DictationTranscript, MainEventMessage } from '../../src/shared/ipc.ts';

export function testDesktopServices(
  options: Pick<DesktopServicesOptions, 'createSession'> & Partial<DesktopServicesOptions>,
): DesktopServices {
  return createDesktopServices({
    settingsBackend: { read: () => undefined, write: () => {} },
    apiKeyBackend: { read: () => undefined, write: () => {} },
    cipher: {
      available: async () => true,
      encrypt: async (s) => Buffer.from(s),
      decrypt: async (b) => ({ result: Buffer.from(b).toString(), shouldReEncrypt: false }),
    },
    createTestSession: options.createSession,
    startLocalServer: async () => ({ url: 'ws://127.0.0.1:9/v1/realtime', close: async () => {} }),
    sink: () => {},
    log: silentLogger,
    appInfo: () => ({ version: 't', platform: 'linux', shortcut: 'Ctrl+Space' }),
    ...options,
  });
}

/** Answers connect() at once and finishes stop() with one completed turn per transcript, the
 * first with `firstConfidence` when it is given. */
export function scriptedTurnsSession(
  transcripts: string[],
  firstConfidence?: number,
): TranscriptionSession {
  const listeners = new Set<(e: TranscriptEvent) => void>();
  const emit = (e: TranscriptEvent) => listeners.forEach((l) => l(e));
  return {
    connect: async () => emit({ type: 'ready' }),
    append() {},
    stop: async () =>
      transcripts.forEach((transcript, i) =>
        emit({
          type: 'completed',
          itemId: `t${i}`,
          previousItemId: i === 0 ? null : `t${i - 1}`,
          transcript,
          ...(i === 0 && firstConfidence !== undefined ? { confidence: firstConfidence } : {}),
        }),
      ),
    close() {},
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The completed transcripts among what was sent to the window, in order. */
export function completedTranscripts(
  sent: MainEventMessage[],
): Extract<DictationTranscript, { type: 'completed' }>[] {
  return sent
    .filter((m) => m.name === 'transcript')
    .map((m) => m.payload as DictationTranscript)
    .flatMap((e) => (e.type === 'completed' ? [e] : []));
}
