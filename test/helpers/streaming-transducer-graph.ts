// A tiny streaming transducer, shaped like the LSTM transducers sherpa-onnx runs online
// (online-lstm-transducer-model.cc), for the engine's streaming path in tests: an encoder that
// takes chunks of 8 feature frames with its LSTM state (x [N, 8, 80], h, c → encoder_out
// [N, 8, 2], next h, c), a decoder (the last tokens → decoder_out) and a joiner (one encoder
// frame and decoder_out → logits), with the metadata sherpa-onnx reads. Its encoder frames are
// the tone detector's two channels (tone-detector.ts); its decoder remembers the last token; the
// joiner says 听 on a low-tone frame and 写 on a high-tone one unless it just said it, else
// blank. So LOW_TONE_HZ then HIGH_TONE_HZ decodes, chunk by chunk, to 听写. With `rivals`, each
// tone has a second token scoring RIVAL_MARGIN less: the search still says 听写, and a hotword
// bonus larger than the margin (sherpa-onnx's default: 1.5 a token) makes it say the rivals.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FLOAT,
  floats,
  INT64,
  intAttribute,
  ints,
  metadata,
  onnx,
  OPSET,
  valueInfo,
} from './onnx-build.ts';
import type { GraphProto, NodeProto, TensorProto } from './onnx-build.ts';
import { MEL_BINS, streamingToneDetector, THRESHOLD } from './tone-detector.ts';

/** What LOW_TONE_HZ then HIGH_TONE_HZ decodes to. */
export const STREAMING_TEXT = '听写';
/** The words the tones decode to with `words: HOMOPHONES`: what a model that mishears 听写
 * might say (tíng xiē), so that a test can tell this model's text from another's. */
export const HOMOPHONES = ['停', '歇'] as const;

const BLANK = '<blk>';
/** How much less each rival token scores than its tone's own (a log-probability). */
export const RIVAL_MARGIN = 0.5;
const CHANNELS = 2;
/** Feature frames per chunk; the chunks do not overlap. */
const CHUNK = 8;
const CONTEXT = 2;

export interface TransducerFiles {
  encoder: string;
  decoder: string;
  joiner: string;
  tokens: string;
}

export interface StreamingTransducerOptions {
  /** What the low and the high tone say. Default 听, 写. */
  words?: readonly [low: string, high: string];
  /** A second token for each tone, scoring RIVAL_MARGIN less. Default none. */
  rivals?: readonly [low: string, high: string];
  /** 1024-wide MatMul layers per chunk in the encoder, whose result is discarded: a model that
   * takes a while to follow a turn, for tests of what waits on it. Default 0. */
  busyLayers?: number;
}

/** Writes encoder.onnx, decoder.onnx, joiner.onnx and tokens.txt into `dir`; returns their
 * paths. */
export function writeStreamingTransducerModel(
  dir: string,
  { words = ['听', '写'], rivals, busyLayers = 0 }: StreamingTransducerOptions = {},
): TransducerFiles {
  const tokens = [BLANK, ...words, ...(rivals ?? [])];
  mkdirSync(dir, { recursive: true });
  const files = {
    encoder: join(dir, 'encoder.onnx'),
    decoder: join(dir, 'decoder.onnx'),
    joiner: join(dir, 'joiner.onnx'),
    tokens: join(dir, 'tokens.txt'),
  };
  writeFileSync(files.encoder, encoderGraph(busyLayers));
  writeFileSync(files.decoder, decoderGraph(tokens.length));
  writeFileSync(files.joiner, joinerGraph(tokens.length));
  writeFileSync(files.tokens, tokens.map((t, id) => `${t} ${id}\n`).join(''));
  return files;
}

function model(name: string, graph: GraphProto, meta = {}): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: OPSET,
    producerName: 'tingxie-tests',
    metadataProps: metadata(meta),
    graph: { name, ...graph },
  }).finish();
}

function encoderGraph(busyLayers: number): Uint8Array {
  // [2, 80] channels by bin, as [80, 2] for x [N, T, 80] · W.
  const channels = streamingToneDetector();
  const weights = new Float32Array(MEL_BINS * CHANNELS);
  for (let c = 0; c < CHANNELS; c++) {
    for (let b = 0; b < MEL_BINS; b++) weights[b * CHANNELS + c] = channels[c * MEL_BINS + b]!;
  }
  const state = [1, 'N', 1];
  const busy = busyEncoderLayers(busyLayers);
  return model(
    'lstm_encoder_shaped',
    {
      node: [
        { opType: 'MatMul', input: ['x', 'detector'], output: [busy.input] },
        ...busy.nodes,
        { opType: 'Identity', input: ['h'], output: ['next_h'] },
        { opType: 'Identity', input: ['c'], output: ['next_c'] },
      ],
      initializer: [floats('detector', [MEL_BINS, CHANNELS], weights), ...busy.weights],
      input: [
        valueInfo('x', FLOAT, ['N', CHUNK, MEL_BINS]),
        valueInfo('h', FLOAT, state),
        valueInfo('c', FLOAT, state),
      ],
      output: [
        valueInfo('encoder_out', FLOAT, ['N', CHUNK, CHANNELS]),
        valueInfo('next_h', FLOAT, state),
        valueInfo('next_c', FLOAT, state),
      ],
    },
    {
      model_type: 'lstm',
      num_encoder_layers: 1,
      T: CHUNK,
      decode_chunk_len: CHUNK,
      rnn_hidden_size: 1,
      d_model: 1,
    },
  );
}

