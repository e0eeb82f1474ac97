// The app as Electron runs it: its real built main and preload under the Electron stand-in
// (standin-app.ts), with the real local server and recognizer.
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingTools } from '../helpers/tools.ts';
import { X11_TOOLS, startXterm, startXvfb } from '../helpers/x11.ts';
import { SPEECH_TOOLS, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { expectOnlyTheBridge, expectTranscriptOf } from './dictation-steps.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { dictateHandsFree } from './hands-free-steps.ts';
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
  await expectOnlyTheBridge(page);

  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('connection')).toHaveText('Connected', { timeout: 30_000 });
  await expect(page.getByTestId('speaking')).toHaveAttribute('data-speaking', 'true', {
    timeout: 30_000,
  });
  await expectTranscriptOf(page, SENTENCE);
  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
  // Every frame reached main with its samples.
  const frames = app.reports.filter((r) => r.type === 'port-message');
  expect(frames.length).toBeGreaterThan(50);
  expect(frames.filter((f) => f.data !== 'object')).toEqual([]);
  await page.screenshot({ path: join(SCREENSHOTS, 'app-dictation.png') });
});

test('A dictation started the moment Tingxie is up (before the overlay has loaded) is not lost', async () => {
  app = await launchStandInApp();
  // The tray's Start, as soon as there is a tray: the overlay's page is still loading then.
  await expect
    .poll(() => app!.command({ type: 'tray-click', label: 'Start dictation' }), { intervals: [10] })
    .toBe(true);
  await app.waitFor(
    (r) =>
      r.type === 'sent' &&
      (r.args as { name: string; payload: { state?: string } }[])[0]?.payload.state === 'listening',
  );
  expect(app.stderr).not.toContain('did not answer');
});

test('Two dictations: each audio port is closed on both ends once its frames are in', async () => {
  const speech = speakSentences([SENTENCE], 1000, 1000);
  app = await launchStandInApp({ audioFile: speech.path });
  const page = await app.mainPage();
  const startStop = page.getByTestId('start-stop');
  for (let i = 0; i < 2; i++) {
    await startStop.click();
    await expect(page.getByTestId('connection')).toHaveText('Connected', { timeout: 30_000 });
    await expect
      .poll(() => app!.reports.filter((r) => r.type === 'port-message').length)
      .toBeGreaterThan(10 * (i + 1));
    await startStop.click();
    await expect(startStop).toHaveText(/Start dictation/);
  }
  const opened = app.reports.filter((r) => r.type === 'port-opened').map((r) => r.port);
  expect(opened).toHaveLength(2);
  await expect
    .poll(() => app!.reports.filter((r) => r.type === 'port-closed').map((r) => r.port))
    .toEqual(expect.arrayContaining(opened));
});

test('Quit disposes everything and exits 0; the history is closed', async () => {
  const speech = speakSentences([SENTENCE], 1000, 1000);
  app = await launchStandInApp({ audioFile: speech.path });
  const page = await app.mainPage();
  // The local server starts with the first dictation.
  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('connection')).toHaveText('Connected', { timeout: 30_000 });
  await page.getByTestId('start-stop').click();
  await expect(page.getByTestId('start-stop')).toHaveText(/Start dictation/);
  expect(app.stderr).toMatch(/Local realtime server listening on (ws:\/\/\S+)/);
  const url = /Local realtime server listening on (ws:\/\/\S+)/.exec(app.stderr)![1]!;

  await app.command({ type: 'tray-click', label: 'Quit Tingxie' });
  expect(await app.exited).toBe(0);
  // The local server no longer listens, and the history was closed (SQLite folds its
  // write-ahead log back into the file on a clean close).
  const port = Number(new URL(url).port);
  const refused = await new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(true));
  });
  expect(refused, 'the local server stopped').toBe(true);
  expect(existsSync(join(app.userData, 'history.sqlite'))).toBe(true);
  expect(existsSync(join(app.userData, 'history.sqlite-wal'))).toBe(false);
});

test('A second instance hands over to the first, which shows its window, and exits', async () => {
  app = await launchStandInApp();
  await app.mainPage();
  const focusedBefore = app.reports.filter((r) => r.type === 'window-focus').length;
  const second = await launchStandInApp({ userData: app.userData, waitForReady: false });
  expect(await second.exited).toBe(0);
  await app.waitFor((r) => r.type === 'window-focus' && app!.reports.indexOf(r) >= focusedBefore);
  expect(second.reports.some((r) => r.type === 'window')).toBe(false);
});

