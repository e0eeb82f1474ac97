// The History view in Chromium, against a real history store and the real local server:
// search (Chinese and English), export through the (stand-in) save dialog, retry of a failed
// turn's kept audio through pocketsphinx, copy, insert again, delete, delete all, keyboard, and
// a list of 100,000 entries that renders only the rows on screen.
import { parse as parseCsv } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import type { NewHistoryEntry } from '../../src/core/history/index.ts';
import { SPEECH_TOOLS, speak, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';

const SENTENCE = 'the quick brown fox jumps over the lazy dog';
const RATE = 16000;
const T0 = Date.UTC(2026, 10, 20, 9, 0, 0);
const MINUTE = 60_000;

const skipReason = missingTools('History e2e', [
  CHROMIUM,
  ...SPEECH_TOOLS,
  'pocketsphinx_continuous',
]);
test.skip(skipReason !== undefined, skipReason);

const entry = (text: string, minutes: number): NewHistoryEntry => ({
  text,
  createdAt: T0 + minutes * MINUTE,
  audioStartMs: 0,
  audioEndMs: 1500 + text.length * 40,
  provider: 'local',
  model: 'pocketsphinx',
  language: 'auto',
});

const SEEDED = [
  entry('今天天气很好，我们去公园散步吧。', 0),
  entry('请把会议纪要发给我，谢谢 🙏', 1),
  entry('Send the quarterly report to Alice, "by Friday".', 2),
  entry('Remember to buy milk and eggs', 3),
];

const rows = (page: Page) => page.getByTestId('history-item');
const row = (page: Page, text: string | RegExp) => rows(page).filter({ hasText: text });

test('History: search narrows the list, export parses back, retry transcribes, delete removes', async ({
  launchApp,
}, testInfo) => {
  const exportPath = testInfo.outputPath('history-export');
  const app = await launchApp({ exportPath });
  const { page, history } = app;
  history.addMany(SEEDED);
  // A failed turn whose audio was kept: the newest entry.
  const samples = await readWavAsPcm16(speak(SENTENCE), RATE);
  const failedId = history.add(
    {
      ...entry('', 4),
      status: 'failed',
      failureReason: 'The server closed the connection.',
      audioEndMs: Math.round((samples.length * 1000) / RATE),
    },
    { samples, sampleRate: RATE },
  );
  expect(history.get(failedId)!.audioPath).not.toBeNull();

  await page.getByTestId('nav-history').click();
  await expect(rows(page)).toHaveCount(5);
  await expect(page.getByTestId('history-total')).toHaveText('5 transcripts');
  // Newest first: the failed turn, then the English, then the Chinese.
  await expect(rows(page).first()).toContainText('The server closed the connection.');
  await expect(rows(page).last()).toContainText('今天天气很好');
  await page.screenshot({ path: join(SCREENSHOTS, 'history-list.png') });

  // Search as you type: a Chinese substring, then an English word.
  const search = page.getByTestId('history-search');
  await search.fill('会议');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('请把会议纪要发给我');
  await search.fill('milk');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText('Remember to buy milk and eggs');
  await search.fill('elephant');
  await expect(rows(page)).toHaveCount(0);
  await expect(page.getByText('Nothing matches “elephant”.')).toBeVisible();
  await search.fill('');
  await expect(rows(page)).toHaveCount(5);

  // Status filter: only the failed turn.
  await page.getByTestId('history-status').selectOption('failed');
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('history-status').selectOption('all');
  await expect(rows(page)).toHaveCount(5);

  // Export a selection as CSV with Excel's byte order mark: it parses back with a CSV parser.
  await row(page, '会议纪要').getByTestId('history-select').check();
  await row(page, 'quarterly report').getByTestId('history-select').check();
  await expect(page.getByTestId('history-selected')).toHaveText(/2 selected/);
  await page.getByTestId('history-export').click();
  await page.getByTestId('export-format').selectOption('csv');
  await page.getByTestId('export-bom').check();
  await expect(page.getByTestId('export-selected')).toBeChecked();
  await page.screenshot({ path: join(SCREENSHOTS, 'history-export.png') });
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('history-notice')).toContainText(
    `Exported 2 transcripts to ${exportPath}.`,
  );
  const csv = readFileSync(exportPath, 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const records = parseCsv(csv, { bom: true, columns: true }) as { text: string }[];
  expect(records.map((r) => r.text)).toEqual([SEEDED[1]!.text, SEEDED[2]!.text]);

  // Export the search result as JSON.
  await page.getByTestId('history-search').fill('天气');
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('history-export').click();
  await page.getByTestId('export-format').selectOption('json');
  await page.getByTestId('export-matching').check();
  await page.getByTestId('export-start').click();
  await expect(page.getByTestId('history-notice')).toHaveText(
    `Exported 1 transcript to ${exportPath}.`,
  );
  const json = JSON.parse(readFileSync(exportPath, 'utf8')) as { entries: { text: string }[] };
  expect(json.entries.map((e) => e.text)).toEqual([SEEDED[0]!.text]);
  await page.getByTestId('history-search').fill('');
  await expect(rows(page)).toHaveCount(5);

  // Copy and insert again go through main.
  await row(page, 'milk').getByTestId('history-copy').click();
  await expect(page.getByTestId('history-notice')).toHaveText('Copied to the clipboard.');
  await row(page, 'milk').getByTestId('history-insert').click();
  await expect(page.getByTestId('history-notice')).toHaveText(
    'Inserted into the window you came from.',
  );
  expect(app.copied).toEqual([SEEDED[3]!.text]);
  expect(app.inserted).toEqual([SEEDED[3]!.text]);

  // Retry: the kept audio goes through the local server (pocketsphinx) and the entry then
  // shows the transcript.
  const failed = rows(page).first();
  await expect(failed.getByTestId('history-failed')).toBeVisible();
  await failed.getByTestId('history-retry').click();
  await expect(failed.getByTestId('history-failed')).toHaveCount(0, { timeout: 45_000 });
  const heard = (await failed.getByTestId('history-text').textContent())?.trim() ?? '';
  expect(wordErrorRate(SENTENCE, heard), `heard “${heard}”`).toBeLessThanOrEqual(0.2);
  expect(history.get(failedId)).toMatchObject({ status: 'ok', text: heard });
  await page.screenshot({ path: join(SCREENSHOTS, 'history-retried.png') });

  // Delete asks first; Cancel keeps the entry, Delete removes it (and from the store).
  const milkId = history.search('milk')[0]!.id;
  await row(page, 'milk').getByTestId('history-delete').click();
  await expect(page.getByTestId('confirm')).toBeVisible();
  await page.getByTestId('confirm-cancel').click();
  await expect(rows(page)).toHaveCount(5);
  await row(page, 'milk').getByTestId('history-delete').click();
  await page.getByTestId('confirm-ok').click();
  await expect(rows(page)).toHaveCount(4);
  await expect(row(page, 'milk')).toHaveCount(0);
  expect(history.get(milkId)).toBeUndefined();

  // A transcript that arrives while the view is open shows up at the top.
  history.add(entry('A brand new transcript', 10));
  await expect(rows(page).first()).toContainText('A brand new transcript');
  await expect(rows(page)).toHaveCount(5);

  // Delete all, confirmed.
  await page.getByTestId('history-delete-all').click();
  await page.getByTestId('confirm-ok').click();
  await expect(rows(page)).toHaveCount(0);
  await expect(page.getByText('Your transcripts are kept here.')).toBeVisible();
  expect(history.count()).toBe(0);
  await expect(page.getByTestId('history-problem')).toHaveCount(0);
});

test('History in Chinese, by keyboard: arrows move, Space selects, Delete asks', async ({
  launchApp,
}) => {
  const { page, history } = await launchApp({ locale: 'zh-CN', colorScheme: 'dark' });
  history.addMany(SEEDED);
  await page.getByTestId('nav-history').click();
  await expect(rows(page)).toHaveCount(4);
  await expect(page.getByTestId('history-total')).toHaveText('4 条转写');

  await rows(page).first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(rows(page).nth(1)).toBeFocused();
  await page.keyboard.press('Space');
  await expect(rows(page).nth(1).getByTestId('history-select')).toBeChecked();
  await expect(page.getByTestId('history-selected')).toContainText('已选 1 条');
  await page.keyboard.press('End');
  await expect(rows(page).last()).toBeFocused();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('confirm')).toContainText('删除这条转写');
  await page.screenshot({ path: join(SCREENSHOTS, 'history-zh-dark-confirm.png') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('confirm')).toBeHidden();
  await expect(rows(page)).toHaveCount(4);
  await page.screenshot({ path: join(SCREENSHOTS, 'history-zh-dark.png') });
});

test('History of 100,000 entries: only a window of rows is rendered, at any scroll position', async ({
  launchApp,
}) => {
  const N = 100_000;
  const { page, history } = await launchApp();
  history.addMany(
    Array.from({ length: N }, (_, i) => entry(`Entry number ${i} of the long history`, i)),
  );
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-total')).toHaveText(`${N} transcripts`);
  await expect(rows(page).first()).toContainText(`Entry number ${N - 1} `);
  const list = page.getByTestId('history-list');
  const rendered = () => rows(page).count();
  expect(await rendered()).toBeLessThan(40);

  // Jump to the middle and to the end: the rows there load, and still only a window exists.
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(row(page, /Entry number 5\d{4} /).first()).toBeVisible();
  expect(await rendered()).toBeLessThan(40);
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(row(page, 'Entry number 0 ')).toBeVisible();
  expect(await rendered()).toBeLessThan(40);

  // Scrolling 700 px a frame (10 rows leave, 10 arrive) through 42,000 px, against the same
  // page's frames standing still: the list's work must fit in a frame or so.
  const frameTimes = (step: number) =>
    list.evaluate(async (el, px) => {
      // This runs in the page; the test's own types know no DOM.
      const nextFrame = (globalThis as unknown as { requestAnimationFrame(f: () => void): void })
        .requestAnimationFrame;
      el.scrollTop = 0;
      const times: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 60; i++) {
        el.scrollTop += px;
        await new Promise<void>((resolve) => nextFrame(resolve));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times.sort((a, b) => a - b)[30]!;
    }, step);
  const still = await frameTimes(0);
  const scrolling = await frameTimes(700);
  test.info().annotations.push({
    type: 'median frame (ms)',
    description: `standing still ${still.toFixed(1)}, scrolling ${scrolling.toFixed(1)}`,
  });
  expect(scrolling, 'median frame time while scrolling').toBeLessThan(still + 34);
  await expect(page.getByTestId('history-loading')).toHaveCount(0);
  expect(await rendered()).toBeLessThan(40);

  // A search over all of them is as quick to show.
  await page.getByTestId('history-search').fill('99999');
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId('history-search').fill('');
  await expect(page.getByTestId('history-total')).toHaveText(`${N} transcripts`);
  await page.screenshot({ path: join(SCREENSHOTS, 'history-100k.png') });
});

test('Settings → History: a limit of 2 transcripts keeps the 2 newest', async ({ launchApp }) => {
  const { page, history } = await launchApp();
  history.addMany(SEEDED);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('keep-audio')).toHaveValue('failed');
  await page.getByTestId('max-count').fill('-1');
  await expect(page.locator('#max-count-msg')).toHaveText('Between 0 and 10000000.');
  await page.getByTestId('max-count').fill('2');
  await page.getByTestId('keep-audio').selectOption('all');
  await page.getByTestId('history-settings').screenshot({
    path: join(SCREENSHOTS, 'history-settings.png'),
  });
  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  expect(history.count()).toBe(2);

  await page.getByTestId('nav-history').click();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toContainText(SEEDED[3]!.text);
  await expect(rows(page).last()).toContainText(SEEDED[2]!.text);
});
