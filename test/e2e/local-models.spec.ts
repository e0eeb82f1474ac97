// Settings → Local models as Electron runs it (the real built main and preload under the
// Electron stand-in, standin-app.ts): a model downloaded from a mirror on 127.0.0.1 (a real
// HTTP server, named in the UI as the custom mirror; the catalog comes from
// TINGXIE_MODELS_CATALOG), its progress, installed and in use, then a dictation through the app's
// local server that sherpa-onnx decodes with it, and its removal; a connection cut mid-file that
// the download resumes by itself; Cancel, which keeps what was downloaded for Resume; a failure
// and Retry; an archive downloaded by hand, imported through the open dialog. The model
// is the SenseVoice-shaped one the tests build (test/helpers/sense-voice-graph.ts): a 300 Hz tone
// then a 3000 Hz tone decode to 听写.
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import * as tar from 'tar';
import { CATALOG_ENV } from '../../src/core/models/index.ts';
import { EXPECTED_TEXT } from '../helpers/sense-voice-graph.ts';
import { missingTools } from '../helpers/tools.ts';
import { newUserData, readSettingsFile, writeSettings } from './app-data.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';
import {
  buildTinyModel,
  RATE,
  TINY_MODEL_ID,
  TINY_MODEL_REPO,
  TINY_MODEL_TITLE,
} from './tiny-model.ts';

const ID = TINY_MODEL_ID;
const TITLE = TINY_MODEL_TITLE.en;
const REPO = TINY_MODEL_REPO;

const skipReason = missingTools('Local models e2e', [CHROMIUM]);
test.skip(skipReason !== undefined, skipReason);

// ---------------------------------------------------------------------------------------------
// The model, its catalog and the tones, built once.

const work = mkdtempSync(join(tmpdir(), 'tingxie-e2e-models-'));
const {
  files: FILES,
  catalog: CATALOG_FILE,
  tones: TONES,
} = buildTinyModel(work, {
  tailMs: 1000,
  catalogEntry: { homepage: 'https://example.invalid/tiny-sense-voice' },
});
const MODEL_BYTES = FILES.get('model.onnx')!.length;
/** How long the tones' WAV plays. */
const TONES_MS = 2500;

// ---------------------------------------------------------------------------------------------
// A mirror of Hugging Face's paths on 127.0.0.1: <url>/<repo>/resolve/<revision>/<file>, with
// Range support. It sends 64 kB every `delayMs`, and can hold a file at a byte until the test
// lets it go on, or cut the connection there (once).

interface FileBehaviour {
  delayMs?: number;
  /** Stop sending at this byte of the file until `release()`. */
  holdAt?: number;
  /** Destroy the connection at this byte of the file, on the first request that reaches it. */
  cutAt?: number;
  /** Serve other bytes than the catalog's (its first byte flipped). */
  corrupt?: boolean;
}

