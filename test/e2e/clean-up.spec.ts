// The LLM clean-up end to end (issue #17), through the app's real main and preload under the
// Electron stand-in, the real local server and recognizer (pocketsphinx on festival speech),
// and an OpenAI-compatible chat server on 127.0.0.1: Settings → Text switches the clean-up on
// (its key saved apart, never shown again), Test clean-up shows the model's text, and a
// hands-free dictation into a real X11 window inserts the cleaned text; History keeps what was
// heard, the rules text and the cleaned one. The key is in no log line and no file of the
// user data. History marks a turn the recognizer was unsure of.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { missingTools } from '../helpers/tools.ts';
import { X11_TOOLS, startXterm, startXvfb } from '../helpers/x11.ts';
import { SPEECH_TOOLS, speakSentences, wordErrorRate } from '../helpers/speech.ts';
import { startChatServer, type ChatServer } from '../helpers/fake-servers/chat-completions.ts';
import {
  newUserData,
  readHistory,
  readSettingsFile,
  seedHistory,
  writeSettings,
} from './app-data.ts';
import { CHROMIUM, expect, SCREENSHOTS, test } from './fixtures.ts';
import {
  dictateHandsFree,
  insertedText,
  KUBERNETES_HEARD_AS,
  KUBERNETES_SENTENCE,
} from './hands-free-steps.ts';
import { launchStandInApp, type StandInApp } from './standin-app.ts';

const SENTENCE = KUBERNETES_SENTENCE;
const HEARD_AS = KUBERNETES_HEARD_AS;
const VOCABULARY = `Kubernetes = ${HEARD_AS.join(', ')}`;
const KEY = 'sk-e2e-cleanup-9b8a7c6d5e4f';
const MODEL = 'qwen2.5:3b';

