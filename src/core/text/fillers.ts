// Fillers out: 嗯, 呃 and um, uh, erm, hmm wherever they stand alone, and 啊 only where it
// opens a clause ("啊，我忘了"): at the end of one it is a sentence-final particle (好啊, 是啊,
// 你来啊) and stays. English fillers are whole words only: "umbrella", "Uhura" and "uh-huh"
// (a yes) survive. A filler followed by ? or ! is a question or an exclamation ("嗯？" is
// "huh?") and stays. The comma a recognizer put after a filler goes with it; a sentence left
// with nothing but its end mark disappears; a sentence that began with a capitalized filler
// begins with a capital again ("Um, so we" → "So we"). Nothing inside a URL, a path or code
// is touched (protected-spans.ts).
import { FULL_STOPS, HALF_STOPS, LATIN, isCjk, lastChar } from './characters.ts';
import { withProtectedSpans } from './protected-spans.ts';

const NOT_LATIN_BEFORE = `(?<![${LATIN}_'’-])`;
const NOT_LATIN_AFTER = `(?![${LATIN}_'’-])`;
/** 呃逆 is a hiccup, not a hesitation. English fillers in lower case or capitalized only:
 * in capitals they are abbreviations (an HMM, the UM campus). "er" is not one: the ER. */
const FILLER = new RegExp(
  `嗯+|呃+(?!逆)|啊+|${NOT_LATIN_BEFORE}(?:[Uu]m+|[Uu]h+|[Uu]hm|[Ee]rm|[Hh]m+)${NOT_LATIN_AFTER}`,
  'gu',
);
/** Marks after which a clause begins. */
const CLAUSE_OPENERS = `${FULL_STOPS}${HALF_STOPS}，、；：,;:\n`;
const SENTENCE_OPENERS = `${FULL_STOPS}${HALF_STOPS}\n`;
/** After a filler: its comma (and spaces) go with it. */
const COMMA_AFTER = /^[ \t]*[，,、][ \t]*/u;
/** After a filler that was a whole sentence: its end mark goes with it. */
const STOP_AFTER = /^[ \t]*[。.][ \t]*/u;
const SPACES_AFTER = /^[ \t]*/u;
/** A filler before one of these is said as a question or an exclamation. */
const ASKED = /^[ \t]*[？！?!]/u;

/** `text` without fillers (see above). */
export function removeFillers(text: string): string {
  return withProtectedSpans(text, removeFromMasked);
}

function removeFromMasked(text: string): string {
  let out = '';
  let from = 0;
  let capitalize = false;
  const copy = (chunk: string) => {
    if (capitalize && chunk !== '') {
      out += /^\p{Ll}/u.test(chunk) ? chunk[0]?.toUpperCase() + chunk.slice(1) : chunk;
      capitalize = false;
    } else {
      out += chunk;
    }
  };
  for (const match of text.matchAll(FILLER)) {
    const start = match.index;
    const filler = match[0];
    const after = text.slice(start + filler.length);
    if (ASKED.test(after)) continue;
    const previous = lastChar(text.slice(0, start).trimEnd());
    const opensClause = previous === undefined || CLAUSE_OPENERS.includes(previous);
    if (filler.startsWith('啊') && !opensClause) continue;
    // Of what is kept: after fillers that are gone ("嗯，呃。"), the next one opens the sentence.
    const kept = lastChar((out + text.slice(from, start)).trimEnd());
    const opensSentence = kept === undefined || SENTENCE_OPENERS.includes(kept);

    copy(text.slice(from, start));
    const taken =
      COMMA_AFTER.exec(after)?.[0] ??
      (opensSentence ? STOP_AFTER.exec(after)?.[0] : undefined) ??
      SPACES_AFTER.exec(after)?.[0] ??
      '';
    from = start + filler.length + taken.length;
    const rest = text.slice(from);
    if (rest === '' || /^[ \t]*[。.！？!?]/u.test(rest)) {
      // Nothing of the clause is left: no comma may be left dangling before its end.
      out = out.replace(/[ \t]*[，,、]?[ \t]*$/u, '');
    } else if (/[ \t]$/u.test(out) && (isCjk(lastChar(out.trimEnd())) || isCjk(rest[0]))) {
      // "我觉得 um 这个": Chinese needs no space where the filler was.
      out = out.trimEnd();
    }
    if (opensSentence && /^\p{Lu}/u.test(filler)) capitalize = true;
  }
  copy(text.slice(from));
  return out;
}
