import { describe, expect, test } from 'vitest';
import { mappingArgs, planRuns, spareKeycodes } from '../../src/core/output/x11-unicode-keys.ts';

describe('spareKeycodes', () => {
  test('finds unmapped keycodes and our own earlier mappings, never a real key', () => {
    const pke = [
      'keycode   8 =',
      'keycode   9 = Escape NoSymbol Escape',
      'keycode  38 = a A a A',
      'keycode  65 = space NoSymbol space',
      'keycode  93 = U4F60 U4F60 U4F60 U4F60',
      'keycode  94 = U0001F3A4 U0001F3A4 U0001F3A4 U0001F3A4',
      'keycode  97 = eacute eacute eacute eacute',
      'keycode 255 = ',
    ].join('\n');
    expect(spareKeycodes(pke)).toEqual([8, 93, 94, 255]);
  });
});

describe('planRuns', () => {
  test('ASCII and Latin-1 need no mapping', () => {
    expect(planRuns('café au lait', 4)).toEqual([{ text: 'café au lait', chars: [] }]);
  });
  test('each run maps at most `size` distinct characters, repeats are free', () => {
    const runs = planRuns('你好你好 ok 世界🎤👍', 3);
    expect(runs).toEqual([
      { text: '你好你好 ok 世', chars: ['你', '好', '世'] },
      { text: '界🎤👍', chars: ['界', '🎤', '👍'] },
    ]);
    expect(runs.map((r) => r.text).join('')).toBe('你好你好 ok 世界🎤👍');
  });
});

describe('mappingArgs', () => {
  test('maps each character as a Unicode keysym on every level', () => {
    expect(mappingArgs(['你', '🎤'], [93, 8])).toEqual([
      '-e',
      'keycode 93 = 0x1004f60 0x1004f60 0x1004f60 0x1004f60',
      '-e',
      'keycode 8 = 0x101f3a4 0x101f3a4 0x101f3a4 0x101f3a4',
    ]);
  });
});
