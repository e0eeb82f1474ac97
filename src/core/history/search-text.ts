// What the full-text index holds for an entry, and how what a person types into the search box
// becomes a query of it. Matching is by substring, in any script, and every term must match
// (AND); `"two words"` keeps a phrase together.
//
// The index uses FTS5's trigram tokenizer (unicode61, its default, does not split Chinese
// into words), which matches nothing shorter than three characters — yet two-character
// Chinese words (天气, 会议) are common queries. So each entry is indexed as its text, a
// separator, and the text again with a marker between and around its characters:
// "今天" → "今天" SEP MARK 今 MARK 天 MARK. The trigrams of that second part are MARK x MARK
// for each character x and x MARK y for each pair xy: a 1–2 character term is one trigram
// lookup. Neither character can occur in the text (it is stripped of them), so a term of
// 3+ characters only ever matches the text itself and a short term only the marked part;
// the few trigrams spanning the separator match no query.

/** Between the characters of the marked copy. */
const MARK = '\x01';
/** Between the text and its marked copy. */
const SEPARATOR = '\x02';
const TRIGRAM = 3;

const withoutMarkers = (text: string) => text.replaceAll(MARK, ' ').replaceAll(SEPARATOR, ' ');

/** The text to index for an entry's text (see above). Only the final text is indexed, never
 * the raw transcript: a search finds what the person sees in the list, and an entry corrected
 * away from a word is no longer found by it. */
export function indexText(text: string): string {
  const plain = withoutMarkers(text);
  return `${plain}${SEPARATOR}${MARK}${[...plain].join(MARK)}${MARK}`;
}

function terms(query: string): string[] {
  const out: string[] = [];
  for (const m of withoutMarkers(query).matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? '').trim();
    if (term) out.push(term);
  }
  return out;
}

/** A quoted FTS5 string is matched literally; a double quote inside is doubled. */
const quoted = (term: string) => `"${term.replaceAll('"', '""')}"`;

/** The one trigram that finds a 1–2 character term in the marked copy. */
function shortTermTrigram(term: string): string {
  const [a, b] = [...term];
  return b === undefined ? `${MARK}${a}${MARK}` : `${a}${MARK}${b}`;
}

/** The FTS5 MATCH expression for a search, or undefined when it has no terms. */
export function matchExpression(query: string): string | undefined {
  const parts = terms(query).map((term) =>
    quoted([...term].length >= TRIGRAM ? term : shortTermTrigram(term)),
  );
  return parts.length ? parts.join(' AND ') : undefined;
}
