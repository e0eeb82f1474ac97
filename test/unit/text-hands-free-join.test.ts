// Hands-free insertion of a dictation's turns after the text pipeline: a turn that continues the
// one before starts with the space between them (desktop-services.ts joins them), and it is
// typed with it — unless the trailing space after each insertion put one there already. A
// leading space of a server's own text (no pipeline ran) is not one of those.
import { describe, expect, test } from 'vitest';
import { HandsFreeController } from '../../src/core/dictation/hands-free.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { DictationStatus, DictationTranscript } from '../../src/shared/ipc.ts';

async function dictate(
  turns: Omit<DictationTranscript & { type: 'completed' }, 'type' | 'itemId' | 'previousItemId'>[],
  trailingSpace: boolean,
) {
  const inserted: string[] = [];
  let done = (): void => {};
  const allInserted = new Promise<void>((resolve) => (done = resolve));
  const controller = new HandsFreeController({
    capture: { start() {}, stop() {}, cancel() {} },
    inserter: {
      focusedWindow: async () => ({ id: 'editor' }),
      insert: async (text, options) => {
        inserted.push(text);
        if (inserted.length === turns.length) done();
        return { ok: true, mode: options.mode };
      },
    },
    output: () => ({ mode: 'type', trailingSpace, leaveOnClipboard: false }),
    notify: () => {},
    log: silentLogger,
    mode: 'toggle',
  });
  const status = (state: DictationStatus['state']) =>
    controller.handleEvent({
      name: 'dictation',
      payload: { state, finishing: 0, dictation: { id: 1, state } },
    });
  controller.press();
  status('connecting');
  status('listening');
  controller.press();
  status('finishing');
  turns.forEach((turn, i) =>
    controller.handleEvent({
      name: 'transcript',
      payload: {
        type: 'completed',
        itemId: `t${i}`,
        previousItemId: null,
        dictationId: 1,
        ...turn,
      },
    }),
  );
  status('idle');
  await allInserted;
  return inserted;
}

describe('hands-free insertion of joined turns', () => {
  const turns = [
    { transcript: 'Hello.', rawTranscript: 'Hello.' },
    { transcript: ' How are you', rawTranscript: 'how are you' },
    { transcript: '今天天气很好', rawTranscript: '。今天天气很好' },
  ];

  test('types the space that joins a turn to the one before', async () => {
    expect(await dictate(turns, false)).toEqual(['Hello.', ' How are you', '今天天气很好']);
  });

  test('after a trailing space, not a second one', async () => {
    expect(await dictate(turns, true)).toEqual(['Hello.', 'How are you', '今天天气很好']);
  });

  test('a server’s own leading space is trimmed, as before', async () => {
    expect(await dictate([{ transcript: ' hello there ' }], false)).toEqual(['hello there']);
  });
});