interface Mirror {
  url: string;
  requests: { file: string; range: string | undefined }[];
  behave: Map<string, FileBehaviour>;
  /** Resolves when a request has reached its file's `holdAt`. */
  held(): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

async function startMirror(): Promise<Mirror> {
  const requests: Mirror['requests'] = [];
  const behave = new Map<string, FileBehaviour>();
  let onHeld = () => {};
  let heldAlready = false;
  let release = () => {};
  let released = new Promise<void>((resolve) => (release = resolve));
  const prefix = `/${REPO.repo}/resolve/${REPO.revision}/`;

  const send = async (res: ServerResponse, file: string, original: Buffer, start: number) => {
    const plan = behave.get(file) ?? {};
    const body = plan.corrupt ? Buffer.from(original) : original;
    if (plan.corrupt) body[0] = body[0]! ^ 0xff;
    for (let at = start; at < body.length && !res.destroyed;) {
      if (plan.holdAt !== undefined && at >= plan.holdAt) {
        plan.holdAt = undefined;
        heldAlready = true;
        onHeld();
        await released;
        continue;
      }
      let end = Math.min(body.length, at + CHUNK);
      if (plan.holdAt !== undefined) end = Math.min(end, Math.max(plan.holdAt, at + 1));
      if (plan.cutAt !== undefined && end >= plan.cutAt) {
        end = plan.cutAt;
        plan.cutAt = undefined;
        await new Promise((resolve) => res.write(body.subarray(at, end), resolve));
        res.socket?.destroy();
        return;
      }
      await new Promise((resolve) => res.write(body.subarray(at, end), resolve));
      at = end;
      if (plan.delayMs) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
    }
    res.end();
  };

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    const body = FILES.get(file);
    requests.push({ file, range: req.headers.range });
    if (!body) {
      res.writeHead(404).end('Not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start >= body.length) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    res.writeHead(range ? 206 : 200, {
      'content-length': body.length - start,
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    void send(res, file, body, start);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    behave,
    held: () =>
      heldAlready ? Promise.resolve() : new Promise<void>((resolve) => (onHeld = resolve)),
    release: () => {
      release();
      heldAlready = false;
      released = new Promise<void>((resolve) => (release = resolve));
    },
    close: () =>
      new Promise((resolve) => {
        release();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------

let app: StandInApp | undefined;
let mirror: Mirror | undefined;
test.beforeEach(async () => {
  mirror = await startMirror();
});
test.afterEach(async () => {
  await app?.close();
  app = undefined;
  await mirror?.close();
});

/** Starts the app on a new data folder: the local server, push-to-talk (the tones are no
 * speech for a voice detector), Chinese, and the microphone's signal left as it is. */
async function launch(lang: string, audioFile?: string): Promise<StandInApp> {
  const userData = newUserData();
  writeSettings(userData, (s) => {
    s.server.language = 'zh';
    s.server.vad.enabled = false;
    s.audio.echoCancellation = false;
    s.audio.noiseSuppression = false;
    s.audio.autoGainControl = false;
  });
  return launchStandInApp({
    userData,
    audioFile,
    env: { LANG: lang, [CATALOG_ENV]: CATALOG_FILE },
  });
}

/** Opens Settings → Local models (Settings opens on its Server section). */
async function openLocalModels(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-section-models').click();
}

/** Opens Settings → Local models and names the test's mirror there. */
async function openWithMirror(page: Page, savedText: string | RegExp): Promise<Locator> {
  await openLocalModels(page);
  const section = page.getByTestId('local-models');
  await expect(section.getByTestId(`model-${ID}`)).toBeVisible();
  await section.getByTestId('models-options').click();
  const field = section.getByTestId('model-mirror');
  await field.fill(mirror!.url);
  await field.press('Enter');
  await expect(section.getByTestId('model-mirror-saved')).toHaveText(savedText);
  return section;
}

const modelRow = (section: Locator) => section.getByTestId(`model-${ID}`);

test('Download from a custom mirror with progress; the model is used for dictation; Delete removes it', async () => {
  const files = mirror!;
  files.behave.set('model.onnx', { delayMs: 40, holdAt: Math.floor(MODEL_BYTES * 0.6) });
  app = await launch('en_US.UTF-8', TONES);
  const page = await app.mainPage();
  await openLocalModels(page);
  const section = page.getByTestId('local-models');
  const row = modelRow(section);

  // Nothing installed: the model is suggested, and listed with its facts.
  await expect(row).toHaveAttribute('data-state', 'absent');
  await expect(section.getByTestId('model-suggestion')).toContainText(TITLE);
  await expect(row).toContainText('中文');
  await expect(row).toContainText('English');
  // The licence, under the model's details (its name opens them), opens in the browser: main's
  // window-open handler gets the URL and denies the window.
  await row.getByRole('button', { name: TITLE, exact: true }).click();
  const licence = row.getByRole('link', { name: 'MIT' });
  await licence.click();
  await app.waitFor(
    (r) => r.type === 'open-external' && r.url === 'https://example.invalid/tiny-sense-voice',
  );

  // A mirror that is no http(s) URL is refused beside the field, and not saved.
  await section.getByTestId('models-options').click();
  const field = section.getByTestId('model-mirror');
  await field.fill('ftp://mirror.example');
  await field.press('Enter');
  await expect(section.getByTestId('field-message')).toHaveText(
    'Use an http:// or https:// address, like https://hf-mirror.com.',
  );
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.fill(files.url);
  await field.press('Enter');
  await expect(section.getByTestId('model-mirror-saved')).toHaveText('Mirror saved.');
  expect(readSettingsFile(app.userData).settings).toMatchObject({
    localModels: { model: '', mirror: files.url },
  });

  await row.getByRole('button', { name: `Download ${TITLE}` }).click();
  // The progress bar, by its accessible name, while the mirror holds the file at 60 %.
  const progress = row.getByRole('progressbar', { name: `Downloading ${TITLE}` });
  await files.held();
  await expect(progress).toHaveAttribute('aria-valuetext', /MB of .*MB · .*\/s · .* left/);
  expect(Number(await progress.getAttribute('value'))).toBeGreaterThan(0);
  expect(Number(await progress.getAttribute('value'))).toBeLessThan(
    Number(await progress.getAttribute('max')),
  );
  await expect(row.getByTestId('model-source')).toHaveText(
    `· from your mirror ${new URL(files.url).host}`,
  );
  await expect(row.getByRole('button', { name: `Cancel ${TITLE}` })).toBeFocused();
  await section.screenshot({ path: join(SCREENSHOTS, 'local-models-downloading-en.png') });
  // A window that comes back (reloaded here) shows the download as main lists it: no progress
  // event comes while the mirror holds the file.
  const shown = await progress.getAttribute('value');
  await page.reload();
  await openLocalModels(page);
  await expect(progress).toHaveAttribute('value', shown!);
  await expect(row.getByTestId('model-source')).toContainText('from your mirror');
  files.release();

  // Installed, verified, and the one the local server runs (chosen automatically).
  await expect(row).toHaveAttribute('data-state', 'installed', { timeout: 30_000 });
  await expect(row.getByTestId('model-active')).toHaveText('In use');
  await expect(section.getByTestId('model-choice-auto')).toBeChecked();
  await expect(section.getByTestId(`model-choice-${ID}`)).toBeVisible();
  await expect(section.getByTestId('model-choice')).toContainText(`Now: ${TITLE}`);
  expect(files.requests.filter((r) => r.file !== '').map((r) => r.file)).toEqual(
    expect.arrayContaining(['model.onnx', 'tokens.txt']),
  );
  await section.screenshot({ path: join(SCREENSHOTS, 'local-models-installed-en.png') });

  // A dictation of the two tones, through the local server with the model just installed.
  await page.getByTestId('nav-dictation').click();
  const startStop = page.getByTestId('start-stop');
  await startStop.click();
  await expect(page.getByTestId('connection')).toHaveText('Connected', { timeout: 30_000 });
  // Main has all of the file's audio once it received that many samples.
  await expect
    .poll(() => app!.frames().reduce((n, f) => n + f.pcm.length, 0), { timeout: 30_000 })
    .toBeGreaterThan((RATE * TONES_MS) / 1000);
  await startStop.click();
  const transcript = page.getByTestId('transcript').first();
  await expect(transcript.locator('.text')).toHaveText(EXPECTED_TEXT.zh, { timeout: 45_000 });

  // Chosen by name instead of automatically: saved at once, and still the one in use.
  await openLocalModels(page);
  await section.getByRole('radio', { name: TITLE, exact: true }).check();
  await expect
    .poll(() => readSettingsFile(app!.userData).settings)
    .toMatchObject({ localModels: { model: ID } });
  await expect(row.getByTestId('model-active')).toHaveText('In use');
  await expect(section.getByTestId('model-choice-auto')).not.toBeChecked();
  // Live text while speaking is on by default; turned off, saved at once.
  await section.getByTestId('models-options').click();
  const live = section.getByRole('checkbox', { name: 'Show the text while I speak' });
  await expect(live).toBeChecked();
  await live.uncheck();
  await expect
    .poll(() => readSettingsFile(app!.userData).settings)
    .toMatchObject({ localModels: { model: ID, livePartials: false } });

  // Delete, after a confirm: the model's folder is gone, it can be downloaded again, and the
  // choice is automatic again.
  await row.getByRole('button', { name: `Delete ${TITLE}` }).click();
  const confirm = page.getByTestId('confirm');
  await expect(confirm).toContainText(`Delete ${TITLE}?`);
  await confirm.getByTestId('confirm-ok').click();
  await expect(row).toHaveAttribute('data-state', 'absent');
  await expect(row.getByRole('button', { name: `Download ${TITLE}` })).toBeVisible();
  await expect(section.getByRole('radio', { name: TITLE })).toHaveCount(0);
  const folder = (await section.getByTestId('models-folder').textContent())!
    .replace('Folder: ', '')
    .trim();
  expect(folder.startsWith(app.userData)).toBe(true);
  expect(existsSync(join(folder, ID))).toBe(false);
  // With nothing installed, nothing to choose from: the choice says so.
  await expect(section.getByTestId('model-choice')).toContainText('No model is installed yet.');
  expect(readSettingsFile(app.userData).settings).toMatchObject({ localModels: { model: '' } });
});

test('A download that fails everywhere says why beside the model; Retry completes it', async () => {
  const files = mirror!;
  // The mirror's tokens.txt is not the catalog's, and the other sources (Hugging Face and its
  // mirrors, unreachable or without this test repository) have none: the download fails.
  files.behave.set('tokens.txt', { corrupt: true });
  app = await launch('en_US.UTF-8');
  const page = await app.mainPage();
  const section = await openWithMirror(page, 'Mirror saved.');
  const row = modelRow(section);
  await row.getByRole('button', { name: `Download ${TITLE}` }).click();
  await expect(row.getByTestId('model-error')).toContainText(
    `The download failed: Could not download tokens.txt of ${ID} (custom:`,
    { timeout: 60_000 },
  );
  // What was verified (model.onnx) is kept, and the reason stays while another section of
  // Settings is looked at.
  await expect(row).toHaveAttribute('data-state', 'partial');
  await row.screenshot({ path: join(SCREENSHOTS, 'local-models-failed-en.png') });
  await page.getByTestId('settings-section-server').click();
  await expect(page.getByTestId('provider')).toBeEnabled();
  await page.getByTestId('settings-section-models').click();
  await expect(row.getByTestId('model-error')).toContainText('Could not download tokens.txt');

  files.behave.delete('tokens.txt');
  await row.getByRole('button', { name: `Retry ${TITLE}` }).click();
  await expect(row).toHaveAttribute('data-state', 'installed', { timeout: 30_000 });
  await expect(row.getByTestId('model-error')).toHaveText('');
  // model.onnx was not fetched again.
  expect(files.requests.filter((r) => r.file === 'model.onnx')).toHaveLength(1);
});

test('A connection cut mid-file is resumed where it stopped, by itself', async () => {
  const files = mirror!;
  const cutAt = Math.floor(MODEL_BYTES / 3);
  files.behave.set('model.onnx', { cutAt });
  app = await launch('en_US.UTF-8');
  const page = await app.mainPage();
  const section = await openWithMirror(page, 'Mirror saved.');
  const row = modelRow(section);
  await row.getByRole('button', { name: `Download ${TITLE}` }).click();
  await expect(row).toHaveAttribute('data-state', 'installed', { timeout: 30_000 });
  // The second request for the file asked only for what had not been written yet (up to the
  // cut: the bytes in flight when the connection broke may be lost), and the result verified.
  const asked = files.requests.filter((r) => r.file === 'model.onnx').map((r) => r.range);
  expect(asked, JSON.stringify(asked)).toHaveLength(2);
  expect(asked[0]).toBeUndefined();
  const resumedAt = Number(/^bytes=(\d+)-$/.exec(asked[1] ?? '')?.[1]);
  expect(resumedAt).toBeGreaterThan(0);
  expect(resumedAt).toBeLessThanOrEqual(cutAt);
  await expect(row.getByTestId('model-error')).toHaveText('');
});

test('Cancel keeps what was downloaded: partly downloaded, and Resume continues from there (中文, by keyboard)', async () => {
  const files = mirror!;
  const holdAt = Math.floor(MODEL_BYTES / 2);
  files.behave.set('model.onnx', { holdAt });
  app = await launch('zh_CN.UTF-8');
  const page = await app.mainPage();
  const section = await openWithMirror(page, '镜像已保存。');
  const row = modelRow(section);
  await expect(row).toContainText('未安装');
  // The keyboard stays on the row's button through each state: Download, then Cancel, then
  // Resume, each pressed with Enter where the last one was.
  await row.getByRole('button', { name: /^下载 / }).focus();
  await page.keyboard.press('Enter');
  await files.held();
  await expect(row.getByRole('progressbar', { name: /^正在下载 / })).toBeVisible();
  await expect(row.getByRole('button', { name: /^取消 / })).toBeFocused();
  await page.keyboard.press('Enter');

  // Partly downloaded: what arrived before the hold is kept, and the button says Resume.
  await expect(row).toHaveAttribute('data-state', 'partial');
  await expect(row.getByTestId('model-partial')).toContainText('已下载一部分');
  const resume = row.getByRole('button', { name: /^继续下载 / });
  await expect(resume).toBeFocused();
  await section.screenshot({ path: join(SCREENSHOTS, 'local-models-partial-zh-CN.png') });

  files.release();
  await page.keyboard.press('Enter');
  await expect(row).toHaveAttribute('data-state', 'installed', { timeout: 30_000 });
  await expect(row.getByTestId('model-active')).toHaveText('使用中');
  const resumedFrom = files.requests.filter((r) => r.file === 'model.onnx').at(-1)!.range;
  expect(Number(/^bytes=(\d+)-$/.exec(resumedFrom ?? '')?.[1])).toBeGreaterThan(0);
  await section.screenshot({ path: join(SCREENSHOTS, 'local-models-installed-zh-CN.png') });
});

test('Import a downloaded archive: a cancelled dialog changes nothing, a wrong archive says why, the right one installs', async () => {
  const good = join(work, 'sherpa-onnx-tiny-sense-voice.tar.gz');
  await tar.c({ gzip: true, file: good, cwd: work }, ['built']);
  const wrong = join(work, 'tokens-only.tar.gz');
  await tar.c({ gzip: true, file: wrong, cwd: join(work, 'built') }, ['tokens.txt']);
  app = await launch('en_US.UTF-8');
  const page = await app.mainPage();
  await openLocalModels(page);
  const row = modelRow(page.getByTestId('local-models'));
  await row.getByRole('button', { name: TITLE, exact: true }).click();
  const importButton = row.getByRole('button', { name: `Import a downloaded file… ${TITLE}` });

  /** Clicks Import and answers the open dialog main shows over the main window. */
  const importAnswering = async (filePaths?: string[]) => {
    const before = app!.reports.length;
    await importButton.click();
    const dialog = await app!.waitFor(
      (r) => r.type === 'open-dialog' && app!.reports.indexOf(r) >= before,
    );
    expect(dialog.window).toBe(app!.window('Tingxie').id);
    await app!.command({ type: 'answer-open-dialog', id: Number(dialog.id), filePaths });
  };

  await importAnswering(undefined);
  await expect(importButton).toHaveText('Import a downloaded file…');
  await expect(row).toHaveAttribute('data-state', 'absent');
  await expect(row.getByTestId('model-error')).toHaveText('');

  await importAnswering([wrong]);
  // Main's words, without Electron's "Error invoking remote method" before them.
  await expect(row.getByTestId('model-error')).toHaveText(
    `${wrong} does not hold ${ID}: model.onnx missing.`,
  );
  await expect(row).toHaveAttribute('data-state', 'absent');

  await importAnswering([good]);
  await expect(row).toHaveAttribute('data-state', 'installed');
  await expect(row.getByTestId('model-error')).toHaveText('');
  await expect(row.getByTestId('model-active')).toHaveText('In use');
});
