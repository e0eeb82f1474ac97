// What the two tone-driven transducers (nemo-transducer-graph.ts, streaming-transducer-graph.ts)
// share: their files, and their joiner's weights, which say a tone's token (and its rival,
// RIVAL_MARGIN less) where the encoder's channel for that tone clears the threshold, unless the
// prediction says one of them was just said; blank, and whatever else, stays at 0.
import { floats, writeModelFiles } from './onnx-build.ts';
import type { NodeProto, TensorProto } from './onnx-build.ts';
import { THRESHOLD } from './tone-detector.ts';

/** How much less each rival token scores than its tone's own (a log-probability). */
export const RIVAL_MARGIN = 0.5;
/** The encoder's channels: the low tone's and the high tone's. */
export const CHANNELS = 2;

export interface TransducerFiles {
  encoder: string;
  decoder: string;
  joiner: string;
  tokens: string;
}

/** Writes encoder.onnx, decoder.onnx, joiner.onnx and tokens.txt into `dir`; returns their
 * paths. */
export function writeTransducerFiles(
  dir: string,
  models: { encoder: Uint8Array; decoder: Uint8Array; joiner: Uint8Array },
  tokens: readonly string[],
): TransducerFiles {
  return writeModelFiles(dir, models, tokens);
}

/** The joiner's token logits, `output` [N, vocab]: `frame` [N, CHANNELS] · byFrame +
 * `prediction` (the last token, one-hot [N, vocab]) · byLast + bias. `byTone` lists each
 * channel's tokens, its own first, then its rival. */
export function toneJoiner({
  vocab,
  byTone,
  frame,
  prediction,
  output,
}: {
  vocab: number;
  byTone: number[][];
  frame: string;
  prediction: string;
  output: string;
}): { nodes: NodeProto[]; initializer: TensorProto[] } {
  const byFrame = new Float32Array(CHANNELS * vocab);
  const byLast = new Float32Array(vocab * vocab);
  const bias = new Float32Array(vocab);
  byTone.forEach((tokens, channel) => {
    tokens.forEach((token, rank) => {
      byFrame[channel * vocab + token] = 1;
      bias[token] = -THRESHOLD - rank * RIVAL_MARGIN;
      // Just said this tone's token (or its rival): neither again.
      for (const other of tokens) byLast[token * vocab + other] = -100;
    });
  });
  return {
    nodes: [
      { opType: 'MatMul', input: [frame, 'by_frame'], output: ['from_frame'] },
      { opType: 'MatMul', input: [prediction, 'by_last'], output: ['from_last'] },
      { opType: 'Add', input: ['from_frame', 'from_last'], output: ['unbiased'] },
      { opType: 'Add', input: ['unbiased', 'bias'], output: [output] },
    ],
    initializer: [
      floats('by_frame', [CHANNELS, vocab], byFrame),
      floats('by_last', [vocab, vocab], byLast),
      floats('bias', [vocab], bias),
    ],
  };
}
