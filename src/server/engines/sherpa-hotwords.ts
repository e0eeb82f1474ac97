// The session's keywords as sherpa-onnx hotwords: its transducer search (modified beam search)
// adds a bonus to each token that continues a hotword, so that a term the model finds nearly as
// likely as what it would have written wins. sherpa-onnx turns each hotword into the model's
// tokens itself (EncodeHotwords, sherpa-onnx/csrc/utils.cc), by the model's "modeling unit":
//   cjkchar      each CJK character is a token; a run of Latin letters is one token.
//   bpe          each word is cut into sentencepiece pieces, from a vocabulary of scored pieces.
//   cjkchar+bpe  CJK characters as cjkchar, runs of Latin letters as bpe.
// It ends the process on some of what a person may type (a piece that starts with ':', '#' or
// '@' and is no token is read as a score, threshold or phrase: std::stof throws on "C#"), and it
// makes a term with a token the model does not know a hotword of the tokens it does. So every
// term is encoded here first, the same way, and one that sherpa-onnx could not take whole is
// left out, with the reason. The models' own hotword files are not used: Parakeet ships no
// bpe.vocab, and the zh-en zipformer's is not among the files Tingxie downloads.
import { isCjk } from '../../core/text/characters.ts';

export type ModelingUnit = 'cjkchar' | 'bpe' | 'cjkchar+bpe';

/** sherpa-onnx's own defaults: the bonus per token of a hotword, and the beam's width. */
export const HOTWORDS_SCORE = 1.5;
export const MAX_ACTIVE_PATHS = 4;

