// The embedded server is replaced when the local model changes: the next dictation starts a new
// one, and the old one closes only once no dictation that may use it runs, so that a turn still
// being transcribed is never cut off.
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../src/shared/settings.ts';
import { testDesktopServices } from '../helpers/desktop-services.ts';
import {
  frame,
  scriptedSessions,
  settle,
  setupDictationService,
} from '../helpers/dictation-service.ts';

describe('DictationService: a new local server for a new model', () => {
  it('the old server closes after the dictations running on it have ended', async () => {
    const { service, sessions, listening, servers } = setupDictationService({ local: true });
    const first = await listening();
    service.pushFrame(0, frame(1), first);
    const stoppingFirst = service.stop(1, first);
    await sessions[0]!.stopping;

    service.retireLocalServer();
    await settle();
    // The first dictation is still waiting for its transcript from the old server.
    expect(servers()).toEqual({ serversStarted: 1, serversClosed: 0 });

    const second = await listening();
    expect(servers()).toEqual({ serversStarted: 2, serversClosed: 0 });
    sessions[0]!.complete('first words');
    await stoppingFirst;
    await settle();
    expect(servers().serversClosed).toBe(0); // the second still runs

    service.pushFrame(0, frame(2), second);
    const stoppingSecond = service.stop(1, second);
    await sessions[1]!.stopping;
    sessions[1]!.complete('second words');
    await stoppingSecond;
    await settle();
    expect(servers()).toEqual({ serversStarted: 2, serversClosed: 1 });

    await service.dispose();
    expect(servers()).toEqual({ serversStarted: 2, serversClosed: 2 });
  });

  it('with no dictation running, the old server closes at once; with none started, nothing happens', async () => {
    const { service, listening, sessions, servers } = setupDictationService({
      local: true,
      answerStopWith: 'done',
    });
    service.retireLocalServer();
    expect(servers()).toEqual({ serversStarted: 0, serversClosed: 0 });

    const id = await listening();
    await service.stop(0, id);
    await settle();
    expect(sessions[0]!.closed).toBe(true);
    service.retireLocalServer();
    await settle();
    expect(servers()).toEqual({ serversStarted: 1, serversClosed: 1 });
  });
});

describe('desktop services: settings that change what the local server runs', () => {
  it('a new model, live text on or off, or a new language starts a new server; other settings do not', async () => {
    let started = 0;
    let closed = 0;
    const services = testDesktopServices({
      createSession: scriptedSessions().createSession,
      startLocalServer: async () => {
        started++;
        return { url: 'ws://127.0.0.1:9/v1/realtime', close: async () => void closed++ };
      },
    });
    await services.sessionConfig(); // the local server runs
    const save = async (change: (s: Settings) => void) => {
      const next = structuredClone(services.settings.current);
      change(next);
      expect((await services.saveSettings(next)).ok).toBe(true);
      await services.sessionConfig();
      await settle();
    };
    await save((s) => (s.handsFree.sounds = !s.handsFree.sounds));
    expect({ started, closed }).toEqual({ started: 1, closed: 0 });
    await save((s) => (s.localModels.model = 'sense-voice-small'));
    expect({ started, closed }).toEqual({ started: 2, closed: 1 });
    await save((s) => (s.localModels.livePartials = !s.localModels.livePartials));
    expect({ started, closed }).toEqual({ started: 3, closed: 2 });
    await save((s) => (s.server.language = 'zh'));
    expect({ started, closed }).toEqual({ started: 4, closed: 3 });
  });
});
