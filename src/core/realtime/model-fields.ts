// A session configuration cut to what its model accepts (shared/transcription-models.ts):
// OpenAI rejects a whole session.update for one field the model does not take, so a setting
// the model cannot use is dropped here, said once in the log, and never sent.
import type { SessionConfig } from '../../shared/providers.ts';
import { isValidKeyword, transcriptionModelFields } from '../../shared/transcription-models.ts';

export interface FittedConfig {
  config: SessionConfig;
  /** What was changed, for the log. */
  changes: string[];
  /** Voice detection was asked for, and the model takes none: the client ends a turn at each
   * pause this long itself (core/realtime/client-turns.ts). */
  clientTurnPauseMs?: number;
}

export function fitConfigToModel(config: SessionConfig): FittedConfig {
  const fields = transcriptionModelFields(config.model);
  const changes: string[] = [];
  const out: SessionConfig = { ...config };
  const model = config.model;
  let clientTurnPauseMs: number | undefined;
  if (out.vad && fields.turnDetection.length === 0) {
    // The client commits each turn instead, at the pauses it hears itself.
    clientTurnPauseMs = out.vad.silenceDurationMs;
    out.vad = null;
    changes.push(
      `${model} takes no voice detection: Tingxie ends each turn at a pause of ${clientTurnPauseMs} ms itself`,
    );
  } else if (out.vad && !fields.turnDetection.includes(out.vad.type)) {
    out.vad = { ...out.vad, type: 'server_vad' };
    changes.push(`${model} takes no semantic voice detection: silence ends a turn instead`);
  }
  if (out.prompt && !fields.prompt) {
    delete out.prompt;
    changes.push(`${model} takes no prompt: it is not sent`);
  }
  if (out.keywords) {
    const valid = fields.keywords ? out.keywords.filter(isValidKeyword) : [];
    if (fields.keywords && valid.length < out.keywords.length)
      changes.push(`keywords with a line break, '<' or '>' are not sent (the model refuses them)`);
    if (valid.length) out.keywords = valid;
    else delete out.keywords;
  }
  if (out.delay && !fields.delay) {
    delete out.delay;
    changes.push(`${model} takes no delay setting: it is not sent`);
  }
  if (out.noiseReduction && !fields.noiseReduction) {
    delete out.noiseReduction;
    changes.push(`noise reduction is not sent to ${model}`);
  }
  return { config: out, changes, ...(clientTurnPauseMs ? { clientTurnPauseMs } : {}) };
}
