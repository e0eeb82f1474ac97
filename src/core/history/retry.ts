// Retry: transcribe a turn again from its kept audio, through whatever the caller passes (the
// app streams the WAV through the current provider's RealtimeSession).
import { existsSync } from 'node:fs';
import type { HistoryEntry, HistoryPatch } from './entry.ts';
import type { HistoryStore } from './store.ts';

export class RetryError extends Error {
  override name = 'RetryError';
}

/** What a transcriber may report besides the text: who transcribed it this time. */
export interface RetryResult {
  text: string;
  provider?: string;
  model?: string;
  language?: string;
}

export type Transcriber = (wavPath: string) => Promise<string | RetryResult>;

/** The text pipeline (core/text): a transcript as the server sent it → the final text, and
 * the rules text before the LLM clean-up where one changed it. */
export type FinalText = (
  raw: string,
) => string | FinalTexts | Promise<string> | Promise<FinalTexts>;

export interface FinalTexts {
  text: string;
  rulesText?: string;
}

/** Re-transcribes entry `id` from its kept audio and stores the result: the raw transcript and
 * its final text (`finalText`, the text pipeline; default: the raw text). A failure is thrown
 * as a RetryError; on a failed entry it also becomes the entry's reason (a good transcript is
 * never replaced by a failure). */
export async function retryEntry(
  store: HistoryStore,
  id: number,
  transcribe: Transcriber,
  finalText: FinalText = (raw) => raw,
): Promise<HistoryEntry> {
  const entry = store.get(id);
  if (!entry) throw new RetryError(`History entry ${id} does not exist (was it deleted?).`);
  if (!entry.audioPath || !existsSync(entry.audioPath)) {
    throw new RetryError(
      `History entry ${id} has no kept audio to transcribe again ` +
        '(audio retention was off for it, or its audio has expired).',
    );
  }
  const fail = (reason: string): RetryError => {
    if (entry.status === 'failed') store.markFailed(id, reason);
    return new RetryError(reason);
  };
  let result: RetryResult;
  try {
    const out = await transcribe(entry.audioPath);
    result = typeof out === 'string' ? { text: out } : out;
  } catch (err) {
    throw fail(`Retry failed: ${(err as Error).message}`);
  }
  const raw = result.text.trim();
  if (!raw) {
    throw fail('Retry found no speech in the audio.');
  }
  const texts = await finalText(raw);
  const text = (typeof texts === 'string' ? texts : texts.text).trim();
  if (!text) throw fail('Retry found only fillers in the audio.');
  // The rules text of the new transcript (the same as the text without a clean-up).
  const rulesText = typeof texts === 'string' ? text : (texts.rulesText?.trim() ?? text);
  const patch: HistoryPatch = { text, rawText: raw, rulesText, status: 'ok', failureReason: null };
  if (result.provider) patch.provider = result.provider;
  if (result.model) patch.model = result.model;
  if (result.language) patch.language = result.language;
  const updated = store.update(id, patch);
  if (!updated) throw new RetryError(`History entry ${id} was deleted during the retry.`);
  return updated;
}
