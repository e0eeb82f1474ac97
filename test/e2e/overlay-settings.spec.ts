// Settings → Hands-free dictation in Chromium, against the real main-side services: the hotkeys
// main refuses come back beside their field, the choices are stored, and what main found out
// about the key hook (no hook on Wayland) is shown with how to fix it.
import { join } from 'node:path';
import { missingTools } from '../helpers/tools.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';

const skipReason = missingTools('Hands-free settings e2e', [CHROMIUM]);
test.skip(skipReason !== undefined, skipReason);

test('a reserved hotkey is refused beside its field and nothing is stored', async ({
  launchApp,
}) => {
  const { page, stored } = await launchApp();
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('hands-free-settings');
  await expect(section).toBeVisible();

  await section.getByLabel('Shortcut').fill('Ctrl+C');
  await page.getByTestId('save').click();
  await expect(section.getByTestId('field-message').first()).toHaveText(
    /This shortcut cannot be used/,
  );
  expect(stored.settings).toBeUndefined();
});

test('the hands-free choices are stored', async ({ launchApp }) => {
  const { page, stored } = await launchApp();
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('hands-free-settings');
  await section.getByLabel('Shortcut').fill('Right Alt');
  await section.getByTestId('hands-free-mode').selectOption('toggle');
  await section.getByTestId('output-mode').selectOption('type');
  await section.getByLabel('Add a space after each transcript').check();
  await section.getByLabel('Play a sound when dictation starts and stops').check();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  expect(stored.settings).toMatchObject({
    shortcut: 'Right Alt',
    handsFree: { mode: 'toggle', output: 'type', trailingSpace: true, sounds: true },
  });
});

test('without a key hook, the section says why toggle mode is used and how to fix it', async ({
  launchApp,
}) => {
  const { page, bridge } = await launchApp({ locale: 'zh-CN' });
  await page.getByTestId('nav-settings').click();
  bridge.push({
    name: 'handsFree',
    payload: {
      mode: 'toggle',
      keyHook: false,
      fallback: {
        reason: 'This is a Wayland session.',
        fix: 'Log in to an X11 session for hold-to-talk.',
      },
      problems: [
        { action: 'dictate', message: 'Ctrl+Shift+Space is taken by another application.' },
      ],
    },
  });
  const fallback = page.getByTestId('hands-free-fallback');
  await expect(fallback).toContainText('已改用');
  await expect(fallback).toContainText('This is a Wayland session.');
  await expect(fallback).toContainText('Log in to an X11 session');
  await expect(page.getByTestId('hotkey-problem')).toContainText('taken by another application');
  await page.getByTestId('hands-free-settings').screenshot({
    path: join(SCREENSHOTS, 'hands-free-settings-zh.png'),
  });
});
