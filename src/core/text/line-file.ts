// What the vocabulary and rules files share: one entry a line, '#' comments, blank lines, and
// mistakes reported with their line numbers, all at once, so that a file is fixed in one go
// and never applied in part.

/** One line that says something: its number (from 1) and its text, trimmed. */
export interface FileLine {
  line: number;
  text: string;
}

/** What is wrong, in English (`message`), and as a kind with its values (`code`, `params`)
 * for a translation of it: the app shows it in the person's language. */
export interface Mistake {
  message: string;
  code: string;
  params?: Record<string, string | number>;
}

/** A mistake on one line of a file. */
export interface LineProblem extends Mistake {
  line: number;
}

export const mistake = (
  code: string,
  message: string,
  params?: Record<string, string | number>,
): Mistake => ({ code, message, ...(params ? { params } : {}) });

/** A parsed file, or every mistake in it (then nothing of it is used). */
export type FileParse<T> = { ok: true; value: T } | { ok: false; problems: LineProblem[] };

/** The lines of `text` that are not blank and not comments. A comment is a line whose first
 * non-blank character is '#'; a '#' elsewhere is text (C# => C sharp). A byte-order mark and
 * Windows line ends are allowed. */
export function contentLines(text: string): FileLine[] {
  const lines: FileLine[] = [];
  text
    .replace(/^\uFEFF/u, '')
    .split(/\r?\n/u)
    .forEach((raw, i) => {
      const trimmed = raw.trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) lines.push({ line: i + 1, text: trimmed });
    });
  return lines;
}

/** The mistakes of a file as a person reads them: "rules.txt: 2 mistakes, so none of its
 * lines are used:\n  line 3: …". */
export function describeProblems(fileName: string, problems: readonly LineProblem[]): string {
  const count = problems.length === 1 ? '1 mistake' : `${problems.length} mistakes`;
  const lines = problems.map(({ line, message }) => `  line ${line}: ${message}`);
  return [`${fileName}: ${count}, so none of its lines are used:`, ...lines].join('\n');
}