/** What sherpa-onnx reads as markers in a hotword line ('/' separates a stream's hotwords). */
const MARKERS = /[:#@/]/u;

/** A term left out, and why. */
export interface DroppedTerm {
  term: string;
  reason: string;
}

export interface Hotwords {
  /** The hotwords for sherpa-onnx's createStream(hotwords): terms separated by '/'; empty when
   * none is left. */
  line: string;
  dropped: DroppedTerm[];
}

/** How a model's tokens are written, for its hotwords. */
export class HotwordVocabulary {
  readonly modelingUnit: ModelingUnit;
  /** The sentencepiece vocabulary the recognizer cuts Latin words with (its `bpeVocab` file),
   * made from tokens.txt: Parakeet ships none, and the zh-en zipformer's bpe.vocab is not among
   * the files Tingxie downloads. Undefined for a model without word pieces. */
  readonly bpeVocab?: string;
  private readonly tokens: Set<string>;
  private readonly pieces: Map<string, number>;
  private readonly longestPiece: number;
  /** The model's Latin tokens are all upper case (the zh-en zipformer's are) or all lower case
   * (older English models'): terms are written so too. Parakeet's are mixed: as typed. */
  private readonly letterCase: 'upper' | 'lower' | 'mixed';

  /** `tokensText`: the model's tokens.txt. */
  constructor(tokensText: string) {
    const tokens = tokensText
      .split('\n')
      .map((line) => line.trim().split(/\s+/u)[0] ?? '')
      .filter((token) => token !== '');
    this.tokens = new Set(tokens);
    const bpe = tokens.some((t) => t.startsWith('▁'));
    const cjk = tokens.some((t) => [...t].length === 1 && isCjk(t));
    this.modelingUnit = bpe && cjk ? 'cjkchar+bpe' : bpe ? 'bpe' : 'cjkchar';
    const latin = tokens.filter((t) => /[a-z]/iu.test(t) && !isSpecial(t));
    this.letterCase =
      latin.length > 0 && latin.every((t) => t === t.toUpperCase())
        ? 'upper'
        : latin.length > 0 && latin.every((t) => t === t.toLowerCase())
          ? 'lower'
          : 'mixed';
    this.pieces = new Map();
    if (bpe) {
      // sentencepiece lists a BPE model's pieces in the order it learned them (a unigram
      // model's, best first), and BPE encodes a word by merging as far as it can: a piece costs
      // more than any difference in rank, so the cut with the fewest pieces wins, then the one
      // of pieces that come first.
      const cost = tokens.length * 64;
      tokens.forEach((token, rank) => {
        if (!isSpecial(token)) this.pieces.set(token, -(cost + rank));
      });
      this.bpeVocab = [...this.pieces].map(([p, s]) => `${p} ${s}\n`).join('');
    }
    this.longestPiece = Math.max(0, ...[...this.pieces.keys()].map((p) => p.length));
  }

  /** The hotwords for `keywords`, each as sherpa-onnx will encode it, or left out with why. */
  hotwords(keywords: readonly string[]): Hotwords {
    const kept: string[] = [];
    const dropped: DroppedTerm[] = [];
    for (const keyword of keywords) {
      const term = keyword.trim().replace(/\s+/gu, ' ');
      if (term === '' || kept.includes(this.written(term))) continue;
      const reason = this.problem(term);
      if (reason) dropped.push({ term, reason });
      else kept.push(this.written(term));
    }
    return { line: kept.join('/'), dropped };
  }

  /** The tokens sherpa-onnx makes of `term` (EncodeHotwords), for tests and the check below;
   * undefined where a piece matches no token of the vocabulary. */
  encode(term: string): string[] | undefined {
    const out: string[] = [];
    for (const word of this.written(term).split(' ')) {
      const pieces =
        this.modelingUnit === 'bpe'
          ? this.segment(`▁${word}`)
          : splitLikeSherpa(word).flatMap((w) =>
              this.modelingUnit === 'cjkchar+bpe' && /^[A-Za-z]/u.test(w)
                ? (this.segment(`▁${w}`) ?? ['<unk>'])
                : [w],
            );
      if (!pieces) return undefined;
      out.push(...pieces);
    }
    return out.includes('<unk>') ? undefined : out;
  }

  private written(term: string): string {
    if (this.letterCase === 'upper') return term.toUpperCase();
    return this.letterCase === 'lower' ? term.toLowerCase() : term;
  }

  private problem(term: string): string | undefined {
    if (MARKERS.test(term) || /\p{Cc}/u.test(term)) {
      return "it has ':', '#', '@', '/' or a control character, which the recognizer reads as its own markers";
    }
    const tokens = this.encode(term);
    const unknown = tokens
      ? tokens.filter((t) => !this.tokens.has(t))
      : [...term].filter((c) => !this.knows(c));
    if (!tokens || unknown.length > 0) {
      const shown = [...new Set(unknown)].slice(0, 5).join(' ');
      return `the model has no token for ${shown ? `"${shown}"` : 'part of it'}`;
    }
    return undefined;
  }

  /** Whether a character appears in any token (for the message only). */
  private knows(char: string): boolean {
    const c = this.written(char);
    for (const token of this.tokens) if (token.includes(c)) return true;
    return char === ' ';
  }

  /** sentencepiece's cut of `text` as sherpa-onnx's encoder makes it (ssentencepiece's
   * GetDag/CalcDp/Cut: the pieces with the highest total score, where a place no piece starts
   * at scores 0 and becomes <unk>); undefined when it has an <unk>. */
  private segment(text: string): string[] | undefined {
    const n = text.length;
    const score = new Float64Array(n + 1);
    const next = new Int32Array(n + 1).fill(-1);
    for (let i = n - 1; i >= 0; i--) {
      let best = -Infinity;
      for (let end = i + 1; end <= Math.min(n, i + this.longestPiece); end++) {
        const piece = this.pieces.get(text.slice(i, end));
        if (piece === undefined) continue;
        const total = piece + score[end]!;
        if (total > best || (total === best && next[i]! >= end)) {
          best = total;
          next[i] = end;
        }
      }
      score[i] = best === -Infinity ? 0 : best;
    }
    const pieces: string[] = [];
    for (let i = 0; i < n;) {
      const end = next[i]!;
      if (end < 0) return undefined;
      pieces.push(text.slice(i, end));
      i = end;
    }
    return pieces;
  }
}

/** <unk>, <blk>, <sos/eos> and the like: never part of a word. */
function isSpecial(token: string): boolean {
  return /^<.+>$/u.test(token);
}

/** A word cut as sherpa-onnx's SplitUtf8 cuts it (text-utils.cc): letters, digits and
 * apostrophes of Latin script run together into one piece; every other character (CJK, '▁',
 * punctuation) is a piece of its own. */
function splitLikeSherpa(word: string): string[] {
  const pieces: string[] = [];
  let run = '';
  for (const char of word) {
    if (/^[\p{Script=Latin}0-9']$/u.test(char) && char.codePointAt(0)! < 0x800) {
      run += char;
      continue;
    }
    if (run) pieces.push(run);
    run = '';
    pieces.push(char);
  }
  if (run) pieces.push(run);
  return pieces;
}
