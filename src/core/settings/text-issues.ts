// The vocabulary and rules of the settings, checked line by line the way the text pipeline
// reads them (src/core/text): each mistake becomes a field issue with its line, so that the
// form shows it beside the field, and a file with a mistake is never saved.
import type { FieldIssue, TextSettings } from '../../shared/settings.ts';
import { textOptionsFrom, type TextFile } from '../text/index.ts';

const FIELD: Record<TextFile, string> = { vocabulary: 'text.vocabulary', rules: 'text.rules' };

/** One issue per mistake: `validation.textLine` with the line, the parser's English
 * (`detail`), and the mistake's kind (`code`) and values, which the window translates
 * (`text.problems.<code>`). */
export function textIssues(text: TextSettings): FieldIssue[] {
  const parsed = textOptionsFrom(text);
  if (parsed.ok) return [];
  return parsed.problems.map(({ file, line, message, code, params }) => ({
    path: FIELD[file],
    message: 'validation.textLine',
    params: { ...params, line, detail: message, code },
  }));
}
