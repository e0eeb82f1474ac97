// The step after the text pipeline (the LLM clean-up's seam) in the desktop services: what the
// window gets and what the history keeps when the step succeeds, takes longer than the
// clean-up's budget, or fails — the rules text, never nothing — and the turn's confidence.
// Fake sessions; the clean-up itself against a real server is in the integration tests.
import { describe, expect, it } from 'vitest';
import { REFINE_MARGIN_MS } from '../../src/core/dictation/desktop-services.ts';
import type { NewHistoryEntry } from '../../src/core/history/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { defaultSettings } from '../../src/core/settings/defaults.ts';
import type { TextResult } from '../../src/core/text/index.ts';
import type { DictationStatus, MainEventMessage } from '../../src/shared/ipc.ts';
import {
  completedTranscripts,
  scriptedTurnsSession,
  testDesktopServices,
} from '../helpers/desktop-services.ts';

const BUDGET_MS = 300;

function setup(
  transcripts: string[],
  refineText: (result: TextResult) => string | Promise<string>,
) {
  const added: NewHistoryEntry[] = [];
  const sent: MainEventMessage[] = [];
  const logs: string[] = [];
  const settings = defaultSettings();
  // The rules: what the step starts from.
  settings.text.rules = 'teh => the\n';
  settings.text.cleanUp.budgetMs = BUDGET_MS;
  /** Resolved once the dictation of that id has ended (its status says idle). */
  const ended = new Map<number, () => void>();
  const services = testDesktopServices({
    settingsBackend: { read: () => settings, write: () => {} },
    createSession: () => scriptedTurnsSession(transcripts, 0.42),
    sink: (m) => {
      sent.push(m);
      const status = m.name === 'dictation' ? (m.payload as DictationStatus) : undefined;
      if (status?.dictation.state === 'idle') ended.get(status.dictation.id)?.();
    },
    log: createLogger((line) => logs.push(line), 'debug'),
    history: { add: (entry) => added.push(entry) },
    refineText,
  });
  /** Runs one dictation; resolves once it has ended. */
  const dictate = async () => {
    const { dictationId } = await services.startDictation();
    const idle = new Promise<void>((resolve) => ended.set(dictationId, resolve));
    await services.stopDictation(0);
    await idle;
  };
  const completed = () => completedTranscripts(sent);
  return { services, added, logs, dictate, completed };
}

describe('a step after the text pipeline', () => {
  it('that succeeds: the window gets the cleaned text; the history keeps raw, rules and cleaned', async () => {
    const t = setup(['teh meeting is on tuesday', 'see you there'], async (result) =>
      result.final === 'the meeting is on tuesday'
        ? 'The meeting is on Tuesday.'
        : 'See you there.',
    );
    await t.dictate();
    expect(t.completed().map((e) => [e.transcript, e.rawTranscript, e.confidence])).toEqual([
      ['The meeting is on Tuesday.', 'teh meeting is on tuesday', 0.42],
      [' See you there.', 'see you there', undefined],
    ]);
    expect(t.added.map((e) => [e.text, e.rulesText, e.rawText, e.confidence])).toEqual([
      [
        'The meeting is on Tuesday.',
        'the meeting is on tuesday',
        'teh meeting is on tuesday',
        0.42,
      ],
      ['See you there.', 'see you there', 'see you there', null],
    ]);
  });

  it('that takes longer than the budget: the rules text, once the budget has passed', async () => {
    const started: number[] = [];
    const t = setup(['teh first turn', 'second turn'], (result) =>
      result.final === 'the first turn'
        ? new Promise<string>(() => started.push(performance.now()))
        : 'Second turn.',
    );
    await t.dictate();
    const waited = performance.now() - started[0]!;
    expect(waited).toBeGreaterThanOrEqual(BUDGET_MS + REFINE_MARGIN_MS - 5);
    expect(waited).toBeLessThan(BUDGET_MS + REFINE_MARGIN_MS + 500);
    // The slow first turn is inserted as the rules left it, and before the second.
    expect(t.completed().map((e) => e.transcript)).toEqual(['the first turn', ' Second turn.']);
    expect(t.added.map((e) => [e.text, e.rulesText, e.rawText])).toEqual([
      ['the first turn', 'the first turn', 'teh first turn'],
      ['Second turn.', 'second turn', 'second turn'],
    ]);
    expect(t.logs.join('\n')).toContain(
      `it took longer than its time limit, ${BUDGET_MS} ms (Settings → Text)`,
    );
  });

  it('that fails: the rules text, and the reason in the log', async () => {
    const t = setup(['teh end'], () =>
      Promise.reject(new Error('The clean-up server failed (HTTP 500).')),
    );
    await t.dictate();
    expect(t.completed().map((e) => e.transcript)).toEqual(['the end']);
    expect(t.added.map((e) => [e.text, e.rulesText, e.rawText])).toEqual([
      ['the end', 'the end', 'teh end'],
    ]);
    expect(t.logs.join('\n')).toMatch(/without it: The clean-up server failed \(HTTP 500\)/);
  });

  it('that throws at once: the rules text', async () => {
    const t = setup(['teh end'], () => {
      throw new Error('no step today');
    });
    await t.dictate();
    expect(t.completed().map((e) => e.transcript)).toEqual(['the end']);
    expect(t.added.map((e) => e.text)).toEqual(['the end']);
  });

  it('a retried turn gets the cleaned text, with the rules text beside it', async () => {
    const t = setup([], async (result) => `${result.final}!`);
    await expect(t.services.finalText('teh end')).resolves.toEqual({
      text: 'the end!',
      rulesText: 'the end',
    });
  });
});

