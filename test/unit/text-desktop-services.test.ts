// The text pipeline in the desktop services: every completed turn goes through the settings'
// pipeline before the history, the window and hands-free see it; the history keeps the raw
// text beside the final one; a dictation's turns are joined without doubled punctuation; the
// vocabulary reaches the session's prompt. Real pipeline (OpenCC included), fake sessions.
import { describe, expect, it } from 'vitest';
import type { NewHistoryEntry } from '../../src/core/history/index.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import type { DictationStatus, MainEventMessage } from '../../src/shared/ipc.ts';
import type { SessionConfig } from '../../src/shared/providers.ts';
import type { Settings, TextSettings } from '../../src/shared/settings.ts';
import type { TextResult } from '../../src/core/text/index.ts';
import {
  completedTranscripts,
  scriptedTurnsSession,
  testDesktopServices,
} from '../helpers/desktop-services.ts';

const statusOf = (m: MainEventMessage) =>
  m.name === 'dictation' ? (m.payload as DictationStatus) : undefined;

function setup(
  transcripts: string[],
  text: Partial<TextSettings> = {},
  stored?: unknown,
  refineText?: (result: TextResult) => string | Promise<string>,
) {
  const added: NewHistoryEntry[] = [];
  const sent: MainEventMessage[] = [];
  /** Conditions on what was sent, each resolved once a message meets it. */
  const waiters = new Set<{ met: (m: MainEventMessage) => boolean; resolve: () => void }>();
  const configs: SessionConfig[] = [];
  const settings: Settings = defaultSettings();
  Object.assign(settings.text, text);
  const services = testDesktopServices({
    settingsBackend: { read: () => stored ?? settings, write: () => {} },
    createSession: (config) => {
      configs.push(config);
      return scriptedTurnsSession(transcripts);
    },
    createTestSession: () => scriptedTurnsSession([]),
    sink: (m) => {
      sent.push(m);
      for (const waiter of waiters) if (waiter.met(m)) waiter.resolve();
    },
    history: { add: (entry) => added.push(entry) },
    refineText,
  });
  const sentOne = (met: (m: MainEventMessage) => boolean) =>
    sent.some(met)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.add({ met, resolve }));
  /** Runs one dictation and resolves once it has ended (its status says idle). */
  const dictate = async () => {
    const { dictationId } = await services.startDictation();
    await services.stopDictation(0);
    await sentOne((m) => {
      const status = statusOf(m);
      return status?.dictation.id === dictationId && status.dictation.state === 'idle';
    });
  };
  const completed = () => completedTranscripts(sent);
  return { services, added, sent, configs, dictate, completed };
}

