// The main window as Electron runs it: the real built main and preload under the Electron
// stand-in (standin-app.ts), the page in Chromium, the app's own local server.
import { join } from 'node:path';
import { startLocalServer } from '../../src/server/index.ts';
import { Channel, type DictationStatus } from '../../src/shared/ipc.ts';
import { missingTools } from '../helpers/tools.ts';
import { SPEECH_TOOLS, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { newUserData, readSettingsFile } from './app-data.ts';
import { expectTranscriptOf } from './dictation-steps.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';
/** The app's local server starts with the first dictation or connection test. */
const SERVER_START = { timeout: 30_000 };

const skipReason = missingTools('Renderer e2e', [
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

/** The frame counts the main window's stop() calls gave main, in order. */
const framesSentAtStop = (a: StandInApp) =>
  a.invokes(Channel.dictationStop, a.window('Tingxie').webContents).map((args) => args[0]);

/** Waits until main has told the main window that its dictation ended (after every frame). */
const dictationEnded = (a: StandInApp) =>
  expect
    .poll(() =>
      a
        .events('dictation', a.window('Tingxie').webContents)
        .some((s) => (s as DictationStatus).state === 'idle'),
    )
    .toBe(true);

test('Start shows the speaking indicator, then the spoken sentence as a transcript', async () => {
  const speech = speakSentences([SENTENCE], 2500, 1000);
  app = await launchStandInApp({ audioFile: speech.path });
  const page = await app.mainPage();
  const logged: string[] = [];
  page.on('console', (m) => logged.push(m.text()));
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);

  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('connection')).toHaveText('Connected', SERVER_START);
  await expect(page.getByTestId('speaking')).toHaveAttribute('data-speaking', 'true');
  // The worklet reports the level a few times a second; frames never pass through the page.
  await expect(page.getByRole('meter')).not.toHaveAttribute('aria-valuenow', '0');
  await page.screenshot({ path: join(SCREENSHOTS, 'dictation-speaking.png') });

  const text = await expectTranscriptOf(page, SENTENCE);

  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
  await expect(page.getByRole('meter')).toHaveAttribute('aria-valuenow', '0');
  // Stop told main how many frames the worklet sent, and every one of them arrived.
  await dictationEnded(app);
  expect(framesSentAtStop(app)).toEqual([app.frames().length]);
  expect(app.frames().length).toBeGreaterThan(50);
  // Under the app's Content-Security-Policy the worklet compiled its filter (fir.wat).
  expect(logged).toContain('Capture: resampler wasm-simd');
  await page.screenshot({ path: join(SCREENSHOTS, 'dictation-transcript.png') });

  // The transcript was kept in the history, and the search finds it.
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await page.getByTestId('history-search').fill('lazy');
  await expect(page.getByTestId('history-item')).toContainText(text);
  await page.getByTestId('history-search').fill('elephant');
  await expect(page.getByTestId('history-item')).toHaveCount(0);
  await page.getByTestId('history-search').fill('');
  await page.screenshot({ path: join(SCREENSHOTS, 'history.png') });

  // No frame went missing on the way (the page would say so), and main's machine ran its course.
  const states = app.events('dictation', app.window('Tingxie').webContents) as DictationStatus[];
  expect(states.map((s) => s.state)).toEqual(['connecting', 'listening', 'finishing', 'idle']);
  await expect(page.getByTestId('problem')).toHaveCount(0);
});

test('Microphone unplugged mid-dictation: a clear message, and what was said is transcribed', async () => {
  const speech = speakSentences([SENTENCE], 3000, 1000);
  app = await launchStandInApp({
    audioFile: speech.path,
    initScripts: [join(import.meta.dirname, 'unplug-microphone.js')],
  });
  const page = await app.mainPage();
  // Push-to-talk: nothing is transcribed before the dictation ends, so the transcript below
  // comes from the audio captured before the device went away.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('vad').uncheck();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  await page.getByTestId('nav-dictation').click();

  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('connection')).toHaveText('Connected', SERVER_START);
  // Once the sentence has been captured (40 ms frames) and a little more: unplug.
  const spokenFrames = Math.ceil((speech.spans[0]!.endMs + 500) / 40);
  await expect.poll(() => app!.frames().length, { timeout: 30_000 }).toBeGreaterThan(spokenFrames);
  await page.evaluate(() =>
    (globalThis as unknown as { unplugMicrophone(): void }).unplugMicrophone(),
  );
  await expect(page.getByTestId('problem')).toContainText('The microphone was disconnected');
  const transcript = page.getByTestId('transcript').first();
  await expect(transcript).toBeVisible({ timeout: 45_000 });
  const text = (await transcript.locator('.text').textContent()) ?? '';
  expect(wordErrorRate(SENTENCE, text), `heard “${text}”`).toBeLessThanOrEqual(0.2);
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
  await page.screenshot({ path: join(SCREENSHOTS, 'dictation-device-lost.png') });
});