describe('Settings → Text with the clean-up half filled in', () => {
  it('still tries a sample through the rules, while the model is not typed yet', async () => {
    const t = setup([], (result) => result.final);
    const text = structuredClone(t.services.settings.current.text);
    Object.assign(text.cleanUp, { enabled: true, model: '' });
    await expect(t.services.previewText('teh end', text)).resolves.toEqual({
      final: 'the end',
      problems: [],
    });
    await expect(t.services.testCleanUp('teh end', text)).resolves.toMatchObject({
      ok: false,
      reason: 'Fix the highlighted fields first.',
    });
  });
});

describe('the clean-up key', () => {
  it('is stored encrypted apart from the settings, and the window only learns that it is', async () => {
    const KEY = 'sk-cleanup-0a1b2c3d4e5f';
    let cipherText: string | undefined;
    const written: unknown[] = [];
    const services = testDesktopServices({
      createSession: () => scriptedTurnsSession([]),
      settingsBackend: { read: () => undefined, write: (s) => written.push(s) },
      cleanUpKeyBackend: { read: () => cipherText, write: (v) => (cipherText = v) },
      cipher: {
        available: async () => true,
        encrypt: async (s) => Buffer.from(s).reverse(),
        decrypt: async (b) => ({
          result: Buffer.from(b).reverse().toString(),
          shouldReEncrypt: false,
        }),
      },
    });
    expect((await services.getSettings()).cleanUpKey).toEqual({ stored: false, persistent: true });
    const view = await services.saveCleanUpKey(` ${KEY} `);
    expect(view.cleanUpKey).toEqual({ stored: true, persistent: true });
    // The transcription key's slot is another one.
    expect(view.apiKey.stored).toBe(false);
    expect(cipherText).toBe(Buffer.from(KEY).reverse().toString('base64'));
    const settings = structuredClone(services.settings.current);
    settings.text.cleanUp.enabled = true;
    settings.text.cleanUp.model = 'qwen2.5';
    expect((await services.saveSettings(settings)).ok).toBe(true);
    expect(JSON.stringify([written, await services.getSettings()])).not.toContain(KEY);
    expect((await services.saveCleanUpKey('')).cleanUpKey.stored).toBe(false);
    expect(cipherText).toBeUndefined();
    await expect(services.saveCleanUpKey(7)).rejects.toThrow(/must be text/);
  });
});
