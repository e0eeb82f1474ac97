// Steps every e2e of the main window takes the same way, wherever the window runs (the
// renderer alone, the app under the Electron stand-in, Electron itself).
import { expect, type Page } from '@playwright/test';
import { wordErrorRate } from '../helpers/speech.ts';

/** Only the bridge reaches the page: no Node, no raw ipcRenderer. */
export async function expectOnlyTheBridge(page: Page): Promise<void> {
  const keys = await page.evaluate(() =>
    Object.keys((globalThis as { tingxie?: object }).tingxie ?? {}),
  );
  // The contract's groups (src/shared/ipc.ts TingxieApi), in any order, and nothing else.
  expect(keys.sort()).toEqual(['app', 'dictation', 'history', 'models', 'on', 'settings', 'text']);
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
    'undefined',
  );
}

/** Waits for the first transcript and checks that it is `sentence`; returns what was heard. */
export async function expectTranscriptOf(page: Page, sentence: string): Promise<string> {
  const transcript = page.getByTestId('transcript').first();
  await expect(transcript).toBeVisible({ timeout: 45_000 });
  const text = (await transcript.locator('.text').textContent()) ?? '';
  expect(wordErrorRate(sentence, text), `heard “${text}”`).toBeLessThanOrEqual(0.2);
  return text;
}
