// A tiny model shaped like Paraformer-zh, for sherpa-onnx's Paraformer path in tests: inputs
// speech [N, T, 560] and speech_lengths int32 [N], outputs logits [N, tokens, vocab] (one row per
// token, then </s>; sherpa-onnx takes each row's best token until </s>) and token_num, and the
// metadata offline-paraformer-model.cc reads. Where Paraformer predicts its tokens with CIF, this
// one runs the tone detector (tone-detector.ts) per stacked frame and keeps each run of one token
// once, so LOW_TONE_HZ then HIGH_TONE_HZ decodes to 听写, unpunctuated as Paraformer's text is.
// It decodes one stream at a time (as the engine gives it), not a batch.
import {
  encodeModel,
  FLOAT,
  INT32,
  INT64,
  intAttribute,
  ints,
  oneHotValues,
  valueInfo,
  writeModelFiles,
} from './onnx-build.ts';
import { FEATURES, LFR_METADATA, toneScores } from './tone-detector.ts';

/** What LOW_TONE_HZ then HIGH_TONE_HZ decodes to. */
export const PARAFORMER_TEXT = '听写';

/** tokens.txt in id order; `<blank>` is the graph's own "no token here", never output. */
const TOKENS = ['<blank>', '<s>', '</s>', '听', '写'];
const EOS = 2;
const VOCAB = TOKENS.length;

/** Writes model.onnx and tokens.txt into `dir`; returns their paths. */
export function writeParaformerModel(dir: string): { model: string; tokens: string } {
  return writeModelFiles(dir, { model: paraformerGraph() }, TOKENS);
}

export function paraformerGraph(): Uint8Array {
  // <s> and </s> (ids 1 and 2) never win on a frame.
  const scores = toneScores('speech', VOCAB, [{ low: 3, high: 4 }], 3);
  return encodeModel(
    'paraformer_shaped',
    {
      node: [
        ...scores.nodes,
        {
          opType: 'ArgMax',
          input: ['scores'],
          output: ['best'],
          attribute: [intAttribute('axis', 2), intAttribute('keepdims', 0)],
        },
        // The first stream's frames: its best token each, kept where it starts a run and is
        // not blank.
        { opType: 'Squeeze', input: ['best', 'zero'], output: ['frames'] },
        { opType: 'Slice', input: ['frames', 'zero', 'minus_one'], output: ['head'] },
        {
          opType: 'Concat',
          input: ['minus_one', 'head'],
          output: ['previous'],
          attribute: [intAttribute('axis', 0)],
        },
        { opType: 'Equal', input: ['frames', 'previous'], output: ['repeated'] },
        { opType: 'Equal', input: ['frames', 'blank'], output: ['blank_frame'] },
        { opType: 'Or', input: ['repeated', 'blank_frame'], output: ['dropped'] },
        { opType: 'Not', input: ['dropped'], output: ['kept'] },
        {
          opType: 'Compress',
          input: ['frames', 'kept'],
          output: ['token_ids'],
          attribute: [intAttribute('axis', 0)],
        },
        {
          opType: 'Concat',
          input: ['token_ids', 'eos'],
          output: ['with_eos'],
          attribute: [intAttribute('axis', 0)],
        },
        { opType: 'OneHot', input: ['with_eos', 'vocab', 'one_hot_values'], output: ['rows'] },
        { opType: 'Unsqueeze', input: ['rows', 'zero'], output: ['logits'] },
        { opType: 'Shape', input: ['token_ids'], output: ['token_num'] },
      ],
      initializer: [
        ...scores.initializer,
        ints('zero', [0]),
        ints('minus_one', [-1]),
        ints('blank', [0], []),
        ints('eos', [EOS]),
        ints('vocab', [VOCAB], []),
        oneHotValues(),
      ],
      input: [
        valueInfo('speech', FLOAT, ['N', 'T', FEATURES]),
        valueInfo('speech_lengths', INT32, ['N']),
      ],
      output: [valueInfo('logits', FLOAT, ['N', 'K', VOCAB]), valueInfo('token_num', INT64, ['N'])],
    },
    { vocab_size: VOCAB, ...LFR_METADATA },
  );
}
