// The text pipeline end to end (issue #17), through the app's real main and preload under the
// Electron stand-in, the real local server and recognizer (pocketsphinx on festival speech):
// a vocabulary and a rule set in Settings → Text, a hands-free dictation into a real X11
// window, and History with what was heard beside what was inserted; a correction in History
// kept as a rule, in Chinese.
//
// pocketsphinx hears festival's "Kubernetes" as "to their needs" (the CLI, on the WAV) or "to
// other needs" (the app, on what the microphone captured): a misheard term, which the
// vocabulary maps back, as a person would write it once they have seen both. pocketsphinx writes English only, so the mixed spacing comes from a
// rule that puts Chinese against a Latin word ("today" → "今天"); the spacing step, after the
// rules, spaces it.
import { join } from 'node:path';
import { missingTools } from '../helpers/tools.ts';
import { X11_TOOLS, startXterm, startXvfb } from '../helpers/x11.ts';
import { SPEECH_TOOLS, speakSentences } from '../helpers/speech.ts';
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
const VOCABULARY = `Kubernetes = ${HEARD_AS.join(', ')}, kuber nettis`;

const skipReason = missingTools('Text pipeline e2e', [CHROMIUM]);
test.skip(skipReason !== undefined, skipReason);

let app: StandInApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('A misheard term is inserted corrected into an X11 window, and History shows raw and final', async () => {
  const missing = missingTools('Text pipeline dictation e2e', [
    ...SPEECH_TOOLS,
    'pocketsphinx_continuous',
    ...X11_TOOLS,
  ]);
  test.skip(missing !== undefined, missing);
  const speech = speakSentences([SENTENCE], 2000, 300);
  const userData = newUserData();
  // Past the first run's guide; English, so that the recognizer is pocketsphinx's.
  writeSettings(userData, (settings) => {
    settings.server.language = 'en';
  });
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

    // The vocabulary and the rules (each a disclosure), with a mistake first: shown beside the
    // field with its line, and the sample has no result until it is fixed.
    await page.getByTestId('text-vocabulary-toggle').click();
    await page.getByTestId('text-vocabulary').fill(VOCABULARY);
    await page.getByTestId('text-rules-toggle').click();
    await page.getByTestId('text-rules').fill('# Chinese for one word\n/ ?(today/ => 今天');
    await expect(page.getByTestId('text-rules-problems')).toContainText(
      'Line 2: / ?(today/ is not a valid regular expression',
    );
    await expect(page.getByTestId('text-rules')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('text-final')).toHaveCount(0);
    await page.getByTestId('save').click();
    expect(readSettingsFile(userData).settings).toMatchObject({ text: { rules: '' } });

    await page.getByTestId('text-rules').fill('# Chinese for one word\n/ ?today/ => 今天');
    await page.getByTestId('text-sample').fill(`we deploy it on ${HEARD_AS[0]} today`);
    await expect(page.getByTestId('text-final')).toHaveText('we deploy it on Kubernetes 今天');
    await expect(page.getByTestId('text-rules-problems')).toBeEmpty();
    await page.screenshot({ path: join(SCREENSHOTS, 'settings-text.png') });
    await page.getByTestId('save').click();
    await expect(page.getByTestId('saved')).toBeVisible();
    expect(readSettingsFile(userData).settings).toMatchObject({
      text: {
        vocabulary: VOCABULARY,
        rules: '# Chinese for one word\n/ ?today/ => 今天',
      },
    });

    // Hands-free, with the main window closed, into the xterm.
    await dictateHandsFree(app, x, term, speech);

    // The text as inserted: the term, the rule's Chinese spaced from the Latin before it.
    const inserted = await insertedText(term, 'Kubernetes 今天');
    expect(inserted).toMatch(/^we deploy the new version on Kubernetes 今天$/i);

    // The history keeps both, byte for byte.
    const [row] = readHistory(userData, (db) =>
      db.prepare('SELECT text, raw_text FROM entries').all(),
    ) as { text: string; raw_text: string }[];
    expect(row!.text).toBe(inserted);
    expect(row!.raw_text).toMatch(new RegExp(`on (${HEARD_AS.join('|')}) today$`));

    // History shows what was heard beside what was inserted.
    await app.command({ type: 'tray-click', label: 'Open history' });
    const history = await app.mainPage();
    const item = history.getByTestId('history-item').first();
    await expect(item.getByTestId('history-text')).toHaveText(inserted);
    await expect(item.getByTestId('history-raw')).toHaveText(`heard: ${row!.raw_text}`);
    await history.screenshot({ path: join(SCREENSHOTS, 'history-raw-and-final.png') });
    await term.stop();
  } finally {
    await app?.close();
    app = undefined;
    await x.stop();
  }
});