test('While the window is hidden the level meter rests, and every frame still reaches main', async () => {
  const second = 'Please call me back when you get home.';
  const speech = speakSentences([SENTENCE, second], 3000, 1500);
  app = await launchStandInApp({
    audioFile: speech.path,
    // The stand-in's windows are not native ones: the page is hidden as the OS hides a
    // minimized window's.
    initScripts: [join(import.meta.dirname, 'page-visibility.js')],
  });
  const page = await app.mainPage();
  type Visibility = { setPageHidden(hidden: boolean): void; meterWhileHidden: string[] };
  const setHidden = (hidden: boolean) =>
    page.evaluate((h) => (globalThis as unknown as Visibility).setPageHidden(h), hidden);
  // Minimized, as when one dictates into another app's window.
  await setHidden(true);
  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('connection')).toHaveText('Connected', SERVER_START);
  const firstFrames = Math.ceil((speech.spans[0]!.endMs + 300) / 40);
  await expect.poll(() => app!.frames().length, { timeout: 30_000 }).toBeGreaterThan(firstFrames);
  // The first sentence was captured with the page hidden: the meter never moved.
  const meter = page.getByRole('meter');
  await expect(meter).toHaveAttribute('aria-valuenow', '0');
  expect(await page.evaluate(() => (globalThis as unknown as Visibility).meterWhileHidden)).toEqual(
    [],
  );

  // Shown again: the level comes back for the second sentence.
  await setHidden(false);
  await expect(meter).not.toHaveAttribute('aria-valuenow', '0', { timeout: 15_000 });
  const transcripts = page.getByTestId('transcript');
  await expect(transcripts).toHaveCount(2, { timeout: 45_000 });
  // Newest first. The word error rate is over both sentences together.
  const [later, first] = await transcripts.locator('.text').allTextContents();
  const heard = `${first} ${later}`;
  expect(wordErrorRate(`${SENTENCE} ${second}`, heard), `heard “${heard}”`).toBeLessThanOrEqual(
    0.2,
  );
  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
  await dictationEnded(app);
  expect(framesSentAtStop(app)).toEqual([app.frames().length]);
});

test('Settings show a validation message beside the field and block saving', async () => {
  app = await launchStandInApp();
  const page = await app.mainPage();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('provider').selectOption('custom');
  const url = page.getByTestId('url');
  await url.fill('http://example.com/v1/realtime');
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#url-msg')).toHaveText('Use a ws:// or wss:// address.');
  await page.getByTestId('server-advanced').click();
  await page.getByTestId('threshold').fill('3');
  await expect(page.locator('#threshold-msg')).toHaveText('Between 0 and 1.');
  await expect(page.getByTestId('save')).toHaveAttribute('aria-disabled', 'true');
  await page.screenshot({ path: join(SCREENSHOTS, 'settings-validation.png'), fullPage: true });

  await url.fill('ws://127.0.0.1:8000/v1/realtime');
  await page.getByTestId('threshold').fill('0.6');
  await expect(page.locator('#url-msg')).toHaveText('');
  await page.getByTestId('api-key').fill('sk-e2e-secret');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  // The settings file main wrote.
  const stored = readSettingsFile(app.userData);
  expect(stored.settings).toMatchObject({
    server: { provider: 'custom', url: 'ws://127.0.0.1:8000/v1/realtime', vad: { threshold: 0.6 } },
  });
  // The key is stored encrypted and never comes back to the page.
  expect(stored.apiKeyCipher).toBeDefined();
  expect(JSON.stringify(stored)).not.toContain('sk-e2e-secret');
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('api-key')).toHaveValue('');
  await expect(page.getByTestId('api-key')).toHaveAttribute('placeholder', /•+/);
  expect(await page.content()).not.toContain('sk-e2e-secret');
});

