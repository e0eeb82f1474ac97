// A scripted far side for each vitest test that asks for one, closed after the test (closing
// it again is harmless, so a test may close it itself to simulate the server going away).
import { afterEach } from 'vitest';
import {
  startScriptedServer,
  type ScriptedServer,
  type ScriptedServerOptions,
} from './scripted-server.ts';

/** Call at the top of a test file; the function it returns starts the test's server. */
export function scriptedServerPerTest(): (
  options: ScriptedServerOptions,
) => Promise<ScriptedServer> {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  return async (options) => {
    server = await startScriptedServer(options);
    return server;
  };
}
