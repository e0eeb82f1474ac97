// Replacement rules, applied in the order of the file, each to the text the one before left.
//
// File format, one rule a line:
//
//   # Comments start with '#' at the start of a line; blank lines are ignored.
//   # A plain pattern is found exactly as written (case included):
//   逗号 => ，
//   AI => A.I.
//   # A pattern between slashes is a regular expression (JavaScript syntax, Unicode mode),
//   # optionally followed by flags: i (ignore case), m (^ and $ at each line), s (. matches
//   # line ends). The replacement may use $1, $<name> and $& for what the pattern found:
//   /(\d+) percent/i => $1%
//   # An empty replacement deletes what the pattern finds:
//   /\s*（笑）/ =>
//   # Double quotes keep the spaces at the ends of a pattern or a replacement, and make a
//   # pattern that starts with "/" plain text:
//   " - " => "，"
//   "/usr/bin" => ~/bin
//
// A line is `pattern => replacement`, split at the first "=>" (at the first "=>" after the
// closing slash for a regular expression); spaces around either side are not part of it,
// unless quoted. A '#' after the start of a line is text, so "C# => C sharp" works. A plain
// pattern that begins or ends with a Latin letter or digit is found only as a whole word
// there ("AI" is not found inside "RAID"); a CJK one anywhere. Every match is replaced.
//
// A rule with a mistake (no "=>", an empty pattern, a regular expression that does not
// compile or that matches empty text, a $3 where there are 2 groups) is reported with its
// line, and then no rule of the file is used. A regular expression can be written so that
// it takes very long on some text, (a+)+ for one: nothing here can tell such a pattern from
// a harmless one, so keep repetitions of repetitions out of your patterns.
import type { FileParse, LineProblem, Mistake } from './line-file.ts';
import { contentLines, mistake } from './line-file.ts';
import { literalPattern } from './literal-pattern.ts';

export interface Rule {
  /** The line of the rules file it comes from. */
  line: number;
  /** Compiled, always global and Unicode-aware. */
  pattern: RegExp;
  replacement: string;
  /** A plain rule's replacement is literal text: "$1" stays "$1". */
  plain: boolean;
}

const ARROW = '=>';
/** `/body/flags => replacement`, the body possibly holding escaped or bracketed slashes. */
const REGEX_RULE = /^\/((?:\\.|\[(?:\\.|[^\]\\])*\]|[^\\[/])*)\/([A-Za-z]*)\s*=>(.*)$/su;
const USER_FLAGS = 'ims';
const QUOTE_HINT =
  'To find text that starts with "/", put it in double quotes: "/usr/bin" => ~/bin.';

/** `text` without the double quotes around it, which keep its spaces: `" - "`. */
const unquote = (text: string) =>
  text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;

/** The rules in `text` (the file format above), or every mistake in it. */
export function parseRules(text: string): FileParse<Rule[]> {
  const rules: Rule[] = [];
  const problems: LineProblem[] = [];
  for (const { line, text: entry } of contentLines(text)) {
    const rule = entry.startsWith('/') ? regexRule(entry) : plainRule(entry);
    if ('code' in rule) problems.push({ line, ...rule });
    else rules.push({ line, ...rule });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: rules };
}

/** `text` with every rule applied, in order. */
export function applyRules(text: string, rules: readonly Rule[]): string {
  return rules.reduce(
    (out, rule) =>
      rule.plain
        ? out.replace(rule.pattern, () => rule.replacement)
        : out.replace(rule.pattern, rule.replacement),
    text,
  );
}

type Parsed = Omit<Rule, 'line'> | Mistake;

function plainRule(entry: string): Parsed {
  const arrow = entry.indexOf(ARROW);
  if (arrow < 0) return mistake('noArrow', `no "${ARROW}". A rule is "pattern => replacement".`);
  const pattern = unquote(entry.slice(0, arrow).trim());
  if (pattern === '') return mistake('emptyPattern', `the pattern before "${ARROW}" is empty.`);
  return {
    pattern: new RegExp(literalPattern(pattern), 'gu'),
    replacement: unquote(entry.slice(arrow + ARROW.length).trim()),
    plain: true,
  };
}

