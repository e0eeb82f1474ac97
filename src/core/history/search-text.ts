// Turns what a person types into the search box into index lookups. Every term must match
// (AND); `"two words"` keeps a phrase together. Matching is by substring, in any script:
//  - terms of 3+ characters go through the trigram index (entries_fts);
//  - the trigram tokenizer matches nothing shorter than three characters, and two-character
//    Chinese words (天气, 会议) are common queries, so 1–2 character terms go through a second
//    index of every 1- and 2-character piece of every word (entries_grams, built by
//    `shortGrams`), searched as whole tokens;
//  - a 1–2 character term with punctuation in it (`%`, `a.`) falls back to LIKE, which scans.

export interface TextConditions {
  /** FTS5 MATCH expression for the trigram index (terms of 3+ characters). */
  trigram?: string;
  /** FTS5 MATCH expression for the short-gram index (1–2 character terms). */
  grams?: string;
  /** LIKE patterns (escape character `\`) for short terms with punctuation. */
  like: string[];
}

const TRIGRAM = 3;
// The characters FTS5's unicode61 tokenizer keeps in a token (its default categories).
const WORD_RUN = /[\p{L}\p{N}\p{Co}]+/gu;
const WORD = /^[\p{L}\p{N}\p{Co}]+$/u;

function terms(query: string): string[] {
  const out: string[] = [];
  for (const m of query.matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? '').trim();
    if (term) out.push(term);
  }
  return out;
}

/** A quoted FTS5 string is matched literally; a double quote inside is doubled. */
const quoted = (term: string) => `"${term.replaceAll('"', '""')}"`;

export function textConditions(query: string): TextConditions {
  const long: string[] = [];
  const short: string[] = [];
  const like: string[] = [];
  for (const term of terms(query)) {
    if ([...term].length >= TRIGRAM) long.push(quoted(term));
    else if (WORD.test(term)) short.push(quoted(term));
    else like.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  return {
    trigram: long.length ? long.join(' AND ') : undefined,
    grams: short.length ? short.join(' AND ') : undefined,
    like,
  };
}

/** The text of the short-gram index: each distinct 1- and 2-character piece of each word,
 * space-separated. "今天 ok" → "今 今天 天 o ok k". */
export function shortGrams(text: string): string {
  const grams = new Set<string>();
  for (const [run] of text.matchAll(WORD_RUN)) {
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      grams.add(chars[i]!);
      if (i + 1 < chars.length) grams.add(chars[i]! + chars[i + 1]!);
    }
  }
  return [...grams].join(' ');
}