/** Layers that add zero to the detector's output (`input`, named for the first node) and make
 * `encoder_out`, after as many 1024-wide MatMuls as asked: the output depends on them, so ONNX
 * Runtime cannot leave them out. */
function busyEncoderLayers(count: number): {
  input: string;
  nodes: NodeProto[];
  weights: TensorProto[];
} {
  if (count === 0) return { input: 'encoder_out', nodes: [], weights: [] };
  const width = 1024;
  const nodes: NodeProto[] = [{ opType: 'MatMul', input: ['x', 'busy_in'], output: ['busy_0'] }];
  for (let i = 1; i <= count; i++) {
    nodes.push({ opType: 'MatMul', input: [`busy_${i - 1}`, 'busy_layer'], output: [`busy_${i}`] });
  }
  nodes.push(
    { opType: 'MatMul', input: [`busy_${count}`, 'busy_out'], output: ['busy_zero'] },
    { opType: 'Add', input: ['detected', 'busy_zero'], output: ['encoder_out'] },
  );
  return {
    input: 'detected',
    nodes,
    weights: [
      floats('busy_in', [MEL_BINS, width], new Float32Array(MEL_BINS * width).fill(1e-3)),
      floats('busy_layer', [width, width], new Float32Array(width * width).fill(1e-3)),
      floats('busy_out', [width, CHANNELS], new Float32Array(width * CHANNELS)),
    ],
  };
}

/** decoder_out: the last token of the context, one-hot [N, vocab]. */
function decoderGraph(vocab: number): Uint8Array {
  return model(
    'lstm_decoder_shaped',
    {
      node: [
        {
          opType: 'Gather',
          input: ['y', 'last_index'],
          output: ['last'],
          attribute: [intAttribute('axis', 1)],
        },
        { opType: 'OneHot', input: ['last', 'vocab', 'one_hot_values'], output: ['decoder_out'] },
      ],
      initializer: [
        ints('last_index', [CONTEXT - 1], []),
        ints('vocab', [vocab], []),
        floats('one_hot_values', [2], Float32Array.from([0, 1])),
      ],
      input: [valueInfo('y', INT64, ['N', CONTEXT])],
      output: [valueInfo('decoder_out', FLOAT, ['N', vocab])],
    },
    { vocab_size: vocab, context_size: CONTEXT },
  );
}

/** Logits: a tone's token (and its rival, RIVAL_MARGIN less) where its channel clears the
 * threshold, unless the decoder says one of them was just said; blank at 0. */
function joinerGraph(vocab: number): Uint8Array {
  // Tokens by tone: 1 (and its rival 3) on the low one, 2 (and 4) on the high one.
  const byTone =
    vocab === 5
      ? [
          [1, 3],
          [2, 4],
        ]
      : [[1], [2]];
  const byFrame = new Float32Array(CHANNELS * vocab);
  const byLast = new Float32Array(vocab * vocab);
  const bias = new Float32Array(vocab); // blank stays at 0
  byTone.forEach((tokens, channel) => {
    tokens.forEach((token, rank) => {
      byFrame[channel * vocab + token] = 1;
      bias[token] = -THRESHOLD - rank * RIVAL_MARGIN;
      for (const other of tokens) byLast[token * vocab + other] = -100; // not again
    });
  });
  return model('lstm_joiner_shaped', {
    node: [
      { opType: 'MatMul', input: ['encoder_out', 'by_frame'], output: ['from_frame'] },
      { opType: 'MatMul', input: ['decoder_out', 'by_last'], output: ['from_last'] },
      { opType: 'Add', input: ['from_frame', 'from_last'], output: ['unbiased'] },
      { opType: 'Add', input: ['unbiased', 'bias'], output: ['logit'] },
    ],
    initializer: [
      floats('by_frame', [CHANNELS, vocab], byFrame),
      floats('by_last', [vocab, vocab], byLast),
      floats('bias', [vocab], bias),
    ],
    input: [
      valueInfo('encoder_out', FLOAT, ['N', CHANNELS]),
      valueInfo('decoder_out', FLOAT, ['N', vocab]),
    ],
    output: [valueInfo('logit', FLOAT, ['N', vocab])],
  });
}
