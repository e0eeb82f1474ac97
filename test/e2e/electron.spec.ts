// The Electron app itself, through the real preload and main: Start → transcript. Electron's
// binary is downloaded on install; where it is missing (this project's CI machines cannot
// download it) the suite says why and is skipped.
import { _electron as electron } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SPEECH_TOOLS, speakSentences } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { writeSettings } from './app-data.ts';
import { expectOnlyTheBridge, expectTranscriptOf } from './dictation-steps.ts';
import { expect, SCREENSHOTS, test } from './fixtures.ts';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';
// Started as `electron .` starts it: the app path is the project (resources/ is found there),
// not out/main, which a path to the script itself would make it.
const APP_DIR = join(import.meta.dirname, '../..');

/** The Electron executable, or why there is none. Reads what the `electron` package would,
 * without requiring it: requiring it starts a download when the binary is missing. */
function findElectron(): { path: string } | { reason: string } {
  const pkg = join(import.meta.dirname, '../../node_modules/electron');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron');
    return existsSync(path) ? { path } : { reason: `no binary at ${path}` };
  }
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      reason: 'its binary was never downloaded (node_modules/electron/path.txt is missing)',
    };
  }
  const path = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path) ? { path } : { reason: `its binary is missing at ${path}` };
}

const found = findElectron();
const skipReason =
  'reason' in found
    ? `Electron e2e skipped: ${found.reason}`
    : missingTools('Electron e2e', [...SPEECH_TOOLS, 'pocketsphinx_continuous']);
if ('reason' in found) console.warn(skipReason);
test.skip(skipReason !== undefined, skipReason);

test('Electron: Start → speaking → transcript, through the real preload', async () => {
  if (!('path' in found)) return;
  const speech = speakSentences([SENTENCE], 2500, 1000);
  const userData = mkdtempSync(join(tmpdir(), 'tingxie-e2e-'));
  // An earlier run finished the first run's guided setup: the window opens on Dictation.
  writeSettings(userData, () => {});
  const app = await electron.launch({
    executablePath: found.path,
    args: [
      APP_DIR,
      `--user-data-dir=${userData}`,
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${speech.path}%noloop`,
    ],
  });
  try {
    // The overlay is created first: the main window is the page without a hash.
    await app.firstWindow();
    const page = await (async () => {
      for (;;) {
        const found = app.windows().find((w) => !new URL(w.url()).hash);
        if (found) return found;
        await app.waitForEvent('window');
      }
    })();
    await expectOnlyTheBridge(page);

    await page.getByTestId('start-stop').click();
    await expect(page.getByTestId('speaking')).toHaveAttribute('data-speaking', 'true', {
      timeout: 30_000,
    });
    await expectTranscriptOf(page, SENTENCE);
    await page.getByTestId('start-stop').click();
    await page.screenshot({ path: join(SCREENSHOTS, 'electron-dictation.png') });
  } finally {
    await app.close();
  }
});
