import { describe, expect, test } from 'vitest';
import {
  convertScript,
  loadScriptConverter,
  type OutputScript,
} from '../../src/core/text/script-conversion.ts';

// OpenCC's real dictionaries, as the app loads them.
async function convert(text: string, script: Exclude<OutputScript, 'as-is'>): Promise<string> {
  return convertScript(text, await loadScriptConverter(script));
}

describe('script conversion', () => {
  test.each([
    // Traditional (Taiwan and Hong Kong forms alike) → Simplified
    ['後來我們在臺灣的軟體公司裡面喝咖啡。', 'simplified', '后来我们在台湾的软体公司里面喝咖啡。'],
    ['衞生間的頭髮很乾淨。', 'simplified', '卫生间的头发很干净。'],
    // Simplified → Traditional: phrases decide ambiguous characters (头发/发展, 干净/干部).
    ['后来皇后的头发很干净，发展很快。', 'traditional', '後來皇后的頭髮很乾淨，發展很快。'],
    ['为什么里面的面包这么好吃？', 'tw', '為什麼裡面的麵包這麼好吃？'],
    ['为什么里面的面包这么好吃？', 'hk', '為什麼裏面的麪包這麼好吃？'],
    ['台湾的卫生', 'traditional', '臺灣的衛生'],
    ['台湾的卫生', 'hk', '台灣的衞生'],
    // Characters only, never words: 软件 stays 軟件 in Taiwan too (a rule may change it).
    ['我们公司的软件和视频', 'tw', '我們公司的軟件和視頻'],
    // Mixed text: only the Chinese changes.
    [
      '我用ChatGPT写了3个函数，见https://example.com/fa_zhan 😀',
      'tw',
      '我用ChatGPT寫了3個函數，見https://example.com/fa_zhan 😀',
    ],
  ] as const)('%s → (%s) %s', async (raw, script, expected) => {
    expect(await convert(raw, script)).toBe(expected);
  });

  test.each([
    ['今天天气不错，我们出去走走吧。', 'simplified'],
    ['今天天氣不錯，我們出去走走吧。', 'tw'],
    ['Hello, world. 3.14 and 1,000 😀', 'simplified'],
    ['Hello, world. 3.14 and 1,000 😀', 'hk'],
    ['', 'traditional'],
  ] as const)('keeps %s in %s', async (text, script) => {
    expect(await convert(text, script)).toBe(text);
  });

  test('each script loads once', async () => {
    const first = loadScriptConverter('simplified');
    expect(loadScriptConverter('simplified')).toBe(first);
    expect(await first).toBe(await loadScriptConverter('simplified'));
  });
});
