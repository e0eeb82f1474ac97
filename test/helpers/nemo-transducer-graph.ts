// A tiny model shaped like sherpa-onnx's export of NeMo's Parakeet TDT (a token-and-duration
// transducer), for its NeMo transducer path in tests: an encoder (audio_signal [N, 80, T],
// length → outputs [N, C, T], encoded_lengths), a prediction network (targets, target_length
// and two LSTM states → decoder_output, its length and the states) and a joiner (one encoder
// frame and the prediction → token logits, then duration logits), with the metadata
// offline-transducer-nemo-model.cc reads ("tdt" in its url makes it a TDT model) and a
// tokens.txt whose last token is <blk>.
//
// The encoder's two channels are the tone detector (tone-detector.ts) and its negation; the
// prediction network remembers the last token; the joiner says 听 on a low-tone frame and 写 on
// a high-tone one unless it just said it, else blank, and always moves on one frame. So
// LOW_TONE_HZ then HIGH_TONE_HZ decodes, through sherpa-onnx's own TDT loop, to 听写.
//
// With `rivals`, each tone has a second token that scores RIVAL_MARGIN less (停 beside 听, 歇
// beside 写): the search still says 听写, and a hotword bonus larger than the margin (sherpa-onnx's
// default is 1.5 a token) makes it say 停歇. With `bpe` as well, its tokens are word pieces, as
// Parakeet's are (▁listen ▁write, rivals ▁stop ▁rest), for sherpa-onnx's BPE hotword spelling.
import {
  encodeModel,
  FLOAT,
  floats,
  INT32,
  INT64,
  intAttribute,
  ints,
  oneHotValues,
  valueInfo,
} from './onnx-build.ts';
import { MEL_BINS, nemoToneDetector } from './tone-detector.ts';
import {
  CHANNELS,
  toneJoiner,
  writeTransducerFiles,
  type TransducerFiles,
} from './tone-transducer.ts';

export { RIVAL_MARGIN, type TransducerFiles } from './tone-transducer.ts';

/** What LOW_TONE_HZ then HIGH_TONE_HZ decodes to. */
export const NEMO_TEXT = '听写';
/** What they decode to, with `rivals`, when the rivals are boosted as a hotword. */
export const NEMO_RIVAL_TEXT = '停歇';

const TOKENS = ['听', '写', '<blk>'];
const RIVAL_TOKENS = ['听', '写', '停', '歇', '<blk>'];
const RIVAL_BPE_TOKENS = ['▁listen', '▁write', '▁stop', '▁rest', '<blk>'];
/** With `rivals` and `bpe`: what the tones decode to, and to with the rivals boosted. */
export const NEMO_BPE_TEXT = 'listen write';
export const NEMO_BPE_RIVAL_TEXT = 'stop rest';
/** TDT's durations: how many frames to move on after a step (0 to 4). */
const DURATIONS = 5;

/** Writes encoder.onnx, decoder.onnx, joiner.onnx and tokens.txt into `dir`; returns their
 * paths. */
export function writeNemoTransducerModel(
  dir: string,
  { rivals = false, bpe = false }: { rivals?: boolean; bpe?: boolean } = {},
): TransducerFiles {
  const tokens = rivals ? (bpe ? RIVAL_BPE_TOKENS : RIVAL_TOKENS) : TOKENS;
  const vocab = tokens.length;
  return writeTransducerFiles(
    dir,
    { encoder: encoderGraph(vocab), decoder: decoderGraph(vocab), joiner: joinerGraph(vocab) },
    tokens,
  );
}

function encoderGraph(vocab: number): Uint8Array {
  return encodeModel(
    'nemo_encoder_shaped',
    {
      node: [
        { opType: 'MatMul', input: ['detector', 'audio_signal'], output: ['outputs'] },
        { opType: 'Identity', input: ['length'], output: ['encoded_lengths'] },
      ],
      initializer: [floats('detector', [CHANNELS, MEL_BINS], nemoToneDetector())],
      input: [
        valueInfo('audio_signal', FLOAT, ['N', MEL_BINS, 'T']),
        valueInfo('length', INT64, ['N']),
      ],
      output: [
        valueInfo('outputs', FLOAT, ['N', CHANNELS, 'T']),
        valueInfo('encoded_lengths', INT64, ['N']),
      ],
    },
    {
      vocab_size: vocab - 1, // NeMo counts the tokens without blank
      subsampling_factor: 1,
      normalize_type: 'NA',
      pred_rnn_layers: 1,
      pred_hidden: 1,
      feat_dim: MEL_BINS,
      url: 'tingxie-tests/parakeet-tdt-shaped',
    },
  );
}

