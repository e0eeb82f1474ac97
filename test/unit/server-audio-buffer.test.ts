import { expect, test } from 'vitest';
import { InputAudioBuffer } from '../../src/server/audio-buffer.ts';

const ramp = (from: number, n: number) => Int16Array.from({ length: n }, (_, i) => from + i);

test('addresses samples by absolute position across takes and drops', () => {
  const buffer = new InputAudioBuffer(1000);
  buffer.append(ramp(0, 100));
  buffer.append(ramp(100, 50));
  expect([buffer.start, buffer.end, buffer.size]).toEqual([0, 150, 150]);
  buffer.dropBefore(30);
  expect(buffer.start).toBe(30);
  const turn = buffer.take(120);
  expect(turn.length).toBe(90);
  expect([turn[0], turn.at(-1)]).toEqual([30, 119]);
  expect([buffer.start, buffer.end]).toEqual([120, 150]);
  buffer.clear();
  expect([buffer.start, buffer.end, buffer.size]).toEqual([150, 150, 0]);
});

test('grows and compacts without losing samples', () => {
  const buffer = new InputAudioBuffer(1 << 20);
  const at = (position: number) => position % 30000;
  for (let round = 0; round < 50; round++) {
    const from = buffer.end;
    buffer.append(Int16Array.from({ length: 7000 }, (_, i) => at(from + i)));
    buffer.dropBefore(buffer.end - 5000);
  }
  const start = buffer.start;
  const rest = buffer.take(buffer.end);
  expect(rest.length).toBe(5000);
  rest.forEach((sample, i) => expect(sample).toBe(at(start + i)));
});

test('refuses an append that would exceed its capacity, keeping what it had', () => {
  const buffer = new InputAudioBuffer(100);
  expect(buffer.append(ramp(0, 80))).toBe(true);
  expect(buffer.append(ramp(80, 30))).toBe(false);
  expect(buffer.size).toBe(80);
  buffer.dropBefore(40);
  expect(buffer.append(ramp(80, 30))).toBe(true);
  expect(buffer.take(buffer.end).at(-1)).toBe(109);
});

test('since(position) is the samples from there to the end, read where a live turn starts', () => {
  const buffer = new InputAudioBuffer(100);
  buffer.append(ramp(0, 4));
  buffer.dropBefore(1);
  expect([...buffer.since(2)]).toEqual([2, 3]);
  expect([...buffer.since(0)]).toEqual([1, 2, 3]);
  expect([...buffer.since(9)]).toEqual([]);
});
