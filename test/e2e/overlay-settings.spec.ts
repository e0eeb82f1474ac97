// Settings → Hands-free dictation as Electron runs it (the real built main and preload under the
// Electron stand-in, standin-app.ts): the hotkeys main refuses come back beside their field,
// the choices are stored in main's settings file, and what main found out about the key hook
// (none on Wayland) and the shortcuts (one taken by another application) is shown with how to
// fix it.
import { join } from 'node:path';
import { missingTools } from '../helpers/tools.ts';
import { newUserData, readSettingsFile } from './app-data.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';

const skipReason = missingTools('Hands-free settings e2e', [CHROMIUM]);
test.skip(skipReason !== undefined, skipReason);

let app: StandInApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('a reserved hotkey is refused beside its field and nothing is stored', async () => {
  const userData = newUserData();
  app = await launchStandInApp({ userData });
  const page = await app.mainPage();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-section-handsFree').click();
  const section = page.getByTestId('hands-free-settings');
  await expect(section).toBeVisible();

  const before = readSettingsFile(userData);
  await section.getByLabel('Shortcut').fill('Ctrl+C');
  await page.getByTestId('save').click();
  await expect(section.getByTestId('field-message').first()).toHaveText(
    /This shortcut cannot be used/,
  );
  expect(readSettingsFile(userData)).toEqual(before);
});

test('the hands-free choices are stored', async () => {
  const userData = newUserData();
  app = await launchStandInApp({ userData });
  const page = await app.mainPage();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-section-handsFree').click();
  const section = page.getByTestId('hands-free-settings');
  await section.getByLabel('Shortcut').fill('Right Alt');
  await section.getByTestId('hands-free-mode').selectOption('toggle');
  await section.getByTestId('output-mode').selectOption('type');
  await section.getByLabel('Add a space after each transcript').check();
  await section.getByLabel('Play a sound when dictation starts and stops').check();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  expect(readSettingsFile(userData).settings).toMatchObject({
    shortcut: 'Right Alt',
    handsFree: { mode: 'toggle', output: 'type', trailingSpace: true, sounds: true },
  });
});

test('without a key hook, the section says why toggle mode is used and how to fix it', async () => {
  app = await launchStandInApp({
    env: {
      LANG: 'zh_CN.UTF-8',
      // A Wayland session, where another application holds the dictation hotkey.
      XDG_SESSION_TYPE: 'wayland',
      ELECTRON_STANDIN_TAKEN_SHORTCUTS: 'Ctrl+Shift+Space',
    },
  });
  const page = await app.mainPage();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-section-handsFree').click();
  const fallback = page.getByTestId('hands-free-fallback');
  // All of it in the window's language: the reason and the fix come from main as a code.
  await expect(fallback).toContainText('已改用');
  await expect(fallback).toContainText('当前是 Wayland 会话');
  await expect(fallback).toContainText('请登录 X11 会话');
  await expect(fallback).not.toContainText('Wayland session');
  await expect(page.getByTestId('hotkey-problem')).toContainText(
    'Ctrl+Shift+Space 已被其他应用（或桌面）占用',
  );
  await page.getByTestId('hands-free-settings').screenshot({
    path: join(SCREENSHOTS, 'hands-free-settings-zh.png'),
  });
});
