// Every server event of PROTOCOL.md Parts 1 and 2, parsed and normalized at the edge.
import { describe, expect, test } from 'vitest';
import { parseServerEvent, type WireEvent } from '../../src/core/realtime/server-events.ts';

const ok = (event: object): WireEvent => {
  const r = parseServerEvent(JSON.stringify(event));
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.detail}`);
  return r.event;
};

describe('Part 1 events', () => {
  test('session lifecycle', () => {
    expect(ok({ type: 'session.created', session: { id: 'sess_1' } })).toEqual({
      kind: 'created',
      sessionId: 'sess_1',
    });
    expect(ok({ type: 'conversation.created', conversation: { id: 'c' } })).toEqual({
      kind: 'ignored',
      type: 'conversation.created',
    });
    expect(
      ok({ type: 'session.updated', session: { id: 'sess_1', modalities: ['text'] } }),
    ).toEqual({ kind: 'configured', sessionId: 'sess_1' });
    expect(ok({ type: 'session.updated' })).toEqual({ kind: 'configured', sessionId: undefined });
    expect(ok({ type: 'transcription_session.created', session: {} })).toEqual({
      kind: 'created',
      sessionId: undefined,
    });
    expect(ok({ type: 'transcription_session.updated', session: { id: 's' } })).toEqual({
      kind: 'configured',
      sessionId: 's',
    });
  });

  test('VAD and buffer events (the seed example included)', () => {
    expect(
      ok({
        event_id: 'event_1516',
        type: 'input_audio_buffer.speech_started',
        audio_start_ms: 1000,
        item_id: 'msg_003',
      }),
    ).toEqual({
      kind: 'speech_started',
      itemId: 'msg_003',
      audioStartMs: 1000,
    });
    expect(
      ok({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: 2500, item_id: 'msg_003' }),
    ).toEqual({
      kind: 'speech_stopped',
      itemId: 'msg_003',
      audioEndMs: 2500,
    });
    expect(
      ok({ type: 'input_audio_buffer.committed', item_id: 'msg_003', previous_item_id: 'msg_002' }),
    ).toEqual({
      kind: 'committed',
      itemId: 'msg_003',
      previousItemId: 'msg_002',
    });
    expect(
      ok({ type: 'input_audio_buffer.committed', item_id: 'msg_001', previous_item_id: null }),
    ).toMatchObject({ previousItemId: null });
    expect(ok({ type: 'input_audio_buffer.committed', item_id: 'msg_001' })).toMatchObject({
      previousItemId: undefined,
    });
    expect(ok({ type: 'input_audio_buffer.cleared' })).toEqual({ kind: 'cleared' });
  });

  test('items: conversation.item.created, and GA added/done', () => {
    const item = {
      id: 'msg_003',
      type: 'message',
      role: 'user',
      content: [{ type: 'input_audio', transcript: null }],
    };
    for (const type of [
      'conversation.item.created',
      'conversation.item.added',
      'conversation.item.done',
    ])
      expect(ok({ type, previous_item_id: 'msg_002', item })).toEqual({
        kind: 'item',
        itemId: 'msg_003',
        previousItemId: 'msg_002',
      });
  });

  test('completed and failed (the seed examples)', () => {
    expect(
      ok({
        event_id: 'event_2122',
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: 'msg_003',
        content_index: 0,
        transcript: '这是转写后的文本内容',
        usage: { type: 'duration', seconds: 2 },
      }),
    ).toEqual({ kind: 'completed', itemId: 'msg_003', transcript: '这是转写后的文本内容' });
    expect(
      ok({
        event_id: 'event_2324',
        type: 'conversation.item.input_audio_transcription.failed',
        item_id: 'msg_003',
        content_index: 0,
        error: {
          type: 'transcription_error',
          code: 'audio_unintelligible',
          message: '音频无法识别',
        },
      }),
    ).toEqual({
      kind: 'failed',
      itemId: 'msg_003',
      error: { code: 'audio_unintelligible', message: '音频无法识别' },
    });
    expect(
      ok({ type: 'conversation.item.input_audio_transcription.failed', item_id: 'x', error: null }),
    ).toMatchObject({
      error: { code: 'transcription_failed' },
    });
    expect(
      ok({
        type: 'conversation.item.input_audio_transcription.completed',
        item_id: 'x',
        transcript: null,
      }),
    ).toMatchObject({ transcript: '' });
  });

  test('error, with event_id naming the client event; not every server sends a code', () => {
    expect(
      ok({
        type: 'error',
        error: {
          type: 'invalid_request_error',
          code: 'input_audio_buffer_commit_empty',
          message: 'buffer too small',
          param: null,
          event_id: 'evt_9',
        },
      }),
    ).toEqual({
      kind: 'error',
      type: 'invalid_request_error',
      code: 'input_audio_buffer_commit_empty',
      message: 'buffer too small',
      param: undefined,
      eventId: 'evt_9',
    });
    expect(
      ok({
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: 'buffer too small. Expected at least 100ms of audio',
        },
      }),
    ).toMatchObject({
      code: undefined,
      message: 'buffer too small. Expected at least 100ms of audio',
    });
  });
});

describe('Part 2 partials and provider events', () => {
  test('delta (OpenAI) appends', () => {
    expect(
      ok({
        type: 'conversation.item.input_audio_transcription.delta',
        item_id: 'i',
        content_index: 0,
        delta: 'Hel',
      }),
    ).toEqual({
      kind: 'partial',
      itemId: 'i',
      text: 'Hel',
      mode: 'append',
    });
  });
  test('DashScope text + stash replaces', () => {
    expect(
      ok({
        type: 'conversation.item.input_audio_transcription.text',
        item_id: 'i',
        text: '你好',
        stash: '世',
      }),
    ).toEqual({
      kind: 'partial',
      itemId: 'i',
      text: '你好世',
      mode: 'replace',
    });
    expect(
      ok({ type: 'conversation.item.input_audio_transcription.text', item_id: 'i', stash: '世' }),
    ).toMatchObject({ text: '世' });
  });
  test('speaches partial_transcription (cumulative) replaces', () => {
    expect(
      ok({
        type: 'input_audio_buffer.partial_transcription',
        item_id: 'i',
        transcript: 'hello wor',
      }),
    ).toEqual({
      kind: 'partial',
      itemId: 'i',
      text: 'hello wor',
      mode: 'replace',
    });
  });
  test('DashScope session.finished; response and rate-limit events are ignored', () => {
    expect(ok({ type: 'session.finished' })).toEqual({ kind: 'finished' });
    expect(ok({ type: 'response.created', response: {} })).toEqual({
      kind: 'ignored',
      type: 'response.created',
    });
    expect(ok({ type: 'rate_limits.updated', rate_limits: [] })).toEqual({
      kind: 'ignored',
      type: 'rate_limits.updated',
    });
  });
});

describe('bad input never throws', () => {
  test.each([
    ['not JSON', 'not json {', 'malformed'],
    ['JSON null', 'null', 'malformed'],
    ['an array', '[1,2]', 'malformed'],
    ['no type', '{"item_id":"x"}', 'malformed'],
    ['a numeric type', '{"type":7}', 'malformed'],
    ['an unknown type', '{"type":"transcription.delta","delta":"x"}', 'unknown'],
    [
      'a completed without item_id',
      '{"type":"conversation.item.input_audio_transcription.completed","transcript":"x"}',
      'malformed',
    ],
    [
      'a committed with a numeric item_id',
      '{"type":"input_audio_buffer.committed","item_id":42}',
      'malformed',
    ],
    ['an error without its object', '{"type":"error"}', 'malformed'],
    [
      'a negative audio_start_ms',
      '{"type":"input_audio_buffer.speech_started","item_id":"i","audio_start_ms":-5}',
      'malformed',
    ],
  ])('%s', (_name, text, reason) => {
    const r = parseServerEvent(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  test('the detail names the field at fault', () => {
    const r = parseServerEvent(
      '{"type":"conversation.item.input_audio_transcription.completed","transcript":"x"}',
    );
    expect(!r.ok && r.detail).toMatch(
      /^conversation\.item\.input_audio_transcription\.completed: item_id: /,
    );
  });
});
