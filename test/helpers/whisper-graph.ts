// A tiny multilingual model shaped like sherpa-onnx's Whisper export, for its Whisper path in
// tests: an encoder (mel [N, 80, T] → n_layer_cross_k, n_layer_cross_v) and a decoder (tokens,
// self-attention caches, cross k/v, offset → logits and the caches), with the metadata
// offline-whisper-model.cc reads and a base64 tokens.txt. sherpa-onnx runs its own greedy loop:
// the start-of-transcript sequence with the language token (or, with no language, a step that
// detects one), then one token per step until end-of-text.
//
// The encoder hears whether each tone is present (tone-detector.ts; not their order); the
// decoder says, after the prompt, 听 (<|zh|>) or " ting" (<|en|>) if the low tone was heard,
// then 写 or " xie" if the high one was, then end-of-text. Asked to detect the language, it
// says <|zh|>.
import {
  encodeModel,
  FLOAT,
  floats,
  INT64,
  intAttribute,
  ints,
  valueInfo,
  writeModelFiles,
} from './onnx-build.ts';
import { MEL_BINS, whisperToneDetector } from './tone-detector.ts';

/** What LOW_TONE_HZ and HIGH_TONE_HZ decode to, by language. */
export const WHISPER_TEXT = { zh: '听写', en: 'ting xie' } as const;
export const WHISPER_LANGUAGES = ['en', 'zh'];

const TEXT = ['听', '写', ' ting', ' xie'];
const [TING, XIE, TING_EN, XIE_EN] = [0, 1, 2, 3];
const EOT = 4;
const SOT = 5;
const EN = 6;
const ZH = 7;
const TRANSLATE = 8;
const TRANSCRIBE = 9;
const NO_SPEECH = 10;
const NO_TIMESTAMPS = 11;
const BLANK = 12;
const VOCAB = 13;
/** Mean normalized log mel of one tone's bins over the other's, for the tone to count. */
const HEARD = 0.5;
const NEVER = -1000;
const CTX = 64;
/** The state the encoder hands the decoder: [low tone heard, high tone heard]. */
const STATE = 2;

export interface WhisperFiles {
  encoder: string;
  decoder: string;
  tokens: string;
}

/** Writes encoder.onnx, decoder.onnx and tokens.txt into `dir`; returns their paths. */
export function writeWhisperModel(dir: string): WhisperFiles {
  const base64 = (t: string) => Buffer.from(t).toString('base64');
  return writeModelFiles(dir, { encoder: encoderGraph(), decoder: decoderGraph() }, TEXT, base64);
}

function encoderGraph(): Uint8Array {
  const heard = (name: string, input: string) => [
    {
      opType: 'ReduceMax',
      input: [input],
      output: [`${name}_max`],
      attribute: [intAttribute('keepdims', 0)],
    },
    { opType: 'Greater', input: [`${name}_max`, 'heard'], output: [`${name}_heard`] },
    {
      opType: 'Cast',
      input: [`${name}_heard`],
      output: [`${name}_flag`],
      attribute: [intAttribute('to', FLOAT)],
    },
    { opType: 'Unsqueeze', input: [`${name}_flag`, 'zero'], output: [`${name}_state`] },
  ];
  return encodeModel(
    'whisper_encoder_shaped',
    {
      node: [
        // Per frame: the low tone's bins over the high tone's.
        { opType: 'MatMul', input: ['detector', 'mel'], output: ['detected'] },
        { opType: 'Neg', input: ['detected'], output: ['detected_high'] },
        ...heard('low', 'detected'),
        ...heard('high', 'detected_high'),
        {
          opType: 'Concat',
          input: ['low_state', 'high_state'],
          output: ['state'],
          attribute: [intAttribute('axis', 0)],
        },
        { opType: 'Reshape', input: ['state', 'cross_shape'], output: ['n_layer_cross_k'] },
        { opType: 'Identity', input: ['n_layer_cross_k'], output: ['n_layer_cross_v'] },
      ],
      initializer: [
        floats('detector', [1, MEL_BINS], whisperToneDetector()),
        floats('heard', [], Float32Array.from([HEARD])),
        ints('zero', [0]),
        ints('cross_shape', [1, 1, 1, STATE]),
      ],
      input: [valueInfo('mel', FLOAT, ['N', MEL_BINS, 'T'])],
      output: [
        valueInfo('n_layer_cross_k', FLOAT, [1, 'N', 1, STATE]),
        valueInfo('n_layer_cross_v', FLOAT, [1, 'N', 1, STATE]),
      ],
    },
    {
      model_type: 'whisper-tiny-shaped',
      n_mels: MEL_BINS,
      n_text_layer: 1,
      n_text_ctx: CTX,
      n_text_state: STATE,
      n_vocab: VOCAB,
      sot: SOT,
      eot: EOT,
      blank_id: BLANK,
      translate: TRANSLATE,
      transcribe: TRANSCRIBE,
      is_multilingual: 1,
      no_timestamps: NO_TIMESTAMPS,
      no_speech: NO_SPEECH,
      sot_sequence: [SOT, EN, TRANSCRIBE].join(','),
      all_language_tokens: [EN, ZH].join(','),
      all_language_codes: WHISPER_LANGUAGES.join(','),
    },
  );
}

