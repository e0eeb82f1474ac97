// The transcriber that the app and the CLI hand to retryEntry: the kept WAV, streamed through
// a RealtimeSession to the current provider as one push-to-talk turn.
import type { SessionConfig } from '../../shared/providers.ts';
import { readWavAsPcm16 } from '../audio/wav.ts';
import type { Logger } from '../log.ts';
import { RealtimeSession } from '../realtime/index.ts';
import type { RetryResult, Transcriber } from './retry.ts';

/** Audio goes out in chunks of this length (the protocol's normal range is 20–250 ms). */
const CHUNK_MS = 40;

export interface SessionTranscriberOptions {
  log?: Logger;
  /** How long to wait for the transcript after the audio is sent. Default 60 s. */
  timeoutMs?: number;
}

export function sessionTranscriber(
  config: SessionConfig,
  options: SessionTranscriberOptions = {},
): Transcriber {
  return async (wavPath: string): Promise<RetryResult> => {
    const pcm = await readWavAsPcm16(wavPath, config.sampleRate);
    // The kept audio is one turn: commit it at stop rather than wait for the server's VAD.
    const session = new RealtimeSession({ config: { ...config, vad: null }, log: options.log });
    try {
      await session.connect();
      const chunk = (config.sampleRate * CHUNK_MS) / 1000;
      for (let at = 0; at < pcm.length; at += chunk) session.append(pcm.subarray(at, at + chunk));
      const { turns } = await session.stop({ timeoutMs: options.timeoutMs ?? 60_000 });
      const text = turns
        .map((t) => t.transcript?.trim() ?? '')
        .filter(Boolean)
        .join(' ');
      const failed = turns.find((t) => t.status === 'failed');
      if (!text && failed) {
        throw new Error(failed.error?.message ?? 'The server could not transcribe the audio.');
      }
      return { text, provider: config.provider, model: config.model, language: config.language };
    } finally {
      session.close();
    }
  };
}