test.describe('Test connection', () => {
  test('succeeds against the local server', async () => {
    app = await launchStandInApp();
    const page = await app.mainPage();
    // The OS's dark appearance.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('test-connection').click();
    await expect(page.getByTestId('test-result')).toHaveAttribute(
      'data-reason',
      'ok',
      SERVER_START,
    );
    await expect(page.getByTestId('test-result')).toContainText('Connected and configured');
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-test-ok-dark.png'), fullPage: true });
    await page.getByTestId('nav-dictation').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'dictation-dark.png') });
  });

  test('says the key is wrong when the server refuses it', async () => {
    const guarded = await startLocalServer({ engine: 'pocketsphinx', token: 'the-right-token' });
    try {
      app = await launchStandInApp();
      const page = await app.mainPage();
      await page.getByTestId('nav-settings').click();
      await page.getByTestId('provider').selectOption('custom');
      await page.getByTestId('url').fill(guarded.url);
      await page.getByTestId('api-key').fill('a-wrong-token');
      await page.getByTestId('test-connection').click();
      const result = page.getByTestId('test-result');
      await expect(result).toHaveAttribute('data-reason', 'unauthorized');
      await expect(result).toContainText('The server rejected the API key.');
      await expect(result).not.toContainText('a-wrong-token');
      await page.screenshot({
        path: join(SCREENSHOTS, 'settings-test-wrong-key.png'),
        fullPage: true,
      });
    } finally {
      await guarded.close();
    }
  });

  test('says the server is unreachable', async () => {
    app = await launchStandInApp();
    const page = await app.mainPage();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('provider').selectOption('custom');
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    await page.getByTestId('url').fill('ws://127.0.0.1:1/v1/realtime');
    await page.getByTestId('test-connection').click();
    const result = page.getByTestId('test-result');
    await expect(result).toHaveAttribute('data-reason', 'unreachable');
    await expect(result).toContainText('The server could not be reached.');
  });
});

test('Permission denied: a clear message, and the dictation ends', async () => {
  app = await launchStandInApp({ microphone: 'deny' });
  const page = await app.mainPage();
  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('problem')).toContainText('Microphone access was denied');
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
  await page.screenshot({ path: join(SCREENSHOTS, 'dictation-permission-denied.png') });
});

test('The language follows the OS and can be switched', async () => {
  const userData = newUserData();
  app = await launchStandInApp({ userData, env: { LANG: 'zh_CN.UTF-8' } });
  const page = await app.mainPage();
  await expect(page.getByTestId('nav-dictation')).toContainText('听写');
  await expect(page.getByTestId('start-stop')).toHaveText(/开始听写/);
  await page.screenshot({ path: join(SCREENSHOTS, 'dictation-zh-CN.png') });

  await page.getByTestId('locale').selectOption('en');
  await expect(page.getByTestId('nav-settings')).toContainText('Settings');
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
  await expect
    .poll(() => readSettingsFile(userData).settings)
    .toMatchObject({ ui: { locale: 'en' } });

  await page.getByTestId('locale').selectOption('zh-CN');
  await page.getByTestId('nav-settings').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('设置');
  await page.screenshot({ path: join(SCREENSHOTS, 'settings-zh-CN.png'), fullPage: true });
  await page.getByTestId('nav-history').click();
  await page.screenshot({ path: join(SCREENSHOTS, 'history-zh-CN.png') });
});

test('The Dictation view names the hotkey as a person reads it, not in Electron’s syntax', async () => {
  app = await launchStandInApp();
  const page = await app.mainPage();
  // The default, CommandOrControl+Shift+Space, on Linux.
  await expect(page.getByText(/anywhere to start or stop/)).toHaveText(
    'Press Ctrl+Shift+Space anywhere to start or stop.',
  );
});

test('Keyboard: arrows move between views, Tab reaches Start, Enter starts', async () => {
  const speech = speakSentences([SENTENCE], 2500, 1000);
  app = await launchStandInApp({ audioFile: speech.path });
  const page = await app.mainPage();
  await page.getByTestId('nav-dictation').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('nav-history')).toBeFocused();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('History');
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('nav-dictation')).toBeFocused();
  await expect(page.getByTestId('nav-dictation')).toHaveAttribute('aria-selected', 'true');

  // Tab order: the tab list, the language switch, then the view.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('locale')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('start-stop')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('connection')).toHaveText('Connected', SERVER_START);
  await expect(page.getByTestId('start-stop')).toHaveText(/Stop/);
  await expect(page.getByTestId('start-stop')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
});
