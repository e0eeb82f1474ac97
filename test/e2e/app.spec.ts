// The app as Electron runs it: its real built main and preload under the Electron stand-in
// (standin-app.ts), with the real local server and recognizer.
import { join } from 'node:path';
import { missingTools } from '../helpers/tools.ts';
import { SPEECH_TOOLS, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';

const skipReason = missingTools('App e2e', [CHROMIUM, ...SPEECH_TOOLS, 'pocketsphinx_continuous']);
test.skip(skipReason !== undefined, skipReason);

let app: StandInApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('Start → speaking indicator → transcript, through the real main and preload', async () => {
  const speech = speakSentences([SENTENCE], 2500, 1000);
  app = await launchStandInApp({ audioFile: speech.path });
  const page = await app.mainPage();
  // Only the bridge is exposed: no Node, no raw ipcRenderer.
  expect(
    await page.evaluate(() => Object.keys((globalThis as { tingxie?: object }).tingxie ?? {})),
  ).toEqual(['dictation', 'settings', 'history', 'app', 'on']);
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  );

  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('connection')).toHaveText('Connected', { timeout: 30_000 });
  await expect(page.getByTestId('speaking')).toHaveAttribute('data-speaking', 'true', {
    timeout: 30_000,
  });
  const transcript = page.getByTestId('transcript').first();
  await expect(transcript).toBeVisible({ timeout: 45_000 });
  const text = (await transcript.locator('.text').textContent()) ?? '';
  expect(wordErrorRate(SENTENCE, text), `heard “${text}”`).toBeLessThanOrEqual(0.2);
  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
  // Every frame reached main with its samples.
  const frames = app.reports.filter((r) => r.type === 'port-message');
  expect(frames.length).toBeGreaterThan(50);
  expect(frames.filter((f) => f.data !== 'object')).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'app-dictation.png') });
});