test('A page of another origin in our window is refused every call', async () => {
  app = await launchStandInApp();
  const page = await app.mainPage();
  const other = createServer((_req, res) => res.end('<!doctype html><title>other</title>'));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = other.address() as AddressInfo;
    // As if a navigation had got past the window's guard: the preload runs there too.
    await page.goto(`http://127.0.0.1:${port}/`);
    const answer = await page.evaluate(async () => {
      const bridge = (globalThis as { tingxie?: { settings: { get(): Promise<unknown> } } })
        .tingxie;
      try {
        await bridge!.settings.get();
        return 'answered';
      } catch (err) {
        return (err as Error).message;
      }
    });
    expect(answer).toContain('This window may not use Tingxie.');
    expect(app.stderr).toContain('IPC: refused a message from an untrusted sender');
  } finally {
    other.close();
  }
});

test('An error while starting says so and exits 1, instead of a half-started app', async () => {
  const userData = mkdtempSync(join(tmpdir(), 'tingxie-standin-'));
  // The settings cannot be read: a folder stands where their file goes.
  mkdirSync(join(userData, 'settings.json'));
  app = await launchStandInApp({ userData });
  expect(await app.exited).toBe(1);
  const box = app.reports.find((r) => r.type === 'error-box');
  expect(box?.title).toBe('Tingxie could not start');
  expect(app.stderr).toContain('Tingxie could not start');
});

test('Without a tray icon, closing the window quits', async () => {
  app = await launchStandInApp({ env: { ELECTRON_STANDIN_NO_TRAY: '1' } });
  await app.mainPage();
  const main = app.reports.find((r) => r.type === 'window' && r.title === 'Tingxie')!;
  await app.command({ type: 'close-window', id: Number(main.id) });
  expect(await app.exited).toBe(0);
});

test('With a tray icon, closing the window keeps Tingxie running and says so once', async () => {
  app = await launchStandInApp({ env: { LANG: 'en_US.UTF-8' } });
  await app.mainPage();
  const still = (r: { type: string; body?: unknown }) =>
    r.type === 'notification' && String(r.body).includes('still running');
  const closeMain = async () => {
    const main = app!.reports.findLast((r) => r.type === 'window' && r.title === 'Tingxie')!;
    await app!.command({ type: 'close-window', id: Number(main.id) });
    await app!.waitFor((r) => r.type === 'window-closed' && r.id === main.id);
  };
  await closeMain();
  await app.waitFor(still);
  // Back from the tray and closed again: not said twice.
  await app.command({ type: 'tray-click', label: 'Open history' });
  await expect
    .poll(() => app!.reports.filter((r) => r.type === 'window' && r.title === 'Tingxie').length)
    .toBe(2);
  await closeMain();
  await app.command({ type: 'quit' });
  expect(await app.exited).toBe(0);
  expect(app.reports.filter(still)).toHaveLength(1);
});

test.describe('hands-free, on an X11 desktop', () => {
  const x11Missing = missingTools('App hands-free e2e', X11_TOOLS);
  test.skip(x11Missing !== undefined, x11Missing);

  test('With the main window closed, the hotkey dictates through the overlay into the focused X11 window', async () => {
    const speech = speakSentences([SENTENCE], 2000, 300);
    const x = await startXvfb();
    try {
      const term = await startXterm(x);
      app = await launchStandInApp({
        audioFile: speech.path,
        env: { DISPLAY: x.display, LANG: 'en_US.UTF-8' },
      });
      await app.mainPage();
      // Hold the hotkey (Ctrl+Shift+Space, hold mode) while the sentence is captured.
      await dictateHandsFree(app, x, term, speech);

      const words = SENTENCE.toLowerCase()
        .replace(/[^a-z ]/g, '')
        .split(' ');
      await expect
        .poll(() => wordErrorRate(SENTENCE, term.received()), { timeout: 45_000 })
        .toBeLessThanOrEqual(0.2);
      expect(term.received().toLowerCase()).toContain(words.at(-1));
      // Nothing was refused on the way.
      expect(app.stderr).not.toContain('refused a message');
      await term.stop();
    } finally {
      await app?.close();
      app = undefined;
      await x.stop();
    }
  });
});