/** The model's answer: the text it was given, as a sentence, and the sample of the Test. */
const cleaned = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}.`;

const skipReason = missingTools('Clean-up e2e', [
  CHROMIUM,
  ...SPEECH_TOOLS,
  'pocketsphinx_continuous',
  ...X11_TOOLS,
]);
test.skip(skipReason !== undefined, skipReason);

let app: StandInApp | undefined;
let chat: ChatServer | undefined;
test.afterEach(async () => {
  await app?.close();
  await chat?.close();
  app = chat = undefined;
});

test('Settings → Text switches the clean-up on; a dictation inserts the cleaned text', async () => {
  chat = await startChatServer({
    apiKey: KEY,
    models: [MODEL],
    reply: (request) => ({ content: cleaned(request.body.messages!.at(-1)!.content) }),
  });
  const speech = speakSentences([SENTENCE], 2000, 300);
  const userData = newUserData();
  writeSettings(userData, (settings) => {
    settings.server.language = 'en';
    settings.text.vocabulary = VOCABULARY;
  });
  /** Main's log (its stderr), as the app ran. */
  let logs: string | undefined;
  const x = await startXvfb();
  try {
    const term = await startXterm(x);
    app = await launchStandInApp({
      audioFile: speech.path,
      userData,
      env: { DISPLAY: x.display, LANG: 'en_US.UTF-8' },
    });
    const page = await app.mainPage();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-section-text').click();

    const part = page.getByTestId('clean-up');
    await part.locator('summary').click();
    await part.getByTestId('clean-up-enabled').check();
    await part.getByTestId('clean-up-server').selectOption('custom');
    await part.getByTestId('clean-up-url').fill(chat.baseUrl);
    await part.getByTestId('clean-up-model').fill(MODEL);
    await expect(part.getByTestId('clean-up-key-status')).toHaveText(/No key stored/);
    await part.getByTestId('clean-up-key').fill(KEY);
    await part.getByTestId('clean-up-key-save').click();
    await expect(part.getByTestId('clean-up-key-status')).toHaveText(/A key is stored/);
    await expect(part.getByTestId('clean-up-key')).toHaveValue('');
    await part.getByTestId('clean-up-prompt-preset').selectOption('written');

    // Test clean-up: the sample through the vocabulary, then the model.
    await part.getByTestId('clean-up-sample').fill(`we ship it on ${HEARD_AS[0]}`);
    await part.getByTestId('clean-up-test').click();
    await expect(part.getByTestId('clean-up-cleaned')).toHaveText('We ship it on Kubernetes.');
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-text-clean-up.png') });
    await page.getByTestId('save').click();
    await expect(page.getByTestId('saved')).toBeVisible();
    expect(readSettingsFile(userData).settings).toMatchObject({
      text: {
        cleanUp: { enabled: true, baseUrl: chat.baseUrl, model: MODEL, promptPreset: 'written' },
      },
    });

    // Hands-free, with the main window closed, into the xterm.
    await dictateHandsFree(app, x, term, speech);

    // What was inserted is the model's text (a capital and a full stop the rules do not add)
    // for the rules text the history keeps beside it, which the model was sent with the key.
    const inserted = await insertedText(term, 'today.');
    const [row] = readHistory(userData, (db) =>
      db.prepare('SELECT text, rules_text, raw_text FROM entries').all(),
    ) as { text: string; rules_text: string; raw_text: string }[];
    expect(row!.text).toBe(inserted);
    expect(inserted).toBe(cleaned(row!.rules_text));
    const asked = chat.requests.at(-1)!;
    expect(asked.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(asked.body.messages?.at(-1)?.content).toBe(row!.rules_text);
    expect(wordErrorRate(SENTENCE, row!.rules_text), row!.raw_text).toBeLessThanOrEqual(0.2);
    expect(row!.rules_text).not.toBe(row!.raw_text);

    // History shows what was heard and the rules text beside the cleaned text.
    await app.command({ type: 'tray-click', label: 'Open history' });
    const history = await app.mainPage();
    const item = history.getByTestId('history-item').first();
    await expect(item.getByTestId('history-text')).toHaveText(inserted);
    await expect(item.getByTestId('history-raw')).toHaveText(`heard: ${row!.raw_text}`);
    await expect(item.getByTestId('history-rules')).toHaveText(
      `before clean-up: ${row!.rules_text}`,
    );
    await history.screenshot({ path: join(SCREENSHOTS, 'history-clean-up.png') });
    await term.stop();
    logs = app.stderr;
  } finally {
    await app?.close();
    app = undefined;
    await x.stop();
  }

  // The key: in no log line, and in no file of the user data (as it is, or base64-encoded).
  expect(logs).toContain('Clean-up key stored.');
  expect(logs).not.toContain(KEY);
  const encoded = Buffer.from(KEY).toString('base64');
  for (const name of readdirSync(userData, { recursive: true, encoding: 'utf8' })) {
    const path = join(userData, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    expect(bytes.includes(KEY), path).toBe(false);
    expect(bytes.includes(encoded), path).toBe(false);
  }
  expect(readSettingsFile(userData)).toHaveProperty('cleanUpKeyCipher');
});

test('历史记录：润色前的文字和低置信度标记（界面为简体中文）', async () => {
  const userData = newUserData();
  writeSettings(userData, () => {});
  seedHistory(userData, (history) => {
    history.add({
      text: '我们下周二发布新版本吗？',
      rulesText: '我们下周二发布新版本吗',
      rawText: '我们下周二发布新版本吗',
      confidence: 0.42,
      provider: 'openai',
      model: 'gpt-4o-transcribe',
      createdAt: Date.now() - 60_000,
    });
    history.add({
      text: '今天天气很好。',
      rawText: '今天天气很好',
      confidence: 0.93,
      provider: 'openai',
      model: 'gpt-4o-transcribe',
    });
  });
  app = await launchStandInApp({ userData, env: { LANG: 'zh_CN.UTF-8' } });
  const page = await app.mainPage();
  await page.getByTestId('nav-history').click();
  const [sure, unsure] = [
    page.getByTestId('history-item').nth(0),
    page.getByTestId('history-item').nth(1),
  ];
  await expect(sure.getByTestId('history-text')).toHaveText('今天天气很好。');
  await expect(sure.getByTestId('history-low-confidence')).toHaveCount(0);
  await expect(sure.getByTestId('history-rules')).toHaveCount(0);

  await expect(unsure.getByTestId('history-text')).toHaveText('我们下周二发布新版本吗？');
  // The rules text is what was heard here: said once, as what was heard.
  await expect(unsure.getByTestId('history-raw')).toHaveText('识别原文：我们下周二发布新版本吗');
  await expect(unsure.getByTestId('history-rules')).toHaveCount(0);
  const mark = unsure.getByTestId('history-low-confidence');
  await expect(mark).toContainText('置信度低');
  await expect(mark).toContainText('识别置信度：42%');
  await page.screenshot({ path: join(SCREENSHOTS, 'history-low-confidence-zh.png') });
});
