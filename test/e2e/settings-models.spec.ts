// Settings → Server with OpenAI's transcription models: the preset's list with the recommended
// model chosen, and each model's own options shown only for it, saved where main keeps them.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { newUserData, readSettingsFile } from './app-data.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';
import { missingTools } from '../helpers/tools.ts';

const skipReason = missingTools('Settings e2e', [CHROMIUM]);
test.skip(skipReason !== undefined, skipReason);

let app: StandInApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The model field may sit under Advanced: open it when it does. */
async function showModel(page: Page): Promise<void> {
  if (!(await page.getByTestId('model').isVisible()))
    await page.getByTestId('server-advanced').click();
  await expect(page.getByTestId('model')).toBeVisible();
}

test('OpenAI: the recommended model first, and only the options each model takes', async () => {
  const userData = newUserData();
  app = await launchStandInApp({ userData });
  const page = await app.mainPage();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('provider').selectOption('openai');
  await showModel(page);

  const model = page.getByTestId('model');
  await expect(model).toHaveValue('gpt-live-transcribe');
  await expect(model.locator('option')).toHaveText([
    /^gpt-live-transcribe — recommended/,
    /^gpt-realtime-whisper/,
    /^gpt-transcribe/,
    /^gpt-4o-transcribe/,
    /^gpt-4o-mini-transcribe/,
    /^whisper-1/,
  ]);
  // gpt-live-transcribe: no voice detection (said), a text delay, nothing else
  await expect(page.getByTestId('model-commits-turns')).toContainText('one turn');
  await expect(page.getByTestId('delay')).toBeVisible();
  await expect(page.getByTestId('vad-type')).toHaveCount(0);
  await expect(page.getByTestId('noise-reduction')).toHaveCount(0);

  // gpt-4o-transcribe: semantic voice detection and noise reduction, no delay
  await model.selectOption('gpt-4o-transcribe');
  await expect(page.getByTestId('model-commits-turns')).toHaveCount(0);
  await expect(page.getByTestId('delay')).toHaveCount(0);
  await expect(page.getByTestId('eagerness')).toHaveCount(0);
  await page.getByTestId('vad-type').selectOption('semantic_vad');
  await page.getByTestId('eagerness').selectOption('high');
  await page.getByTestId('noise-reduction').selectOption('far_field');
  await page.screenshot({ path: join(SCREENSHOTS, 'settings-openai-models.png'), fullPage: true });
  // voice detection off: nothing about how a turn ends
  await page.getByTestId('vad').uncheck();
  await expect(page.getByTestId('vad-type')).toHaveCount(0);
  await page.getByTestId('vad').check();

  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  expect(readSettingsFile(userData).settings).toMatchObject({
    server: {
      provider: 'openai',
      model: 'gpt-4o-transcribe',
      vad: { enabled: true, type: 'semantic_vad', eagerness: 'high' },
      noiseReduction: 'far_field',
      delay: 'default',
    },
  });

  // gpt-realtime-whisper: the delay again, and no voice detection
  await model.selectOption('gpt-realtime-whisper');
  await expect(page.getByTestId('vad-type')).toHaveCount(0);
  await expect(page.getByTestId('model-commits-turns')).toBeVisible();
  await page.getByTestId('delay').selectOption('minimal');
  await page.getByTestId('save').click();
  await expect
    .poll(() => readSettingsFile(userData).settings)
    .toMatchObject({ server: { model: 'gpt-realtime-whisper', delay: 'minimal' } });
});

test('another provider: a free model name, the preset’s suggested', async () => {
  app = await launchStandInApp();
  const page = await app.mainPage();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('provider').selectOption('speaches');
  await showModel(page);
  const model = page.getByTestId('model');
  await expect(model).toHaveValue('Systran/faster-distil-whisper-small.en');
  await model.fill('Systran/faster-whisper-large-v3');
  await expect(model).toHaveValue('Systran/faster-whisper-large-v3');
  await expect(page.locator('#model-suggestions option')).toHaveCount(1);
  await expect(page.getByTestId('model-options')).toHaveCount(0);
});
