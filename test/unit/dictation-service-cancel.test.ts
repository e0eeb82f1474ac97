// Esc: DictationService.cancel() closes the session without a final commit, drops the frames
// that trail it, says "cancelled" in its status, and lets nothing of the dictation through —
// so the desktop services save nothing of it to the history. Without an id it cancels only the
// capturing dictation; one that is finishing goes on.
import { describe, expect, it } from 'vitest';
import { testDesktopServices } from '../helpers/desktop-services.ts';
import {
  frame,
  ScriptedSession,
  scriptedSessions,
  settle,
  setupDictationService,
} from '../helpers/dictation-service.ts';

describe('DictationService.cancel', () => {
  it('while connecting: closes the session, goes idle as cancelled, and stays idle', async () => {
    const { service, sessions, statuses, transcripts } = setupDictationService();
    await service.start();
    service.pushFrame(0, frame(1));
    expect(service.cancel()).toBe(true);
    const session = sessions[0]!;
    expect(session.closed).toBe(true);
    expect(service.status).toBe('idle');
    expect(statuses().at(-1)).toEqual({
      state: 'idle',
      finishing: 0,
      dictation: { id: 1, state: 'idle' },
      cancelled: true,
    });
    // The connection the session was making comes up late: it changes nothing.
    session.accept();
    await settle();
    expect(service.status).toBe('idle');
    expect(statuses().map((s) => s.state)).toEqual(['connecting', 'idle']);
    expect(service.pushFrame(1, frame(2))).toBe(false);
    expect(session.stopCalls).toBe(0);
    expect(transcripts()).toEqual([]);
    // A new dictation may start at once.
    await service.start();
    expect(sessions).toHaveLength(2);
  });

  it('while listening: no final commit, trailing frames dropped, no transcript forwarded', async () => {
    const { service, sessions, statuses, transcripts, listening } = setupDictationService();
    await listening();
    const session = sessions[0]!;
    expect(service.status).toBe('listening');
    expect(service.pushFrame(0, frame(1))).toBe(true);
    service.cancel();
    expect(session.stopCalls).toBe(0);
    expect(session.closed).toBe(true);
    expect(service.pushFrame(1, frame(2))).toBe(false);
    expect(session.appended).toEqual([1]);
    // Whatever the session still says about this dictation is not forwarded.
    session.emit({ type: 'completed', itemId: 'late', previousItemId: null, transcript: 'no' });
    expect(transcripts()).toEqual([]);
    expect(statuses()).toEqual([
      { state: 'connecting', finishing: 0, dictation: { id: 1, state: 'connecting' } },
      { state: 'listening', finishing: 0, dictation: { id: 1, state: 'listening' } },
      { state: 'idle', finishing: 0, dictation: { id: 1, state: 'idle' }, cancelled: true },
    ]);
  });

  it('while finishing and waiting for trailing frames: stop() returns, nothing is committed', async () => {
    const { service, sessions, statuses, listening } = setupDictationService();
    await listening();
    const session = sessions[0]!;
    service.pushFrame(0, frame(1));
    const stopping = service.stop(3); // two frames still on their way
    expect(service.status).toBe('finishing');
    expect(service.cancel(), 'Esc leaves a finishing dictation alone').toBe(false);
    expect(service.cancel(1)).toBe(true);
    expect(await stopping).toEqual({ framesReceived: 1, framesMissing: 2 });
    expect(session.stopCalls).toBe(0);
    expect(service.pushFrame(1, frame(2))).toBe(false);
    expect(statuses().at(-1)).toMatchObject({ state: 'idle', cancelled: true });
  });

  it('while finishing and waiting for the last transcript: drops it, reports no failure', async () => {
    const { service, sessions, statuses, transcripts, listening } = setupDictationService();
    await listening();
    const session = sessions[0]!;
    service.pushFrame(0, frame(1));
    const stopping = service.stop(1);
    await settle();
    expect(session.stopCalls).toBe(1);
    service.cancel(1);
    session.complete(); // the server's answer, too late
    await stopping;
    expect(transcripts()).toEqual([]);
    expect(statuses().map((s) => s.state)).toEqual([
      'connecting',
      'listening',
      'finishing',
      'idle',
    ]);
    expect(statuses().some((s) => s.error)).toBe(false);
    expect(statuses().at(-1)?.cancelled).toBe(true);
  });

  it('does nothing when idle, and a stopped dictation is not reported as cancelled', async () => {
    const { service, sessions, statuses, listening } = setupDictationService();
    expect(service.cancel()).toBe(false);
    expect(statuses()).toEqual([]);
    await listening();
    const stopping = service.stop(0);
    await settle();
    sessions[0]!.complete();
    await stopping;
    expect(service.cancel()).toBe(false);
    expect(statuses().at(-1)).toEqual({
      state: 'idle',
      finishing: 0,
      dictation: { id: 1, state: 'idle' },
    });
  });
});

describe('createDesktopServices: cancelDictation', () => {
  it('saves nothing of a cancelled dictation, then keeps the next one', async () => {
    const { sessions, createSession } = scriptedSessions();
    const added: string[] = [];
    const services = testDesktopServices({
      createSession,
      createTestSession: () => new ScriptedSession('test'),
      history: { add: (entry) => added.push(entry.text) },
    });
    await services.startDictation();
    sessions[0]!.accept();
    await settle();
    services.pushFrame(0, frame(1));
    await services.cancelDictation();
    services.pushFrame(1, frame(2)); // trails the cancel
    sessions[0]!.complete();
    expect(added).toEqual([]);

    await services.startDictation();
    sessions[1]!.accept();
    await settle();
    services.pushFrame(0, frame(3));
    const stopping = services.stopDictation(1);
    await settle();
    sessions[1]!.complete();
    await stopping;
    expect(added).toEqual(['hello']);
    expect(sessions[1]!.appended).toEqual([3]);
  });
});
