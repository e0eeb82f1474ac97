// Overlapping dictations: a second one starts while the first still waits for its
// transcripts. Each keeps its own session, frames, status and history record; what happens to
// one (its transcripts, a cancel, a failure) never touches the other.
import { describe, expect, it } from 'vitest';
import type { NewHistoryEntry, TurnAudio } from '../../src/core/history/index.ts';
import { testDesktopServices } from '../helpers/desktop-services.ts';
import {
  frame,
  scriptedSessions,
  settle,
  setupDictationService,
} from '../helpers/dictation-service.ts';

describe('DictationService: dictations side by side', () => {
  it('a second dictation starts while the first finishes; the status says what is true', async () => {
    const { service, sessions, statuses, finals, listening } = setupDictationService();
    const first = await listening();
    service.pushFrame(0, frame(1), first);
    const stoppingFirst = service.stop(1, first);
    await sessions[0]!.stopping;
    expect(service.status).toBe('finishing');

    const second = await listening();
    expect(second).not.toBe(first);
    expect(sessions).toHaveLength(2);
    expect(service.status).toBe('listening');
    expect(statuses().at(-1)).toEqual({
      state: 'listening',
      finishing: 1,
      dictation: { id: second, state: 'listening' },
    });
    // While the second captures, a third may not start.
    await expect(service.start()).rejects.toThrow(/already listening/);

    service.pushFrame(0, frame(2), second);
    const stoppingSecond = service.stop(1, second);
    await sessions[1]!.stopping;
    expect(statuses().at(-1)).toMatchObject({ state: 'finishing', finishing: 2 });

    // The second's transcript comes first: each is forwarded as it comes, named by its dictation.
    sessions[1]!.complete('second words');
    await stoppingSecond;
    expect(statuses().at(-1)).toEqual({
      state: 'finishing',
      finishing: 1,
      dictation: { id: second, state: 'idle' },
    });
    sessions[0]!.complete('first words');
    expect(await stoppingFirst).toEqual({ framesReceived: 1, framesMissing: 0 });
    expect(finals()).toEqual([
      [second, 'second words'],
      [first, 'first words'],
    ]);
    expect(statuses().at(-1)).toEqual({
      state: 'idle',
      finishing: 0,
      dictation: { id: first, state: 'idle' },
    });
    expect(sessions.map((s) => s.appended)).toEqual([[1], [2]]);
    expect(sessions.every((s) => s.closed)).toBe(true);
  });

  it('frames go to the dictation they name: stragglers of the first never reach the second', async () => {
    const { service, sessions, listening } = setupDictationService();
    const first = await listening();
    service.pushFrame(0, frame(10), first);
    const stoppingFirst = service.stop(3, first); // frames 1 and 2 are still on their way
    const second = await listening();
    expect(service.pushFrame(0, frame(20), second)).toBe(true);
    expect(service.pushFrame(1, frame(11), first)).toBe(true);
    expect(service.pushFrame(1, frame(21), second)).toBe(true);
    expect(service.pushFrame(2, frame(12), first)).toBe(true);
    await sessions[0]!.stopping; // the first commits once its last frame is in
    expect(sessions[0]!.appended).toEqual([10, 11, 12]);
    expect(sessions[1]!.appended).toEqual([20, 21]);
    sessions[0]!.complete('first');
    expect(await stoppingFirst).toEqual({ framesReceived: 3, framesMissing: 0 });
    // A frame that names no dictation belongs to the newest one.
    expect(service.pushFrame(2, frame(22))).toBe(true);
    expect(sessions[1]!.appended).toEqual([20, 21, 22]);
  });

  it('Esc cancels the capturing dictation only; the finishing one still delivers', async () => {
    const { service, sessions, statuses, finals, listening } = setupDictationService();
    const first = await listening();
    const stoppingFirst = service.stop(0, first);
    await sessions[0]!.stopping;
    const second = await listening();
    service.pushFrame(0, frame(2), second);

    expect(service.cancel()).toBe(true);
    expect(sessions[1]!.closed).toBe(true);
    expect(sessions[0]!.closed).toBe(false);
    expect(statuses().at(-1)).toEqual({
      state: 'finishing',
      finishing: 1,
      dictation: { id: second, state: 'idle' },
      cancelled: true,
    });
    sessions[1]!.complete('discarded'); // whatever the cancelled session still says
    expect(service.cancel(), 'a second Esc finds nothing capturing').toBe(false);

    sessions[0]!.complete('kept');
    await stoppingFirst;
    expect(finals()).toEqual([[first, 'kept']]);
    expect(statuses().at(-1)).toMatchObject({ state: 'idle', dictation: { id: first } });
  });

  it('a failure of the first leaves the second listening, and the next may still start', async () => {
    const { service, sessions, statuses, finals, listening } = setupDictationService();
    const first = await listening();
    const stoppingFirst = service.stop(0, first);
    await sessions[0]!.stopping;
    const second = await listening();

    sessions[0]!.failStop('the connection was lost');
    await stoppingFirst;
    expect(statuses().at(-1)).toEqual({
      state: 'listening',
      finishing: 0,
      dictation: { id: first, state: 'idle' },
      error: {
        code: 'finish_failed',
        message: 'The last words may be missing: the connection was lost',
      },
    });
    expect(sessions[1]!.closed).toBe(false);
    expect(service.status).toBe('listening');
    expect(service.capturingId).toBe(second);

    // A fatal error of the second (while the first is long gone) ends only it.
    service.pushFrame(0, frame(2), second);
    sessions[1]!.emit({ type: 'error', fatal: true, error: { code: 'x', message: 'gone' } });
    expect(service.status).toBe('idle');
    expect(finals()).toEqual([]);
    await listening();
    expect(sessions).toHaveLength(3);
  });

  it('a fatal error of the capturing dictation leaves the finishing one alone', async () => {
    const { service, sessions, finals, listening } = setupDictationService();
    const first = await listening();
    const stoppingFirst = service.stop(0, first);
    await sessions[0]!.stopping;
    await listening();
    sessions[1]!.emit({ type: 'error', fatal: true, error: { code: 'x', message: 'gone' } });
    expect(service.status).toBe('finishing');
    expect(sessions[0]!.closed).toBe(false);
    sessions[0]!.complete('still here');
    await stoppingFirst;
    expect(finals()).toEqual([[first, 'still here']]);
  });
});

