// A tiny model shaped like sherpa-onnx's CT-Transformer punctuation model: input text (token
// ids, int32 [1, T]) and text_len (int32 [1]), output logits [1, T, punctuations] (the mark after
// each token), with the metadata offline-ct-transformer-model.cc reads (tokens, vocab_size,
// punctuations, unk_symbol). Instead of a transformer, a table: 听 is followed by a comma, any
// other token by nothing, so 听写 becomes 听，写。 (sherpa-onnx ends the text with a full stop).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeModel, FLOAT, floats, INT32, valueInfo } from './onnx-build.ts';

export const PUNCTUATED = { 听写: '听，写。' } as const;

const TOKENS = ['<unk>', '听', '写'];
/** sherpa-onnx looks these up by name: 。，？、 and _ (no mark). */
const PUNCTUATIONS = ['<unk>', '_', '，', '。', '？', '、'];

/** Writes model.onnx into `dir`; returns its path. */
export function writePunctuationModel(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const model = join(dir, 'model.onnx');
  writeFileSync(model, punctuationGraph());
  return model;
}

export function punctuationGraph(): Uint8Array {
  const marks = PUNCTUATIONS.length;
  const table = new Float32Array(TOKENS.length * marks);
  for (let token = 0; token < TOKENS.length; token++) {
    const mark = TOKENS[token] === '听' ? '，' : '_';
    table[token * marks + PUNCTUATIONS.indexOf(mark)] = 1;
  }
  return encodeModel(
    'ct_transformer_shaped',
    {
      node: [{ opType: 'Gather', input: ['marks', 'text'], output: ['logits'] }],
      initializer: [floats('marks', [TOKENS.length, marks], table)],
      input: [valueInfo('text', INT32, [1, 'T']), valueInfo('text_len', INT32, [1])],
      output: [valueInfo('logits', FLOAT, [1, 'T', marks])],
    },
    {
      tokens: TOKENS.join('|'),
      vocab_size: TOKENS.length,
      punctuations: PUNCTUATIONS.join('|'),
      unk_symbol: '<unk>',
    },
  );
}
