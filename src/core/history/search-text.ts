// Turns what a person types into the search box into SQL conditions. Every term must match
// (AND); `"two words"` keeps a phrase together. Terms of three or more characters go through
// the trigram index. The trigram tokenizer cannot match anything shorter than three
// characters (a two-character Chinese word such as 天气 is common), so those terms fall back
// to LIKE, which scans the entries of the date range instead of using the index.

export interface TextConditions {
  /** An FTS5 MATCH expression for the long terms, or undefined when there are none. */
  match?: string;
  /** LIKE patterns (escape character `\`) for the short terms. */
  like: string[];
}

const TRIGRAM = 3;

function terms(query: string): string[] {
  const out: string[] = [];
  for (const m of query.matchAll(/"([^"]*)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? '').trim();
    if (term) out.push(term);
  }
  return out;
}

export function textConditions(query: string): TextConditions {
  const long: string[] = [];
  const like: string[] = [];
  for (const term of terms(query)) {
    if ([...term].length >= TRIGRAM) {
      // A quoted FTS5 string is matched literally; a double quote inside is doubled.
      long.push(`"${term.replaceAll('"', '""')}"`);
    } else {
      like.push(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
  }
  return { match: long.length ? long.join(' AND ') : undefined, like };
}
