// Keywords as sherpa-onnx hotwords: how each model's tokens spell a term (the way sherpa-onnx's
// EncodeHotwords will), which terms are left out and why, and the recognizer's config for a
// model loaded to search with hotwords. sherpa-onnx itself decodes with them in
// test/integration/server-sherpa-hotwords.test.ts.
import { describe, expect, test } from 'vitest';
import type { LocalModel } from '../../src/core/models/model-types.ts';
import { recognizerConfig, takesHotwords } from '../../src/server/engines/sherpa-config.ts';
import { HotwordVocabulary } from '../../src/server/engines/sherpa-hotwords.ts';

const tokensTxt = (tokens: string[]) => tokens.map((t, id) => `${t} ${id}\n`).join('');

/** The start of Parakeet TDT 0.6B v2's tokens.txt (sentencepiece BPE: pieces in the order they
 * were learned, <unk> first), then the pieces the tests spell with, the single characters last
 * (as sentencepiece has every character of its alphabet), and <blk>. */
const PARAKEET = tokensTxt([
  '<unk>',
  '▁t',
  '▁th',
  '▁a',
  '▁i',
  '▁the',
  're',
  '▁w',
  'in',
  'ing',
  '▁T',
  '▁Ting',
  'x',
  'ie',
  'ub',
  'er',
  'net',
  'es',
  '▁K',
  '▁Kub',
  '▁',
  'T',
  'i',
  'n',
  'g',
  'e',
  'K',
  'u',
  'b',
  'r',
  't',
  's',
  'h',
  '<blk>',
]);

/** Like the zh-en streaming zipformer's: CJK characters and upper-case word pieces. */
const BILINGUAL = tokensTxt(['<blk>', '<sos/eos>', '<unk>', '听', '写', '▁HELLO', '▁TING', 'XIE']);

describe('HotwordVocabulary: the modeling unit, from the tokens', () => {
  test('word pieces only: bpe, with a vocabulary made from tokens.txt in learned order', () => {
    const v = new HotwordVocabulary(PARAKEET);
    expect(v.modelingUnit).toBe('bpe');
    const lines = v.bpeVocab!.trim().split('\n');
    // No <unk>/<blk>: a term's text can never be cut into them.
    expect(lines.some((l) => l.startsWith('<'))).toBe(false);
    const score = (piece: string) =>
      Number(lines.find((l) => l.startsWith(`${piece} `))!.split(' ')[1]);
    // Learned first scores higher; every piece costs more than any difference in rank.
    expect(score('▁t')).toBeGreaterThan(score('▁the'));
    expect(score('▁the')).toBeGreaterThan(score('▁t') + score('▁'));
  });

  test('CJK characters only: cjkchar, no sentencepiece vocabulary', () => {
    const v = new HotwordVocabulary(tokensTxt(['听', '写', '停', '歇', '<blk>']));
    expect(v.modelingUnit).toBe('cjkchar');
    expect(v.bpeVocab).toBeUndefined();
  });

  test('both: cjkchar+bpe; CJK characters as they are, Latin words cut into pieces', () => {
    const v = new HotwordVocabulary(BILINGUAL);
    expect(v.modelingUnit).toBe('cjkchar+bpe');
    expect(v.bpeVocab).toContain('▁TING');
    expect(v.encode('听Tingxie')).toEqual(['听', '▁TING', 'XIE']);
  });
});

describe('HotwordVocabulary: spelling a term as sherpa-onnx will', () => {
  test('bpe: each word from ▁, the fewest pieces, learned first among equals', () => {
    const v = new HotwordVocabulary(PARAKEET);
    expect(v.encode('Tingxie')).toEqual(['▁Ting', 'x', 'ie']);
    expect(v.encode('Kubernetes')).toEqual(['▁Kub', 'er', 'net', 'es']);
    expect(v.encode('the Tingxie')).toEqual(['▁the', '▁Ting', 'x', 'ie']);
  });

  test('a character no piece has: no spelling', () => {
    expect(new HotwordVocabulary(PARAKEET).encode('Zed')).toBeUndefined();
  });

  test('upper-case models get upper-case terms; cased models get them as typed', () => {
    expect(new HotwordVocabulary(BILINGUAL).hotwords(['听写', 'Tingxie']).line).toBe(
      '听写/TINGXIE',
    );
    expect(new HotwordVocabulary(PARAKEET).hotwords(['Tingxie']).line).toBe('Tingxie');
  });
});

