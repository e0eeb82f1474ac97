// The turn ledger: results once each, in previous_item_id order, whatever the wire order.
import { describe, expect, test } from 'vitest';
import { TurnLedger, type TurnResult } from '../../src/core/realtime/turns.ts';

function ledger() {
  const out: TurnResult[] = [];
  const l = new TurnLedger(16000, (r) => out.push(r));
  const texts = () => out.map((r) => r.transcript ?? `!${r.error?.code}`);
  return { l, out, texts };
}

describe('TurnLedger', () => {
  test('in order', () => {
    const { l, out, texts } = ledger();
    l.place('a', null);
    l.complete('a', 'one');
    l.place('b', 'a');
    l.complete('b', 'two');
    expect(texts()).toEqual(['one', 'two']);
    expect(out.map((r) => r.previousItemId)).toEqual([null, 'a']);
    expect(l.settled).toBe(true);
  });

  test('completions out of order are held until the earlier turn is done', () => {
    const { l, texts } = ledger();
    l.place('a', null);
    l.place('b', 'a');
    l.place('c', 'b');
    l.complete('c', 'three');
    l.complete('b', 'two');
    expect(texts()).toEqual([]);
    expect(l.unreleased).toEqual(['a', 'b', 'c']);
    l.complete('a', 'one');
    expect(texts()).toEqual(['one', 'two', 'three']);
  });

  test('commits arriving out of order are ordered by previous_item_id', () => {
    const { l, texts } = ledger();
    l.place('c', 'b');
    l.place('b', 'a');
    l.complete('b', 'two');
    l.complete('c', 'three');
    expect(texts()).toEqual([]); // 'a' is not known yet
    l.place('a', null);
    l.complete('a', 'one');
    expect(texts()).toEqual(['one', 'two', 'three']);
  });

  test('a stale previous_item_id (speaches names the last item it knows) keeps commit order', () => {
    const { l, texts } = ledger();
    l.place('a', null);
    l.place('b', 'a');
    l.place('c', 'a'); // b's conversation item did not exist yet when c was committed
    l.complete('c', 'three');
    l.complete('b', 'two');
    l.complete('a', 'one');
    expect(texts()).toEqual(['one', 'two', 'three']);
  });

  test('completed before committed/item.created (the seed example order)', () => {
    const { l, texts } = ledger();
    l.place('a', null);
    l.complete('a', 'one');
    l.complete('b', 'two'); // no commit seen for b: ordered by arrival
    l.place('b', 'a'); // item.created later: idempotent
    expect(texts()).toEqual(['one', 'two']);
  });

  test('a turn is released once, even if the server repeats its result', () => {
    const { l, texts } = ledger();
    l.place('a', null);
    l.complete('a', 'one');
    l.complete('a', 'one again');
    l.fail('a', { code: 'x', message: 'y' });
    expect(texts()).toEqual(['one']);
  });

  test('failed turns keep their place', () => {
    const { l, out, texts } = ledger();
    l.place('a', null);
    l.place('b', 'a');
    l.fail('b', { code: 'audio_unintelligible', message: 'no' });
    l.complete('a', 'one');
    expect(texts()).toEqual(['one', '!audio_unintelligible']);
    expect(out[1]!.status).toBe('failed');
  });

  test('partials accumulate deltas and take cumulative partials as they are', () => {
    const { l } = ledger();
    expect(l.partial('a', 'He', 'append')).toBe('He');
    expect(l.partial('a', 'llo', 'append')).toBe('Hello');
    expect(l.partial('a', 'Hello wor', 'replace')).toBe('Hello wor');
  });

  test('ranges become ms on the result', () => {
    const { l, out } = ledger();
    l.setRange('a', { startSample: 16000 });
    l.setRange('a', { endSample: 40000 });
    l.place('a', null);
    l.complete('a', 'x');
    expect(out[0]).toMatchObject({ audioStartMs: 1000, audioEndMs: 2500 });
    expect(l.releasedUpToSample).toBe(40000);
  });

  test('dropUnreleased forgets held turns; a new connection may reuse item ids', () => {
    const { l, texts } = ledger();
    l.place('msg_1', null);
    l.complete('msg_1', 'one');
    l.place('msg_2', 'msg_1');
    l.place('msg_3', 'msg_2');
    l.complete('msg_3', 'three'); // held behind msg_2
    expect(l.dropUnreleased()).toEqual(['msg_2', 'msg_3']);
    expect(l.settled).toBe(true);
    // the new connection numbers its items from 1 again
    l.place('msg_1', null);
    l.complete('msg_1', 'two');
    l.place('msg_2', 'msg_1');
    l.complete('msg_2', 'three');
    expect(texts()).toEqual(['one', 'two', 'three']);
  });

  test('placeOrphans releases turns whose predecessor never appeared', () => {
    const { l, texts } = ledger();
    l.place('x', 'gone');
    l.complete('x', 'orphan');
    expect(texts()).toEqual([]);
    l.placeOrphans();
    expect(texts()).toEqual(['orphan']);
  });
});
