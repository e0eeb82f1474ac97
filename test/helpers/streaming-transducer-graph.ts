// A tiny streaming transducer, shaped like the LSTM transducers sherpa-onnx runs online
// (online-lstm-transducer-model.cc), for the engine's streaming path in tests: an encoder that
// takes chunks of 8 feature frames with its LSTM state (x [N, 8, 80], h, c → encoder_out
// [N, 8, 2], next h, c), a decoder (the last tokens → decoder_out) and a joiner (one encoder
// frame and decoder_out → logits), with the metadata sherpa-onnx reads. Its encoder frames are
// the tone detector's two channels (tone-detector.ts); its decoder remembers the last token; the
// joiner says 听 on a low-tone frame and 写 on a high-tone one unless it just said it, else
// blank. So LOW_TONE_HZ then HIGH_TONE_HZ decodes, chunk by chunk, to 听写.
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

const TOKENS = ['<blk>', '听', '写'];
const VOCAB = TOKENS.length;
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
  /** 1024-wide MatMul layers per chunk in the encoder, whose result is discarded: a model that
   * takes a while to follow a turn, for tests of what waits on it. Default 0. */
  busyLayers?: number;
}

/** Writes encoder.onnx, decoder.onnx, joiner.onnx and tokens.txt into `dir`; returns their
 * paths. */
export function writeStreamingTransducerModel(
  dir: string,
  { words = ['听', '写'], busyLayers = 0 }: StreamingTransducerOptions = {},
): TransducerFiles {
  mkdirSync(dir, { recursive: true });
  const files = {
    encoder: join(dir, 'encoder.onnx'),
    decoder: join(dir, 'decoder.onnx'),
    joiner: join(dir, 'joiner.onnx'),
    tokens: join(dir, 'tokens.txt'),
  };
  writeFileSync(files.encoder, encoderGraph(busyLayers));
  writeFileSync(files.decoder, decoderGraph());
  writeFileSync(files.joiner, joinerGraph());
  const tokens = [TOKENS[0], ...words];
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

/** decoder_out: the last token of the context, one-hot [N, VOCAB]. */
function decoderGraph(): Uint8Array {
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
        ints('vocab', [VOCAB], []),
        floats('one_hot_values', [2], Float32Array.from([0, 1])),
      ],
      input: [valueInfo('y', INT64, ['N', CONTEXT])],
      output: [valueInfo('decoder_out', FLOAT, ['N', VOCAB])],
    },
    { vocab_size: VOCAB, context_size: CONTEXT },
  );
}

function joinerGraph(): Uint8Array {
  const byFrame = new Float32Array(CHANNELS * VOCAB);
  byFrame[0 * VOCAB + 1] = 1; // low-tone channel → 听
  byFrame[1 * VOCAB + 2] = 1; // high-tone channel → 写
  const byLast = new Float32Array(VOCAB * VOCAB);
  byLast[1 * VOCAB + 1] = -100; // just said 听: not again
  byLast[2 * VOCAB + 2] = -100;
  const bias = Float32Array.from([0, -THRESHOLD, -THRESHOLD]);
  return model('lstm_joiner_shaped', {
    node: [
      { opType: 'MatMul', input: ['encoder_out', 'by_frame'], output: ['from_frame'] },
      { opType: 'MatMul', input: ['decoder_out', 'by_last'], output: ['from_last'] },
      { opType: 'Add', input: ['from_frame', 'from_last'], output: ['unbiased'] },
      { opType: 'Add', input: ['unbiased', 'bias'], output: ['logit'] },
    ],
    initializer: [
      floats('by_frame', [CHANNELS, VOCAB], byFrame),
      floats('by_last', [VOCAB, VOCAB], byLast),
      floats('bias', [VOCAB], bias),
    ],
    input: [
      valueInfo('encoder_out', FLOAT, ['N', CHANNELS]),
      valueInfo('decoder_out', FLOAT, ['N', VOCAB]),
    ],
    output: [valueInfo('logit', FLOAT, ['N', VOCAB])],
  });
}