describe('the text pipeline in dictation', () => {
  it('corrects a misheard term and the spacing; the history keeps raw and final', async () => {
    const { added, completed, dictate, configs } = setup(['我用cooper netties部署了Tingxie'], {
      vocabulary: 'Kubernetes = cooper netties, kuber nettis\nTingxie',
    });
    await dictate();
    expect(completed()).toMatchObject([
      {
        transcript: '我用 Kubernetes 部署了 Tingxie',
        rawTranscript: '我用cooper netties部署了Tingxie',
      },
    ]);
    expect(added).toMatchObject([
      { text: '我用 Kubernetes 部署了 Tingxie', rawText: '我用cooper netties部署了Tingxie' },
    ]);
    // The terms went to the recognizer too (language auto, no Chinese term: an English line).
    expect(configs[0]!.prompt).toBe('Terms: Kubernetes, Tingxie.');
  });

  it('joins the turns of a dictation without doubled punctuation, spaced where needed', async () => {
    const { added, completed, dictate } = setup(['你好。', '。今天天气很好', 'OK.', 'then we go']);
    await dictate();
    expect(completed().map((e) => e.transcript)).toEqual([
      '你好。',
      '今天天气很好',
      ' OK.',
      ' then we go',
    ]);
    expect(added.map((e) => e.text)).toEqual(['你好。', '今天天气很好', 'OK.', 'then we go']);
    expect(added.map((e) => e.rawText)).toEqual(['你好。', '。今天天气很好', 'OK.', 'then we go']);
  });

  it('leaves a transcript no step changes exactly as the server sent it', async () => {
    const texts = [
      '今天天气很好，我们去公园散步吧。',
      'Rendez-vous au café à 15 h 😀',
      '繁體中文。',
    ];
    const { added, completed, dictate } = setup(texts.map((t) => t));
    await dictate();
    expect(completed().map((e) => e.transcript.trim())).toEqual(texts);
    expect(added.map((e) => [e.text, e.rawText])).toEqual(texts.map((t) => [t, t]));
  });

  it('a dictation of fillers alone inserts and keeps nothing', async () => {
    const { added, completed, dictate } = setup(['嗯，呃。', 'um, uh'], { removeFillers: true });
    await dictate();
    expect(completed().map((e) => e.transcript)).toEqual(['', '']);
    expect(added).toEqual([]);
  });

  it('keeps the order of events while a script’s dictionaries load', async () => {
    const { services, completed, sent, dictate, added } = setup(['软件开发。', '鼠标坏了'], {});
    const settings = (await services.getSettings()).settings;
    // Saved, then dictated at once: the first transcript may come before Taiwan's forms load.
    settings.text.script = 'tw';
    expect(await services.saveSettings(settings)).toMatchObject({ ok: true });
    await dictate();
    expect(completed().map((e) => e.transcript)).toEqual(['軟件開發。', '鼠標壞了']);
    expect(added.map((e) => e.rawText)).toEqual(['软件开发。', '鼠标坏了']);
    // Every transcript reached the window before its dictation's end.
    const names = sent.map((m) => statusOf(m)?.dictation.state ?? m.name);
    expect(names.lastIndexOf('transcript')).toBeLessThan(names.lastIndexOf('idle'));
  });

  it('waits, in order, for a step after the pipeline (an LLM clean-up) that takes its time', async () => {
    const pending: { result: TextResult; finish: (text: string) => void }[] = [];
    let asked = (): void => {};
    const t = setup(
      ['first turn', 'second turn'],
      {},
      undefined,
      (result) =>
        new Promise<string>((finish) => {
          pending.push({ result, finish });
          asked();
        }),
    );
    const dictated = t.dictate();
    await new Promise<void>((resolve) => (asked = () => pending.length === 2 && resolve()));
    // Nothing reached the window or the history while the first turn is being refined.
    expect(t.completed()).toEqual([]);
    expect(t.added).toEqual([]);
    pending[1]!.finish('Second turn.');
    pending[0]!.finish('First turn.');
    await dictated;
    expect(t.completed().map((e) => [e.transcript, e.rawTranscript])).toEqual([
      ['First turn.', 'first turn'],
      [' Second turn.', 'second turn'],
    ]);
    expect(t.added.map((e) => [e.text, e.rawText])).toEqual([
      ['First turn.', 'first turn'],
      ['Second turn.', 'second turn'],
    ]);
  });

  it('refuses a dictation with hand-edited rules that have a mistake, naming the line', async () => {
    const broken = defaultSettings();
    broken.text.rules = 'AI => A.I.\n/(ab/ => x';
    const { services, configs, sent } = setup(['hello'], {}, broken);
    const why =
      /Settings → Text → rules: 1 mistake, so none of its lines are used:\n {2}line 2: \/\(ab\/ is not a valid regular expression/;
    await expect(services.startDictation()).rejects.toThrow(why);
    expect(configs).toEqual([]);
    // Its status says why (hands-free tells the person).
    const ended = sent.map(statusOf).filter((s) => s?.dictation.state === 'idle');
    expect(ended).toMatchObject([
      { error: { code: 'start_failed', message: expect.stringMatching(why) } },
    ]);
  });
});

describe('the text settings from the window', () => {
  it('tries a sample sentence with a draft of the settings, or names its mistakes', async () => {
    const { services } = setup([]);
    const text = {
      ...defaultSettings().text,
      script: 'tw' as const,
      vocabulary: 'Kubernetes = cooper netties',
      rules: '软体 => 軟體',
    };
    await expect(services.previewText('我用cooper netties写软件', text)).resolves.toEqual({
      final: '我用 Kubernetes 寫軟件',
      problems: [],
    });
    const preview = await services.previewText('x', { ...text, rules: 'ok => fine\n=> nothing' });
    expect(preview).toMatchObject({
      final: '',
      problems: [{ path: 'text.rules', params: { line: 2 } }],
    });
    await expect(services.previewText('x', { script: 'klingon' })).rejects.toThrow(/not valid/);
  });

  it('adds a correction as a rule at the end of the rules, and refuses a broken one', async () => {
    const { services } = setup([], { rules: '# mine\nAI => A.I.' });
    await expect(services.addTextRule('cooper netties => Kubernetes')).resolves.toMatchObject({
      ok: true,
    });
    expect(services.settings.current.text.rules).toBe(
      '# mine\nAI => A.I.\ncooper netties => Kubernetes\n',
    );
    await expect(services.addTextRule('/(/ => x')).resolves.toMatchObject({
      ok: false,
      issues: [{ path: 'text.rules', params: { line: 4 } }],
    });
    expect(services.settings.current.text.rules).toBe(
      '# mine\nAI => A.I.\ncooper netties => Kubernetes\n',
    );
    await expect(services.addTextRule('two\nlines')).rejects.toThrow(/one line/);
  });
});
