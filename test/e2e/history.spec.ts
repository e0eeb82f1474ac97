// The History view as Electron runs it (the real built main and preload under the Electron
// stand-in, standin-app.ts), over a history file filled before the app starts and read back
// the way another process reads it: search (Chinese and English), export through the save
// dialog, retry of a failed turn's kept audio through the app's local server (pocketsphinx),
// copy to the X11 clipboard, insert again into an X11 window, a transcript dictated while the
// view is open, delete, delete all, keyboard, and a list of 100,000 entries that renders only
// the rows on screen.
import { parse as parseCsv } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { readWavAsPcm16 } from '../../src/core/audio/wav.ts';
import type { NewHistoryEntry } from '../../src/core/history/index.ts';
import type { DictationStatus } from '../../src/shared/ipc.ts';
import { SPEECH_TOOLS, speak, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { X11_TOOLS, startXterm, startXvfb } from '../helpers/x11.ts';
import { historyCount, historyEntry, newUserData, seedHistory } from './app-data.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';

const SENTENCE = 'the quick brown fox jumps over the lazy dog';
const RATE = 16000;
const MINUTE = 60_000;
/** An hour ago, to the minute: kept audio is kept for 30 days, from the entry's time. */
const T0 = Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE;

const skipReason = missingTools('History e2e', [
  CHROMIUM,
  ...SPEECH_TOOLS,
  'pocketsphinx_continuous',
]);
test.skip(skipReason !== undefined, skipReason);

let app: StandInApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

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

/** Clicks the export dialog's Export, and answers the save dialog main opens over the main
 * window with `path`. */
async function exportTo(a: StandInApp, page: Page, format: string, path: string): Promise<void> {
  const before = a.reports.length;
  await page.getByTestId('export-start').click();
  const dialog = await a.waitFor((r) => r.type === 'save-dialog' && a.reports.indexOf(r) >= before);
  expect(dialog).toMatchObject({
    window: a.window('Tingxie').id,
    filters: [{ name: format.toUpperCase(), extensions: [format] }],
  });
  expect(String(dialog.defaultPath)).toMatch(new RegExp(`tingxie-history\\.${format}$`));
  await a.command({ type: 'answer-save-dialog', id: Number(dialog.id), filePath: path });
}

test.describe('on an X11 desktop', () => {
  const x11Missing = missingTools('History e2e (clipboard, insert)', X11_TOOLS);
  test.skip(x11Missing !== undefined, x11Missing);

  test('History: search narrows the list, export parses back, retry transcribes, delete removes', async () => {
    const testInfo = test.info();
    const ARRIVING = 'The weather is nice today.';
    const userData = newUserData();
    // A failed turn whose audio was kept: the newest entry.
    const samples = await readWavAsPcm16(speak(SENTENCE), RATE);
    const { seededIds, failedId } = seedHistory(userData, (history) => {
      const seededIds = history.addMany(SEEDED);
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
      return { seededIds, failedId };
    });
    const x = await startXvfb();
    try {
      const term = await startXterm(x);
      // The microphone hears a sentence when hands-free dictation opens it, later.
      const speech = speakSentences([ARRIVING], 1000, 1000);
      app = await launchStandInApp({
        userData,
        audioFile: speech.path,
        env: { DISPLAY: x.display, LANG: 'en_US.UTF-8' },
      });
      const page = await app.mainPage();

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
      const csvPath = testInfo.outputPath('history-export.csv');
      await row(page, '会议纪要').getByTestId('history-select').check();
      await row(page, 'quarterly report').getByTestId('history-select').check();
      await expect(page.getByTestId('history-selected')).toHaveText(/2 selected/);
      await page.getByTestId('history-export').click();
      await page.getByTestId('export-format').selectOption('csv');
      await page.getByTestId('export-bom').check();
      await expect(page.getByTestId('export-selected')).toBeChecked();
      await page.screenshot({ path: join(SCREENSHOTS, 'history-export.png') });
      await exportTo(app, page, 'csv', csvPath);
      await expect(page.getByTestId('history-notice')).toContainText(
        `Exported 2 transcripts to ${csvPath}.`,
      );
      const csv = readFileSync(csvPath, 'utf8');
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const records = parseCsv(csv, { bom: true, columns: true }) as { text: string }[];
      expect(records.map((r) => r.text)).toEqual([SEEDED[1]!.text, SEEDED[2]!.text]);

      // Export the search result as JSON.
      const jsonPath = testInfo.outputPath('history-export.json');
      await page.getByTestId('history-search').fill('天气');
      await expect(rows(page)).toHaveCount(1);
      await page.getByTestId('history-export').click();
      await page.getByTestId('export-format').selectOption('json');
      await page.getByTestId('export-matching').check();
      await exportTo(app, page, 'json', jsonPath);
      await expect(page.getByTestId('history-notice')).toHaveText(
        `Exported 1 transcript to ${jsonPath}.`,
      );
      const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { entries: { text: string }[] };
      expect(json.entries.map((e) => e.text)).toEqual([SEEDED[0]!.text]);
      await page.getByTestId('history-search').fill('');
      await expect(rows(page)).toHaveCount(5);

      // Copy goes through main to the clipboard; insert again into the window the person
      // came from (an xterm, focused on the X display).
      await row(page, 'milk').getByTestId('history-copy').click();
      await expect(page.getByTestId('history-notice')).toHaveText('Copied to the clipboard.');
      expect(await x.run('xclip', ['-selection', 'clipboard', '-o'])).toBe(SEEDED[3]!.text);
      await term.focus();
      await row(page, 'milk').getByTestId('history-insert').click();
      await expect(page.getByTestId('history-notice')).toHaveText(
        'Inserted into the window you came from.',
      );
      await term.waitForText(SEEDED[3]!.text);

      // Retry: the kept audio goes through the local server (pocketsphinx) and the entry then
      // shows the transcript.
      const failed = rows(page).first();
      await expect(failed.getByTestId('history-failed')).toBeVisible();
      await failed.getByTestId('history-retry').click();
      await expect(failed.getByTestId('history-failed')).toHaveCount(0, { timeout: 45_000 });
      const heard = (await failed.getByTestId('history-text').textContent())?.trim() ?? '';
      expect(wordErrorRate(SENTENCE, heard), `heard “${heard}”`).toBeLessThanOrEqual(0.2);
      expect(historyEntry(userData, failedId)).toMatchObject({ status: 'ok', text: heard });
      await page.screenshot({ path: join(SCREENSHOTS, 'history-retried.png') });

      // Delete asks first; Cancel keeps the entry, Delete removes it (and from the file).
      const milkId = seededIds[3]!;
      await row(page, 'milk').getByTestId('history-delete').click();
      await expect(page.getByTestId('confirm')).toBeVisible();
      await page.getByTestId('confirm-cancel').click();
      await expect(rows(page)).toHaveCount(5);
      await row(page, 'milk').getByTestId('history-delete').click();
      await page.getByTestId('confirm-ok').click();
      await expect(rows(page)).toHaveCount(4);
      await expect(row(page, 'milk')).toHaveCount(0);
      expect(historyEntry(userData, milkId)).toBeUndefined();

      // A transcript that arrives while the view is open shows up at the top: dictated from the
      // tray (hands-free, through the overlay), ended by the server's voice detection.
      expect(await app.command({ type: 'tray-click', label: 'Start dictation' })).toBe(true);
      const newest = rows(page).first().getByTestId('history-text');
      await expect
        .poll(async () => wordErrorRate(ARRIVING, (await newest.textContent()) ?? ''), {
          timeout: 45_000,
        })
        .toBeLessThanOrEqual(0.2);
      await expect(rows(page)).toHaveCount(5);
      const mark = app.reports.length;
      expect(await app.command({ type: 'tray-click', label: 'Stop dictation' })).toBe(true);
      await app.waitFor((r) => {
        const event = r.type === 'sent' && (r.args as { name: string; payload: unknown }[])[0];
        const status = event && event.name === 'dictation' && (event.payload as DictationStatus);
        return app!.reports.indexOf(r) >= mark && !!status && status.state === 'idle';
      }, 45_000);

      // Delete all, confirmed.
      await page.getByTestId('history-delete-all').click();
      await page.getByTestId('confirm-ok').click();
      await expect(rows(page)).toHaveCount(0);
      await expect(page.getByText('Your transcripts are kept here.')).toBeVisible();
      expect(historyCount(userData)).toBe(0);
      await expect(page.getByTestId('history-problem')).toHaveCount(0);
      await term.stop();
    } finally {
      await app?.close();
      app = undefined;
      await x.stop();
    }
  });
});

test('History in Chinese, by keyboard: arrows move, Space selects, Delete asks', async () => {
  const userData = newUserData();
  seedHistory(userData, (history) => history.addMany(SEEDED));
  app = await launchStandInApp({ userData, env: { LANG: 'zh_CN.UTF-8' } });
  const page = await app.mainPage();
  // The OS's dark appearance.
  await page.emulateMedia({ colorScheme: 'dark' });
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

test('History of 100,000 entries: only a window of rows is rendered, at any scroll position', async () => {
  const N = 100_000;
  const userData = newUserData();
  seedHistory(userData, (history) =>
    history.addMany(
      Array.from({ length: N }, (_, i) => entry(`Entry number ${i} of the long history`, i - N)),
    ),
  );
  app = await launchStandInApp({ userData });
  const page = await app.mainPage();
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

test('Settings → History: a limit of 2 transcripts keeps the 2 newest', async () => {
  const userData = newUserData();
  seedHistory(userData, (history) => history.addMany(SEEDED));
  app = await launchStandInApp({ userData });
  const page = await app.mainPage();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-section-history').click();
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
  expect(historyCount(userData)).toBe(2);

  await page.getByTestId('nav-history').click();
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toContainText(SEEDED[3]!.text);
  await expect(rows(page).last()).toContainText(SEEDED[2]!.text);
});
