import { describe, expect, test } from 'vitest';
import { removeFillers } from '../../src/core/text/fillers.ts';

describe('removeFillers', () => {
  test.each([
    // Chinese: 嗯 and 呃 anywhere, with the comma the recognizer put after them.
    ['嗯，我觉得可以。', '我觉得可以。'],
    ['呃，这个，呃，怎么说呢', '这个，怎么说呢'],
    ['我觉得嗯这个方案可以。', '我觉得这个方案可以。'],
    ['嗯嗯，好的，明天见。', '好的，明天见。'],
    // A filler at the end of a clause takes no comma with it and leaves none dangling.
    ['我觉得，嗯。', '我觉得。'],
    ['我们明天再说吧，呃', '我们明天再说吧'],
    // A sentence that was only a filler goes, end mark and all.
    ['嗯。今天开会。', '今天开会。'],
    ['嗯。', ''],
    ['嗯，呃。', ''],
    ['Um, uh.', ''],
    ['好的。嗯，呃。明天见。', '好的。明天见。'],
    // 啊 opening a clause is a filler; closing one it is a particle.
    ['啊，我忘了带钥匙。', '我忘了带钥匙。'],
    ['好的。啊，对了，还有一件事。', '好的。对了，还有一件事。'],
    // English: whole words, any case, and a capital again where the sentence began.
    ['Um, so we went to the store.', 'So we went to the store.'],
    ['I think uh we should go.', 'I think we should go.'],
    ['I think, uh, we should go.', 'I think, we should go.'],
    ['Well, erm, hmm, maybe tomorrow.', 'Well, maybe tomorrow.'],
    ['Umm, Hmm, let me think.', 'Let me think.'],
    ['We need more, um.', 'We need more.'],
    ['Um. OK then.', 'OK then.'],
    // Mixed
    ['我觉得 um 这个可以', '我觉得这个可以'],
    ['嗯，the deadline is Friday.', 'the deadline is Friday.'],
    ['Uh, 这个 bug 已经修好了。', '这个 bug 已经修好了。'],
  ])('%s → %s', (raw, expected) => {
    expect(removeFillers(raw)).toBe(expected);
  });

  test.each([
    // 啊 as a sentence-final particle
    '好啊。',
    '是啊，我也这么想。',
    '你快来啊！',
    '天啊，太好了。',
    // a question or an exclamation
    '嗯？',
    '啊！好痛。',
    'Uh?',
    // fillers inside words, and uh-huh (a yes)
    'Take an umbrella.',
    'Uhura and Umberto hummed a yummy tune.',
    'She said uh-huh and left.',
    'The drum, the gum and the plum.',
    // capitals are abbreviations
    'UM, I AGREE',
    'Take him to the ER, er, now.',
    'An HMM predicts the next state.',
    // 呃逆 is a hiccup
    '他一直呃逆。',
    // protected spans
    'See https://um.example.com/uh for details.',
    'Run ./uh/um.sh now.',
    // nothing to remove
    '今天天气不错，我们出去走走吧。',
    'The meeting is at 3 p.m. tomorrow.',
    'I love 北京烤鸭 😋',
  ])('keeps %s', (text) => {
    expect(removeFillers(text)).toBe(text);
  });
});