/** The prediction: the last token, one-hot, as [1, vocab, 1]; the states pass through. */
function decoderGraph(vocab: number): Uint8Array {
  const state = [1, 'N', 1];
  return encodeModel('nemo_decoder_shaped', {
    node: [
      { opType: 'Reshape', input: ['targets', 'flat'], output: ['last_int32'] },
      // ONNX Runtime's OneHot takes int64 indices.
      {
        opType: 'Cast',
        input: ['last_int32'],
        output: ['last'],
        attribute: [intAttribute('to', INT64)],
      },
      { opType: 'OneHot', input: ['last', 'vocab', 'one_hot_values'], output: ['one_hot'] },
      { opType: 'Reshape', input: ['one_hot', 'prediction_shape'], output: ['decoder_output'] },
      { opType: 'Identity', input: ['target_length'], output: ['decoder_output_length'] },
      { opType: 'Identity', input: ['states_1'], output: ['next_states_1'] },
      { opType: 'Identity', input: ['states_2'], output: ['next_states_2'] },
    ],
    initializer: [
      ints('flat', [-1]),
      ints('vocab', [vocab], []),
      oneHotValues(),
      ints('prediction_shape', [1, vocab, 1]),
    ],
    input: [
      valueInfo('targets', INT32, ['N', 1]),
      valueInfo('target_length', INT32, ['N']),
      valueInfo('states_1', FLOAT, state),
      valueInfo('states_2', FLOAT, state),
    ],
    output: [
      valueInfo('decoder_output', FLOAT, ['N', vocab, 1]),
      valueInfo('decoder_output_length', INT32, ['N']),
      valueInfo('next_states_1', FLOAT, state),
      valueInfo('next_states_2', FLOAT, state),
    ],
  });
}

/** Token logits: a tone's token where its channel clears the threshold, unless the prediction
 * says it (or its rival) was just said; blank at 0. Duration logits: always one frame on. */
function joinerGraph(vocab: number): Uint8Array {
  const rivals = vocab === RIVAL_TOKENS.length;
  // Tokens by tone: 听 (0) and its rival 停 (2) on the low one, 写 (1) and 歇 (3) on the high.
  const byTone = rivals
    ? [
        [0, 2],
        [1, 3],
      ]
    : [[0], [1]];
  const tokens = toneJoiner({
    vocab,
    byTone,
    frame: 'frame',
    prediction: 'prediction',
    output: 'tokens',
  });
  const durations = Float32Array.from({ length: DURATIONS }, (_, d) => (d === 1 ? 1 : 0));
  return encodeModel('nemo_joiner_shaped', {
    node: [
      { opType: 'Reshape', input: ['encoder_outputs', 'frame_shape'], output: ['frame'] },
      { opType: 'Reshape', input: ['decoder_outputs', 'prediction_shape'], output: ['prediction'] },
      ...tokens.nodes,
      {
        opType: 'Concat',
        input: ['tokens', 'durations'],
        output: ['flat_logits'],
        attribute: [intAttribute('axis', 1)],
      },
      { opType: 'Reshape', input: ['flat_logits', 'logits_shape'], output: ['outputs'] },
    ],
    initializer: [
      ints('frame_shape', [1, CHANNELS]),
      ints('prediction_shape', [1, vocab]),
      ...tokens.initializer,
      floats('durations', [1, DURATIONS], durations),
      ints('logits_shape', [1, 1, 1, vocab + DURATIONS]),
    ],
    input: [
      valueInfo('encoder_outputs', FLOAT, [1, CHANNELS, 1]),
      valueInfo('decoder_outputs', FLOAT, [1, vocab, 1]),
    ],
    output: [valueInfo('outputs', FLOAT, [1, 1, 1, vocab + DURATIONS])],
  });
}
