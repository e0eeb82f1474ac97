// The local server loads its native module (onnxruntime-node) when it starts, not when it is
// imported: main imports the server at startup, so a computer where onnxruntime cannot load
// (macOS on Intel, Windows without the Visual C++ runtime) must still start the app, and only
// the local server fails, saying why and what to do.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { onnxRuntimeUnavailableMessage } from '../../src/server/vad/onnx-runtime.ts';

const SERVER = pathToFileURL(join(import.meta.dirname, '../../src/server/index.ts')).href;
const REASON = 'libonnxruntime.so.1: cannot open shared object file (simulated)';

/** Runs in a child Node: every native module fails to load, as on such a computer. */
const CHILD = `
import { registerHooks } from 'node:module';
const refused = [];
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'onnxruntime-node' || specifier.endsWith('.node')) {
      refused.push(specifier);
      throw new Error(${JSON.stringify(REASON)});
    }
    return nextResolve(specifier, context);
  },
});
const result = {};
try {
  const { startLocalServer } = await import(process.env.TINGXIE_SERVER_MODULE);
  result.refusedOnImport = [...refused];
  try {
    const server = await startLocalServer({ engine: 'command', engineOptions: { command: ['true'] } });
    await server.close();
  } catch (err) {
    result.startError = err.message;
  }
} catch (err) {
  result.importError = err.message;
}
console.log(JSON.stringify(result));
`;

describe('the local server without its native module', () => {
  it('imports, and refuses to start with a reason a person can act on', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '--no-warnings', '-e', CHILD],
      { env: { ...process.env, TINGXIE_SERVER_MODULE: SERVER } },
    );
    const result = JSON.parse(stdout) as {
      importError?: string;
      refusedOnImport?: string[];
      startError?: string;
    };
    expect(result.importError).toBeUndefined();
    expect(result.refusedOnImport).toEqual([]);
    expect(result.startError).toContain(
      "The local server's voice detection (onnxruntime-node) could not be loaded on this computer",
    );
    expect(result.startError).toContain(REASON);
    expect(result.startError).toContain('Settings → Server');
  });
});

describe('onnxRuntimeUnavailableMessage', () => {
  it('sends Windows to the Visual C++ runtime for its architecture', () => {
    const message = onnxRuntimeUnavailableMessage(
      'The specified module could not be found.',
      'win32',
      'arm64',
    );
    expect(message).toContain('The specified module could not be found.');
    expect(message).toContain('Microsoft Visual C++ Redistributable');
    expect(message).toContain('https://aka.ms/vs/17/release/vc_redist.arm64.exe');
    expect(message).toContain('Settings → Server');
  });

  it('says that there is no build for an Intel Mac', () => {
    const message = onnxRuntimeUnavailableMessage('Cannot find module', 'darwin', 'x64');
    expect(message).toMatch(/no build .*Intel/);
    expect(message).not.toContain('Visual C++');
  });

  it('gives only the reason and the way out elsewhere', () => {
    const message = onnxRuntimeUnavailableMessage('GLIBC_2.38 not found', 'linux', 'x64');
    expect(message).toContain('GLIBC_2.38 not found');
    expect(message).not.toMatch(/Visual C\+\+|Intel/);
    expect(message).toContain('Settings → Server');
  });
});