describe("DictationService.stopCapture (the renderer's stop)", () => {
  it('resolves once the final commit is sent, before the transcripts; the next may start then', async () => {
    const { service, sessions, statuses, listening } = setupDictationService();
    const first = await listening();
    service.pushFrame(0, frame(1), first);
    expect(await service.stopCapture(1, first)).toEqual({ framesReceived: 1, framesMissing: 0 });
    expect(statuses().at(-1)).toMatchObject({ state: 'finishing', finishing: 1 });
    const second = await listening();
    expect(service.capturingId).toBe(second);
    sessions[0]!.complete('first');
    await settle();
    expect(statuses().at(-1)).toMatchObject({
      state: 'listening',
      dictation: { id: first, state: 'idle' },
    });
  });
});

describe('desktop services: each overlapping dictation has its own history record', () => {
  it('entries are grouped by their own dictation, and turn audio holds only its own frames', async () => {
    const { sessions, createSession } = scriptedSessions();
    const added: { entry: NewHistoryEntry; audio: TurnAudio | undefined }[] = [];
    const services = testDesktopServices({
      settingsBackend: {
        read: () => ({ history: { keepAudio: 'all', keepDays: 0, maxCount: 0 } }),
        write: () => {},
      },
      createSession,
      history: { add: (entry, audio) => added.push({ entry, audio }) },
    });
    const first = await services.startDictation();
    sessions[0]!.accept();
    await settle();
    services.pushFrame(0, new Int16Array(160).fill(1), first.dictationId);
    const stoppingFirst = services.stopDictation(2, first.dictationId);
    const second = await services.startDictation();
    sessions[1]!.accept();
    await settle();
    services.pushFrame(0, new Int16Array(160).fill(2), second.dictationId);
    services.pushFrame(1, new Int16Array(160).fill(1), first.dictationId); // a straggler
    services.pushFrame(1, new Int16Array(160).fill(2), second.dictationId);
    await sessions[0]!.stopping;
    const stoppingSecond = services.stopDictation(2, second.dictationId);
    await sessions[1]!.stopping;

    sessions[1]!.complete('second');
    sessions[0]!.complete('first');
    await Promise.all([stoppingFirst, stoppingSecond]);
    expect(added.map((a) => a.entry.text)).toEqual(['second', 'first']);
    const [two, one] = added;
    expect(one!.entry.dictationId).toBeTruthy();
    expect(two!.entry.dictationId).toBeTruthy();
    expect(one!.entry.dictationId).not.toBe(two!.entry.dictationId);
    expect(one!.audio?.samples.length).toBe(320);
    expect(one!.audio?.samples.every((s) => s === 1)).toBe(true);
    expect(two!.audio?.samples.length).toBe(320);
    expect(two!.audio?.samples.every((s) => s === 2)).toBe(true);
    await services.dispose();
  });
});