describe('HotwordVocabulary.hotwords: what is kept, what is left out and why', () => {
  test("terms the model can spell, '/' between them, each once", () => {
    const v = new HotwordVocabulary(tokensTxt(['听', '写', '停', '歇', '<blk>']));
    expect(v.hotwords(['停歇', ' 听写 ', '停歇', ''])).toEqual({
      line: '停歇/听写',
      dropped: [],
    });
  });

  test("sherpa-onnx's markers (':', '#', '@', '/') and control characters: left out", () => {
    const v = new HotwordVocabulary(PARAKEET);
    const { line, dropped } = v.hotwords([
      'C#',
      'a:b',
      'me@home',
      'and/or',
      'tab\there',
      'Tingxie',
    ]);
    expect(line).toBe('Tingxie');
    expect(dropped.map((d) => d.term)).toEqual(['C#', 'a:b', 'me@home', 'and/or', 'tab here']);
    expect(dropped[0]!.reason).toMatch(/markers/);
  });

  test('a term with a token the model does not know: left out, naming it', () => {
    const v = new HotwordVocabulary(tokensTxt(['听', '写', '<blk>']));
    expect(v.hotwords(['听说', '听写'])).toEqual({
      line: '听写',
      dropped: [{ term: '听说', reason: 'the model has no token for "说"' }],
    });
  });
});

describe('the recognizer loaded for hotwords', () => {
  const nemo: LocalModel = {
    id: 'parakeet',
    kind: 'nemo-transducer',
    files: { encoder: '/n/e.onnx', decoder: '/n/d.onnx', joiner: '/n/j.onnx', tokens: '/n/t.txt' },
    languages: ['en'],
  };

  test('NeMo transducers: modified beam search, the modeling unit and the vocabulary', () => {
    const { config } = recognizerConfig(nemo, '', 2, {
      modelingUnit: 'bpe',
      bpeVocab: '/tmp/x/bpe.vocab',
    });
    expect(config).toMatchObject({
      decodingMethod: 'modified_beam_search',
      maxActivePaths: 4,
      hotwordsScore: 1.5,
      modelConfig: {
        modelType: 'nemo_transducer',
        modelingUnit: 'bpe',
        bpeVocab: '/tmp/x/bpe.vocab',
      },
    });
  });

  test('without hotwords: greedy search, as before', () => {
    const { config } = recognizerConfig(nemo, '', 2);
    expect(config.decodingMethod).toBeUndefined();
    expect(config.modelConfig.modelingUnit).toBeUndefined();
  });

  test('a streaming zipformer: its hotwords in the config, one a line, their size in bytes', () => {
    const zipformer: LocalModel = { ...nemo, kind: 'streaming-zipformer' };
    const { streaming, config } = recognizerConfig(zipformer, '', 1, {
      modelingUnit: 'cjkchar+bpe',
      bpeVocab: '/tmp/x/bpe.vocab',
      hotwords: '停歇/TINGXIE',
    });
    expect(streaming).toBe(true);
    expect(config).toMatchObject({
      decodingMethod: 'modified_beam_search',
      hotwordsBuf: '停歇\nTINGXIE',
      hotwordsBufSize: 14,
      modelConfig: { modelingUnit: 'cjkchar+bpe', bpeVocab: '/tmp/x/bpe.vocab' },
    });
  });

  test('transducers take hotwords: offline ones per turn, streaming ones when loaded', () => {
    expect(takesHotwords('nemo-transducer')).toBe('per-turn');
    expect(takesHotwords('streaming-zipformer')).toBe('when-loaded');
    for (const kind of ['sense-voice', 'paraformer', 'whisper', 'streaming-paraformer'] as const) {
      expect(takesHotwords(kind)).toBeUndefined();
    }
  });
});
