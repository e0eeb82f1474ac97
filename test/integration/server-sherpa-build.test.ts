// The sherpa recognizer's process where the app runs it: electron-vite builds its script beside
// main's bundle, where the engine looks for it, and electron-builder unpacks it with
// sherpa-onnx's native packages. Also what it says where sherpa-onnx-node cannot load.
import { execFile, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, matchesGlob } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { recognizerConfig } from '../../src/server/engines/sherpa-config.ts';
import type { WorkerReply, WorkerRequest } from '../../src/server/engines/sherpa-worker.ts';
import { workerScript } from '../../src/server/engines/sherpa.ts';
import { pcm16ToFloat } from '../../src/shared/audio/pcm.ts';
import { EXPECTED_TEXT, writeSenseVoiceModel } from '../helpers/sense-voice-graph.ts';
import { RATE, TONES } from '../helpers/tone-turns.ts';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'tingxie-sherpa-build-'));
const model = {
  id: 'tiny',
  kind: 'sense-voice' as const,
  files: writeSenseVoiceModel(join(dir, 'tiny')),
  languages: ['zh', 'en'],
};

/** Starts `script` as the engine does, sends it `requests` and resolves with its replies. */
async function converse(
  script: string,
  requests: WorkerRequest[],
  execArgv: string[] = [],
): Promise<WorkerReply[]> {
  const worker = fork(script, [], {
    execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const replies: WorkerReply[] = [];
  try {
    for (const request of requests) {
      replies.push(
        await new Promise<WorkerReply>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('exit', (code) => reject(new Error(`the recognizer exited (${code})`)));
          worker.send(request);
        }),
      );
    }
  } finally {
    worker.kill();
  }
  return replies;
}

const requests: WorkerRequest[] = [
  { type: 'load', recognizer: recognizerConfig(model, 'zh', 1) },
  { type: 'decode', samples: pcm16ToFloat(TONES), sampleRate: RATE },
];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the app's build", () => {
  // Inside the project, so that the built script finds node_modules as it does in out/.
  const outDir = join(root, 'node_modules/.cache', `tingxie-sherpa-build-${process.pid}`);
  beforeAll(async () => {
    await promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', outDir],
      { cwd: root },
    );
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test("puts the recognizer's script where the bundled engine looks, and it decodes there", async () => {
    // The bundled file that holds the engine (index.js, or a chunk if main ever splits it).
    const bundled = readdirSync(join(outDir, 'main'), { recursive: true, encoding: 'utf8' })
      .map((f) => join(outDir, 'main', f))
      .filter((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes('app.asar.unpacked'));
    expect(bundled).toHaveLength(1);
    const script = workerScript(pathToFileURL(bundled[0]!).href);
    expect(existsSync(script)).toBe(true);
    const [loaded, decoded] = await converse(script, requests);
    expect(loaded).toMatchObject({ type: 'loaded' });
    expect(decoded).toEqual({ type: 'decoded', text: EXPECTED_TEXT.zh });
  });
});

describe('electron-builder.yml', () => {
  const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
    asarUnpack: string[];
    electronFuses?: { runAsNode?: boolean };
  };

  test("leaves Electron's runAsNode fuse on: the recognizer's process is Electron run as Node", () => {
    expect(config.electronFuses?.runAsNode).not.toBe(false);
  });

  test("unpacks the recognizer's script and every file of sherpa-onnx's packages", () => {
    const unpacked = (path: string) => config.asarUnpack.some((glob) => matchesGlob(path, glob));
    expect(unpacked('out/main/sherpa-worker.js')).toBe(true);
    const platform = `sherpa-onnx-${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
    for (const file of ['sherpa-onnx.node', 'index.js', 'package.json']) {
      expect(existsSync(join(root, 'node_modules', platform, file))).toBe(true);
      expect(unpacked(`node_modules/${platform}/${file}`)).toBe(true);
    }
    // The libraries the .node loads from beside itself (Linux: .so, macOS: .dylib, Windows: .dll).
    expect(unpacked(`node_modules/${platform}/libonnxruntime.so`)).toBe(true);
    expect(unpacked('node_modules/sherpa-onnx-node/addon.js')).toBe(true);
  });
});

describe('where sherpa-onnx-node cannot load', () => {
  test('the recognizer says so and what to do, and keeps running', async () => {
    const refuse = `
      import { registerHooks } from 'node:module';
      registerHooks({
        resolve(specifier, context, next) {
          if (specifier === 'sherpa-onnx-node') throw new Error('libsherpa-onnx-c-api.so: cannot open shared object file (simulated)');
          return next(specifier, context);
        },
      });`;
    const replies = await converse(
      workerScript(pathToFileURL(join(root, 'src/server/engines/sherpa.ts')).href),
      requests,
      ['--import', `data:text/javascript,${encodeURIComponent(refuse)}`],
    );
    expect(replies).toEqual([
      {
        type: 'load-failed',
        message:
          'sherpa-onnx-node could not be loaded on this computer: libsherpa-onnx-c-api.so: cannot open shared object file (simulated). Reinstall Tingxie, or choose another engine.',
      },
      { type: 'decode-failed', message: 'No model is loaded.' },
    ]);
  });
});