function decoderGraph(): Uint8Array {
  // Next-token logits by the last token fed.
  const next = new Float32Array(VOCAB * VOCAB).fill(NEVER);
  const allow = (after: number, token: number, logit: number) => {
    next[after * VOCAB + token] = logit;
  };
  allow(SOT, ZH, 1); // language detection
  allow(SOT, EN, 0);
  allow(NO_TIMESTAMPS, TING, 0); // the prompt's end: the first word (the language picks)
  allow(NO_TIMESTAMPS, TING_EN, 0);
  allow(NO_TIMESTAMPS, EOT, -50);
  allow(TING, XIE, 0);
  allow(TING, EOT, -50);
  allow(TING_EN, XIE_EN, 0);
  allow(TING_EN, EOT, -50);
  allow(XIE, EOT, 0);
  allow(XIE_EN, EOT, 0);
  // By the prompt's language token (the second token fed; absent after the prompt).
  const language = new Float32Array(VOCAB * VOCAB);
  language[ZH * VOCAB + TING] = 1;
  language[EN * VOCAB + TING_EN] = 1;
  // By the tones heard: a word only if its tone was.
  const tone = new Float32Array(STATE * VOCAB);
  tone[0 * VOCAB + TING] = tone[0 * VOCAB + TING_EN] = 100;
  tone[1 * VOCAB + XIE] = tone[1 * VOCAB + XIE_EN] = 100;
  const toneBias = new Float32Array(VOCAB);
  for (const t of [TING, XIE, TING_EN, XIE_EN]) toneBias[t] = -100;

  const cache = [1, 1, CTX, STATE];
  return encodeModel('whisper_decoder_shaped', {
    node: [
      { opType: 'Slice', input: ['tokens', 'minus_one', 'end', 'one'], output: ['last_2d'] },
      { opType: 'Reshape', input: ['last_2d', 'one'], output: ['last'] },
      { opType: 'Gather', input: ['next', 'last'], output: ['by_last'] },
      // The prompt's second token; after the prompt (one token fed), end-of-text (no effect).
      {
        opType: 'Concat',
        input: ['tokens', 'eot'],
        output: ['padded'],
        attribute: [intAttribute('axis', 1)],
      },
      { opType: 'Slice', input: ['padded', 'one', 'two', 'one'], output: ['second_2d'] },
      { opType: 'Reshape', input: ['second_2d', 'one'], output: ['second'] },
      { opType: 'Gather', input: ['language', 'second'], output: ['by_language'] },
      { opType: 'Reshape', input: ['n_layer_cross_k', 'state_shape'], output: ['heard'] },
      { opType: 'MatMul', input: ['heard', 'tone'], output: ['by_tone_raw'] },
      { opType: 'Add', input: ['by_tone_raw', 'tone_bias'], output: ['by_tone'] },
      { opType: 'Add', input: ['by_last', 'by_language'], output: ['partial'] },
      { opType: 'Add', input: ['partial', 'by_tone'], output: ['scores'] },
      { opType: 'Reshape', input: ['scores', 'logits_shape'], output: ['logits'] },
      {
        opType: 'Identity',
        input: ['in_n_layer_self_k_cache'],
        output: ['out_n_layer_self_k_cache'],
      },
      {
        opType: 'Identity',
        input: ['in_n_layer_self_v_cache'],
        output: ['out_n_layer_self_v_cache'],
      },
    ],
    initializer: [
      floats('next', [VOCAB, VOCAB], next),
      floats('language', [VOCAB, VOCAB], language),
      floats('tone', [STATE, VOCAB], tone),
      floats('tone_bias', [VOCAB], toneBias),
      ints('minus_one', [-1]),
      ints('end', [1 << 30]),
      ints('one', [1]),
      ints('two', [2]),
      ints('eot', [EOT], [1, 1]),
      ints('state_shape', [1, STATE]),
      ints('logits_shape', [1, 1, VOCAB]),
    ],
    input: [
      valueInfo('tokens', INT64, [1, 'n']),
      valueInfo('in_n_layer_self_k_cache', FLOAT, cache),
      valueInfo('in_n_layer_self_v_cache', FLOAT, cache),
      valueInfo('n_layer_cross_k', FLOAT, [1, 1, 1, STATE]),
      valueInfo('n_layer_cross_v', FLOAT, [1, 1, 1, STATE]),
      valueInfo('offset', INT64, [1]),
    ],
    output: [
      valueInfo('logits', FLOAT, [1, 1, VOCAB]),
      valueInfo('out_n_layer_self_k_cache', FLOAT, cache),
      valueInfo('out_n_layer_self_v_cache', FLOAT, cache),
    ],
  });
}
