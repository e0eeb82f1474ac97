import { describe, expect, it } from 'vitest';
import { frame, setupDictationService } from '../helpers/dictation-service.ts';

/** Sessions answer the final commit at once; frames that trail a stop get 200 ms. */
const setup = (local = false) =>
  setupDictationService({ local, frameGraceMs: 200, answerStopWith: 'hello' });

describe('DictationService', () => {
  it('goes idle → connecting → listening → finishing → idle and forwards transcripts', async () => {
    const { service, sessions, states, events } = setup();
    expect(await service.start()).toEqual({ sampleRate: 16000, dictationId: 1 });
    sessions[0]!.accept();
    await sessions[0]!.opened;
    await Promise.resolve();
    expect(service.status).toBe('listening');
    service.pushFrame(0, frame(10));
    const stopped = await service.stop(1);
    expect(stopped).toEqual({ framesReceived: 1, framesMissing: 0 });
    expect(states()).toEqual(['connecting', 'listening', 'finishing', 'idle']);
    expect(events.some((e) => e.name === 'transcript')).toBe(true);
    expect(sessions[0]!.closed).toBe(true);
  });

  it('waits in stop() for frames that trail the stop call', async () => {
    const { service, sessions } = setup();
    await service.start();
    sessions[0]!.accept();
    service.pushFrame(0, frame(1));
    const stopping = service.stop(3);
    service.pushFrame(1, frame(2));
    service.pushFrame(2, frame(3));
    expect(await stopping).toEqual({ framesReceived: 3, framesMissing: 0 });
    expect(sessions[0]!.appended).toEqual([1, 2, 3]);
  });

  it('counts frames that never arrive', async () => {
    const { service, sessions } = setup();
    await service.start();
    sessions[0]!.accept();
    service.pushFrame(0, frame(1));
    service.pushFrame(2, frame(3));
    expect(await service.stop(4)).toEqual({ framesReceived: 2, framesMissing: 2 });
  });

  it('returns to idle with the reason when the connection fails', async () => {
    const { service, sessions, events } = setup();
    await service.start();
    sessions[0]!.refuse('Server rejected the API key (401).');
    await sessions[0]!.opened.catch(() => {});
    await Promise.resolve();
    expect(service.status).toBe('idle');
    expect(events.at(-1)).toEqual({
      name: 'dictation',
      payload: {
        state: 'idle',
        finishing: 0,
        dictation: { id: 1, state: 'idle' },
        error: { code: 'connect_failed', message: 'Server rejected the API key (401).' },
      },
    });
  });

  it('refuses a second start while one dictation captures', async () => {
    const { service, sessions } = setup();
    await service.start();
    await expect(service.start()).rejects.toThrow(/already listening/);
    sessions[0]!.accept();
    await sessions[0]!.opened;
    await Promise.resolve();
    await expect(service.start()).rejects.toThrow(/already listening/);
    expect(sessions).toHaveLength(1);
  });

  it('ends the dictation on a fatal session error', async () => {
    const { service, sessions } = setup();
    await service.start();
    sessions[0]!.accept();
    sessions[0]!.emit({ type: 'error', fatal: true, error: { code: 'x', message: 'gone' } });
    expect(service.status).toBe('idle');
    sessions[0]!.emit({ type: 'error', fatal: false, error: { code: 'y', message: 'minor' } });
  });

  it('starts the local server once and closes it on dispose', async () => {
    const { service, sessions, servers } = setup(true);
    await service.start();
    sessions[0]!.accept();
    await service.stop(0);
    await service.start();
    sessions[1]!.accept();
    await service.stop(0);
    await service.dispose();
    expect(servers()).toEqual({ serversStarted: 1, serversClosed: 1 });
  });
});