test('纠正：History 中更正一条转写，并把更正加为规则（界面为简体中文）', async () => {
  const userData = newUserData();
  writeSettings(userData, (settings) => {
    settings.text.rules = '# 我的规则\nAI => A.I.';
  });
  const id = seedHistory(userData, (history) =>
    history.add({
      text: '我们用 cooper netties 部署',
      rawText: '我们用cooper netties部署',
      provider: 'local',
      model: 'm',
    }),
  );
  app = await launchStandInApp({ userData, env: { LANG: 'zh_CN.UTF-8' } });
  const page = await app.mainPage();
  await page.getByTestId('nav-history').click();
  const item = page.getByTestId('history-item').first();
  await expect(item.getByTestId('history-raw')).toHaveText('识别原文：我们用cooper netties部署');

  await item.getByTestId('history-correct').click();
  const dialog = page.getByTestId('correct-dialog');
  await expect(dialog.getByTestId('correct-heard')).toHaveText(
    '识别原文：我们用cooper netties部署',
  );
  await dialog.getByTestId('correct-text').fill('我们用 Kubernetes 部署');
  await expect(dialog.getByTestId('correct-rule')).toHaveText('cooper netties => Kubernetes');
  await expect(dialog.getByTestId('correct-add-rule')).toBeChecked();
  await page.screenshot({ path: join(SCREENSHOTS, 'history-correct-zh.png') });
  await dialog.getByTestId('correct-save').click();

  await expect(page.getByTestId('history-notice')).toHaveText(
    '转写已更正，规则 cooper netties => Kubernetes 已加入“设置 → 文本”。',
  );
  await expect(item.getByTestId('history-text')).toHaveText('我们用 Kubernetes 部署');
  // The raw text stays what the recognizer wrote; the rule is the last of the rules.
  const row = readHistory(userData, (db) =>
    db.prepare('SELECT text, raw_text FROM entries WHERE id = ?').get(id),
  );
  expect(row).toEqual({ text: '我们用 Kubernetes 部署', raw_text: '我们用cooper netties部署' });
  expect(readSettingsFile(userData).settings).toMatchObject({
    text: { rules: '# 我的规则\nAI => A.I.\ncooper netties => Kubernetes\n' },
  });

  // Settings → Text shows it, tries it, and names a mistake with its line in Chinese.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-section-text').click();
  await expect(page.getByTestId('text-rules')).toHaveValue(
    '# 我的规则\nAI => A.I.\ncooper netties => Kubernetes\n',
  );
  // The rules are a closed part that says how many it holds.
  await expect(page.getByTestId('text-rules-toggle')).toHaveText('替换规则 （2 条）');
  await page.getByTestId('text-sample').fill('用cooper netties跑AI');
  await expect(page.getByTestId('text-final')).toHaveText('用 Kubernetes 跑 A.I.');
  await page.getByTestId('text-vocabulary-toggle').click();
  await page.getByTestId('text-vocabulary').fill('Tingxie\n张伟 =');
  await expect(page.getByTestId('text-vocabulary-problems')).toHaveText(
    '第 2 行：“=”后面是空的。请列出识别器把“张伟”误写成的样子，或删掉“=”。',
  );
  // A part with a mistake says so when closed, and opens by itself when the section is shown
  // again.
  const vocabulary = page.getByTestId('text-vocabulary-part');
  await page.getByTestId('text-vocabulary-toggle').click();
  await expect(vocabulary).not.toHaveAttribute('open');
  await expect(page.getByTestId('text-vocabulary-toggle')).toContainText('1 处错误');
  await page.getByTestId('settings-section-server').click();
  await page.getByTestId('settings-section-text').click();
  await expect(vocabulary).toHaveAttribute('open');
  await expect(page.getByTestId('text-vocabulary-problems')).toBeVisible();
});
