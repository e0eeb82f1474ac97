// The first run's guided setup as Electron runs it (the real built main and preload under the
// Electron stand-in, standin-app.ts), from a data folder with no settings, as a new install:
// - cloud: a "custom" provider pointing at a real server on 127.0.0.1 that wants a key (the
//   app's own local server with pocketsphinx, standing in for a cloud one), the key pasted,
//   Test connection, then the microphone check: festival's speech as the fake microphone, the
//   level meter, and the test dictation's transcript in the box; the hotkey, pressed; Finish.
// - offline: the tiny SenseVoice-shaped model (test/helpers/sense-voice-graph.ts) downloaded
//   from a mirror on 127.0.0.1 (the catalog from TINGXIE_MODELS_CATALOG) with its progress,
//   then its two tones as the fake microphone decode to 听写 in the box.
// After a restart the setup is not shown again; Skip ends it at once, and Settings → "Set up
// again" brings it back. Screenshots of the states along the way (a key tested, a download, a
// transcript heard, the hotkey working), light and dark; settings-sections.spec.ts takes every
// step's in both languages.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { CATALOG_ENV } from '../../src/core/models/index.ts';
import { startLocalServer } from '../../src/server/index.ts';
import { EXPECTED_TEXT } from '../helpers/sense-voice-graph.ts';
import { SPEECH_TOOLS, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { newUserData, readSettingsFile, writeSettings } from './app-data.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';
import { buildTinyModel, TINY_MODEL_ID, TINY_MODEL_REPO, TINY_MODEL_TITLE } from './tiny-model.ts';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';
const KEY = 'sk-onboarding-e2e';
const HOTKEY = 'CommandOrControl+Shift+Space';
/** The local server starts with the first connection; a model loads with the first turn. */
const SLOW = { timeout: 45_000 };

const skipReason = missingTools('Onboarding e2e', [
  CHROMIUM,
  ...SPEECH_TOOLS,
  'pocketsphinx_continuous',
]);
test.skip(skipReason !== undefined, skipReason);

// ---------------------------------------------------------------------------------------------
// The offline path's model, its catalog, a mirror serving it, and its tones.

const MODEL_ID = TINY_MODEL_ID;
const MODEL_TITLE = TINY_MODEL_TITLE;
const REPO = TINY_MODEL_REPO;
const work = mkdtempSync(join(tmpdir(), 'tingxie-e2e-onboarding-'));
const {
  files: FILES,
  catalog: CATALOG_FILE,
  tones: TONES,
} = buildTinyModel(work, { tailMs: 1500 });

/** Hugging Face's paths on 127.0.0.1 (<root>/<repo>/resolve/<revision>/<file>), 64 kB every
 * 30 ms, so that the download is seen under way. */
async function startMirror(): Promise<{ url: string; server: Server }> {
  const prefix = `/${REPO.repo}/resolve/${REPO.revision}/`;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const body = path.startsWith(prefix) ? FILES.get(path.slice(prefix.length)) : undefined;
    if (!body) {
      res.writeHead(404).end('Not found');
      return;
    }
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    res.writeHead(start ? 206 : 200, {
      'content-length': body.length - start,
      'accept-ranges': 'bytes',
      ...(start ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    void (async () => {
      for (let at = start; at < body.length && !res.destroyed; at += 64 * 1024) {
        await new Promise((resolve) => res.write(body.subarray(at, at + 64 * 1024), resolve));
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      res.end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

// ---------------------------------------------------------------------------------------------

let app: StandInApp | undefined;
const cleanups: (() => Promise<unknown>)[] = [];
test.afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Screenshots of the page as it is, light and dark. */
async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-dark.png`) });
  await page.emulateMedia({ colorScheme: 'light' });
}

const step = (page: Page) => page.getByTestId('onboarding');

test('Cloud: a key, Test connection, the microphone check with a test dictation, the hotkey; not shown again', async () => {
  const cloud = await startLocalServer({ engine: 'pocketsphinx', token: KEY });
  cleanups.push(() => cloud.close());
  const speech = speakSentences([SENTENCE], 2500, 1000);
  const userData = newUserData();
  app = await launchStandInApp({
    userData,
    firstRun: true,
    audioFile: speech.path,
    env: { LANG: 'en_US.UTF-8', DISPLAY: '' },
  });
  const page = await app.mainPage();

  // A new install: the setup, not the Dictation view; its heading has the focus.
  await expect(step(page)).toHaveAttribute('data-step', 'welcome');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Welcome to Tingxie');
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByTestId('nav-dictation')).toHaveCount(0);

  // By keyboard: Tab reaches the first choice, Enter takes it.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('onboarding-cloud')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(step(page)).toHaveAttribute('data-step', 'cloud');
  await expect(page.getByTestId('provider')).toHaveValue('openai');
  await expect(page.locator('#provider option[value="local"]')).toHaveCount(0);

  // Continue waits for a connection that works.
  const next = page.getByTestId('onboarding-continue');
  await expect(next).toHaveAttribute('aria-disabled', 'true');
  await expect(next).toHaveAccessibleDescription('Test the connection first.');
  await page.getByTestId('provider').selectOption('custom');
  await page.getByTestId('url').fill(cloud.url);
  await page.getByTestId('api-key').fill('a-wrong-key');
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('test-result')).toHaveAttribute('data-reason', 'unauthorized');
  // A button that cannot act keeps the focus and says why (aria-disabled), as the keyboard finds it.
  await next.press('Enter');
  await expect(step(page)).toHaveAttribute('data-step', 'cloud');
  await expect(next).toHaveAccessibleDescription(/The connection has to work before you go on/);

  await page.getByTestId('api-key').fill(KEY);
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('test-result')).toHaveAttribute('data-reason', 'ok', SLOW);
  await expect(next).toHaveAttribute('aria-disabled', 'false');
  await shoot(page, 'onboarding-cloud-tested-en');
  await next.click();

  // Saved: the provider, its address, and the key (encrypted, never in the file as typed).
  await expect(step(page)).toHaveAttribute('data-step', 'microphone');
  const stored = readSettingsFile(userData);
  expect(stored.settings).toMatchObject({
    server: { provider: 'custom', url: cloud.url },
    ui: { onboardingDone: false },
  });
  expect(stored.apiKeyCipher).toBeDefined();
  expect(JSON.stringify(stored)).not.toContain(KEY);

  // The test dictation: the level meter moves, and the sentence lands in the box.
  const meter = page.getByRole('meter');
  await page.getByTestId('mic-test-start').click();
  await expect(meter).not.toHaveAttribute('aria-valuenow', '0', SLOW);
  const box = page.getByTestId('mic-test-box');
  await expect(box).not.toHaveValue('', SLOW);
  const heard = await box.inputValue();
  expect(wordErrorRate(SENTENCE, heard), `heard “${heard}”`).toBeLessThanOrEqual(0.2);
  await page.getByTestId('mic-test-start').click();
  await expect(meter).toHaveAttribute('aria-valuenow', '0');
  await shoot(page, 'onboarding-microphone-heard-en');

  // The hotkey, as a person reads it; pressing it says that it works.
  await page.getByTestId('onboarding-continue').click();
  await expect(step(page)).toHaveAttribute('data-step', 'hotkey');
  await expect(page.getByTestId('onboarding-shortcut')).toHaveText('Ctrl+Shift+Space');
  await expect(page.getByTestId('onboarding-hotkey-status')).toHaveText(
    'Try it now: press Ctrl+Shift+Space.',
  );
  await app.handsFreeReady();
  expect(await app.pressShortcut(HOTKEY)).toBe(true);
  await expect(page.getByTestId('onboarding-hotkey-status')).toHaveAttribute('data-tried', 'true');
  expect(await app.pressShortcut(HOTKEY)).toBe(true);
  await shoot(page, 'onboarding-hotkey-works-en');

  await page.getByTestId('onboarding-finish').click();
  await expect(page.getByTestId('nav-dictation')).toHaveAttribute('aria-selected', 'true');
  await expect
    .poll(() => readSettingsFile(userData).settings)
    .toMatchObject({ ui: { onboardingDone: true } });

  // A restart opens on the Dictation view.
  await app.close();
  app = await launchStandInApp({ userData, env: { LANG: 'en_US.UTF-8' } });
  const again = await app.mainPage();
  await expect(again.locator('.shell')).toHaveAttribute('data-settings', 'loaded');
  await expect(again.getByTestId('onboarding')).toHaveCount(0);
  await expect(again.getByTestId('nav-dictation')).toHaveAttribute('aria-selected', 'true');
});

test('Offline: a model downloaded with its progress, then the tones decode to 听写 in the box', async () => {
  const mirror = await startMirror();
  cleanups.push(
    () => new Promise((resolve) => mirror.server.close(resolve)),
    async () => mirror.server.closeAllConnections(),
  );
  // The tones are no speech: the browser's noise suppression and a voice detector would drop
  // them, so they are off (as a person may have set them before finishing the setup).
  const userData = newUserData();
  writeSettings(userData, (s) => {
    s.ui.onboardingDone = false;
    s.server.vad.enabled = false;
    s.audio.echoCancellation = false;
    s.audio.noiseSuppression = false;
    s.audio.autoGainControl = false;
  });
  app = await launchStandInApp({
    userData,
    audioFile: TONES,
    env: { LANG: 'zh_CN.UTF-8', [CATALOG_ENV]: CATALOG_FILE },
  });
  const page = await app.mainPage();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('欢迎使用听写');

  await page.getByTestId('onboarding-offline').click();
  await expect(step(page)).toHaveAttribute('data-step', 'offline');
  const row = page.getByTestId(`model-${MODEL_ID}`);
  await expect(row).toHaveAttribute('data-state', 'absent');
  await expect(row).toContainText('推荐');
  await expect(page.getByTestId('onboarding-continue')).toHaveAttribute('aria-disabled', 'true');

  // The mirror on 127.0.0.1, under "Download source".
  await page.getByText('下载来源').click();
  await page.getByTestId('model-mirror').fill(mirror.url);
  await page.getByTestId('model-mirror').press('Enter');
  await expect(page.getByTestId('model-mirror-saved')).toBeVisible();

  await row.getByTestId('model-download').click();
  const progress = row.getByRole('progressbar');
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute('aria-valuetext', /MB/);
  await shoot(page, 'onboarding-offline-downloading-zh-CN');
  await expect(row).toHaveAttribute('data-state', 'installed', SLOW);
  const use = page.getByTestId('onboarding-continue');
  await expect(use).toHaveText(`使用 ${MODEL_TITLE['zh-CN']}`);
  await expect(use).toHaveAttribute('aria-disabled', 'false');
  await shoot(page, 'onboarding-offline-installed-zh-CN');
  await use.click();

  await expect(step(page)).toHaveAttribute('data-step', 'microphone');
  expect(readSettingsFile(userData).settings).toMatchObject({ server: { provider: 'local' } });
  await page.getByTestId('mic-test-start').click();
  await expect(page.getByRole('meter')).not.toHaveAttribute('aria-valuenow', '0', SLOW);
  // Once the tones have been captured (40 ms frames): Stop sends what is left.
  await expect.poll(() => app!.frames().length, SLOW).toBeGreaterThan(2600 / 40);
  await page.getByTestId('mic-test-start').click();
  await expect(page.getByTestId('mic-test-box')).toHaveValue(EXPECTED_TEXT.zh, SLOW);
  await shoot(page, 'onboarding-microphone-heard-zh-CN');

  await page.getByTestId('onboarding-continue').click();
  await expect(page.getByTestId('onboarding-hotkey-status')).toContainText('现在试试');
  await page.getByTestId('onboarding-finish').click();
  await expect(page.getByTestId('nav-dictation')).toHaveAttribute('aria-selected', 'true');
  await expect
    .poll(() => readSettingsFile(userData).settings)
    .toMatchObject({ ui: { onboardingDone: true } });
});

test('Skip ends the setup at once and for good; Settings → Set up again brings it back', async () => {
  const userData = newUserData();
  app = await launchStandInApp({ userData, firstRun: true, env: { LANG: 'en_US.UTF-8' } });
  const page = await app.mainPage();
  await page.getByTestId('onboarding-cloud').click();
  await page.getByTestId('api-key').fill('typed-but-skipped');
  await page.getByTestId('onboarding-skip').click();
  await expect(page.getByTestId('nav-dictation')).toHaveAttribute('aria-selected', 'true');
  await expect
    .poll(() => readSettingsFile(userData))
    .toMatchObject({ settings: { ui: { onboardingDone: true }, server: { provider: 'local' } } });
  // What the skipped step typed was not saved.
  expect(readSettingsFile(userData).apiKeyCipher).toBeUndefined();

  await page.getByTestId('nav-settings').click();
  // Not over unsaved edits, which the setup would save or lose.
  await page.getByTestId('vad').uncheck();
  await page.getByTestId('setup-again').press('Enter');
  await expect(page.getByTestId('onboarding')).toHaveCount(0);
  await expect(page.getByTestId('setup-again')).toHaveAccessibleDescription(
    'Save or revert your changes first.',
  );
  await page.getByRole('button', { name: 'Revert' }).click();
  await page.getByTestId('setup-again').click();
  await expect(step(page)).toHaveAttribute('data-step', 'welcome');
  await expect(page.getByTestId('onboarding-skip')).toHaveText('Close setup');
  await page.getByTestId('onboarding-skip').click();
  await expect(page.getByTestId('nav-dictation')).toHaveAttribute('aria-selected', 'true');

  await app.close();
  app = await launchStandInApp({ userData, env: { LANG: 'en_US.UTF-8' } });
  const again = await app.mainPage();
  await expect(again.locator('.shell')).toHaveAttribute('data-settings', 'loaded');
  await expect(again.getByTestId('onboarding')).toHaveCount(0);
});
