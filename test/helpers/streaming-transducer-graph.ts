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
import {
  busyLayers,
  encodeModel,
  FLOAT,
  floats,
  INT64,
  intAttribute,
  ints,
  oneHotValues,
  valueInfo,
} from './onnx-build.ts';
import { MEL_BINS, streamingToneDetector } from './tone-detector.ts';
import {
  CHANNELS,
  toneJoiner,
  writeTransducerFiles,
  type TransducerFiles,
} from './tone-transducer.ts';

export { RIVAL_MARGIN, type TransducerFiles } from './tone-transducer.ts';

/** What LOW_TONE_HZ then HIGH_TONE_HZ decodes to. */
export const STREAMING_TEXT = '听写';
/** The words the tones decode to with `words: HOMOPHONES`: what a model that mishears 听写
 * might say (tíng xiē), so that a test can tell this model's text from another's. */
export const HOMOPHONES = ['停', '歇'] as const;

const BLANK = '<blk>';
/** Feature frames per chunk; the chunks do not overlap. */
const CHUNK = 8;
const CONTEXT = 2;

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
  { words = ['听', '写'], rivals, busyLayers: busy = 0 }: StreamingTransducerOptions = {},
): TransducerFiles {
  const tokens = [BLANK, ...words, ...(rivals ?? [])];
  const vocab = tokens.length;
  return writeTransducerFiles(
    dir,
    { encoder: encoderGraph(busy), decoder: decoderGraph(vocab), joiner: joinerGraph(vocab) },
    tokens,
  );
}

function encoderGraph(busyCount: number): Uint8Array {
  // [2, 80] channels by bin, as [80, 2] for x [N, T, 80] · W.
  const channels = streamingToneDetector();
  const weights = new Float32Array(MEL_BINS * CHANNELS);
  for (let c = 0; c < CHANNELS; c++) {
    for (let b = 0; b < MEL_BINS; b++) weights[b * CHANNELS + c] = channels[c * MEL_BINS + b]!;
  }
  const state = [1, 'N', 1];
  // Layers that only take time, between the detector and encoder_out.
  const busy = busyLayers({
    count: busyCount,
    input: 'x',
    inputWidth: MEL_BINS,
    base: 'detected',
    outputWidth: CHANNELS,
    output: 'encoder_out',
  });
  return encodeModel(
    'lstm_encoder_shaped',
    {
      node: [
        { opType: 'MatMul', input: ['x', 'detector'], output: ['detected'] },
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

/** decoder_out: the last token of the context, one-hot [N, vocab]. */
function decoderGraph(vocab: number): Uint8Array {
  return encodeModel(
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
        oneHotValues(),
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
  const joiner = toneJoiner({
    vocab,
    byTone,
    frame: 'encoder_out',
    prediction: 'decoder_out',
    output: 'logit',
  });
  return encodeModel('lstm_joiner_shaped', {
    node: joiner.nodes,
    initializer: joiner.initializer,
    input: [
      valueInfo('encoder_out', FLOAT, ['N', CHANNELS]),
      valueInfo('decoder_out', FLOAT, ['N', vocab]),
    ],
    output: [valueInfo('logit', FLOAT, ['N', vocab])],
  });
}