function regexRule(entry: string): Parsed {
  const parts = REGEX_RULE.exec(entry);
  if (parts === null) {
    return mistake(
      'notRegex',
      `a pattern that starts with "/" is a regular expression: "/pattern/flags => replacement" (is the closing "/" or the "${ARROW}" missing?). ${QUOTE_HINT}`,
    );
  }
  const [, body = '', flags = '', rest = ''] = parts;
  if (body === '') return mistake('emptyRegex', 'the regular expression // is empty.');
  const unknown = [...flags].filter((flag) => !'gu'.includes(flag) && !USER_FLAGS.includes(flag));
  if (unknown.length > 0) {
    const flag = unknown.join('');
    return mistake(
      'unknownFlag',
      `unknown flag "${flag}" after /${body}/. The flags are i (ignore case), m (^ and $ at each line) and s (. matches line ends). ${QUOTE_HINT}`,
      { flag, body },
    );
  }
  const own = [...new Set(flags)].filter((flag) => USER_FLAGS.includes(flag)).join('');
  let pattern: RegExp;
  try {
    pattern = new RegExp(body, `${own}gu`);
  } catch (error) {
    // V8 says "Invalid regular expression: /(ab/gu: Unterminated group": keep the reason.
    const reason = error instanceof Error ? error.message.replace(/^.*: /su, '') : String(error);
    return mistake('invalidRegex', `/${body}/ is not a valid regular expression: ${reason}.`, {
      body,
      reason,
    });
  }
  if (matchesEmptyText(body, own)) {
    return mistake(
      'matchesEmpty',
      `/${body}/ matches empty text, so its replacement would go between every two characters.`,
      { body },
    );
  }
  const replacement = unquote(rest.trim());
  const groupProblem = checkGroupReferences(pattern, replacement);
  if (groupProblem !== undefined) return groupProblem;
  return { pattern, replacement, plain: false };
}

// Whether the pattern matches empty text between two characters that no rule means to find,
// as a* or x? do, rather than at a chosen place, as ^, \b or (?<=\d)(?=[a-z]) do.
function matchesEmptyText(body: string, flags: string): boolean {
  const probe = new RegExp(body, `${flags}yu`);
  probe.lastIndex = 1;
  return probe.exec('\u0001\u0001\u0001')?.[0] === '';
}

/** A "$3" or "$<name>" in the replacement that the pattern has no group for would be written
 * out literally: say so instead. */
function checkGroupReferences(pattern: RegExp, replacement: string): Mistake | undefined {
  // A pattern with an empty alternative added matches '' and so tells its groups.
  const empty = new RegExp(`${pattern.source}|`, 'u').exec('');
  const groups = (empty?.length ?? 1) - 1;
  const names = Object.keys(empty?.groups ?? {});
  const has = groups === 1 ? '1 group' : `${groups} groups`;
  for (const [, digits, name] of replacement.matchAll(/\$\$|\$(\d{1,2})|\$<([^>]*)>/gu)) {
    if (digits !== undefined) {
      // As String.prototype.replace reads them: $12 is group 12 if there is one, else group 1
      // and a "2".
      const first = Number(digits[0]);
      if (Number(digits) >= 1 && Number(digits) <= groups) continue;
      if (first >= 1 && first <= groups) continue;
      if (first === 0) {
        return mistake(
          'dollarZero',
          'the replacement uses $0: what the whole pattern found is $&.',
        );
      }
      return mistake(
        'noGroup',
        `the replacement uses $${first}, but /${pattern.source}/ has ${has} in parentheses.`,
        { group: first, body: pattern.source, groups },
      );
    }
    if (name !== undefined && !names.includes(name)) {
      return mistake(
        'noNamedGroup',
        `the replacement uses $<${name}>, but /${pattern.source}/ has no group named "${name}".`,
        { name, body: pattern.source },
      );
    }
  }
  return undefined;
}
