// History → Correct…: the correction offered as a rule is the part that changed, in whole
// Latin words, written so that the rules parser reads it back as that very rule.
import { describe, expect, test } from 'vitest';
import { parseRules, runTextPipeline, DEFAULT_TEXT_OPTIONS } from '../../src/core/text/index.ts';
import { correctionRule } from '../../src/shared/correction-rule.ts';

describe('correctionRule', () => {
  test.each([
    ['我用 cooper netties 部署', '我用 Kubernetes 部署', 'cooper netties => Kubernetes'],
    ['deploy on cooper netties now', 'deploy on Kubernetes now', 'cooper netties => Kubernetes'],
    // A change inside a word takes the whole word.
    ['the coopers came', 'the cooperz came', 'coopers => cooperz'],
    ['I use vs code daily', 'I use VS Code daily', 'vs code => VS Code'],
    ['你好世界。', '你好中国。', '世界 => 中国'],
    ['the AI is here', 'the A.I. is here', 'AI => A.I.'],
    // Deleted text: an empty replacement.
    ['好的（笑）明天见', '好的明天见', '（笑） =>'],
    // A pattern that starts with '/' is quoted, so that it is not a regular expression.
    ['see /usr/bin for it', 'see ~/bin for it', '"/usr" => ~'],
  ])('%s → %s: %s', (before, after, line) => {
    const rule = correctionRule(before, after);
    expect(rule?.line).toBe(line);
    const parsed = parseRules(line);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // The rule makes the correction by itself.
    const fixed = runTextPipeline(before, { ...DEFAULT_TEXT_OPTIONS, rules: parsed.value });
    expect(fixed.final).toBe(after);
  });

  test.each([
    ['same', 'same'],
    // Only an insertion: there is nothing to find.
    ['hello', 'hello world'],
    // The format cannot hold these.
    ['x => y', 'x to y'],
  ])('offers no rule for %s → %s', (before, after) => {
    expect(correctionRule(before, after)).toBeUndefined();
  });
});
