// The Wayland clipboard through wl-clipboard (wl-copy, wl-paste).
import { spawn } from 'node:child_process';
import { primaryFormat } from './clipboard.ts';
import type { Clipboard, ClipboardFormat, ClipboardOffer, ClipboardSnapshot } from './clipboard.ts';
import { runTool, spawnError } from './run-tool.ts';

const TEXT = 'text/plain;charset=utf-8';

export function createWaylandClipboard(env: NodeJS.ProcessEnv): Clipboard {
  const paste = async (args: string[]): Promise<Uint8Array | undefined> => {
    try {
      return (await runTool('wl-paste', ['--no-newline', ...args], { env, timeoutMs: 1000 }))
        .stdout;
    } catch (err) {
      if ((err as { missing?: boolean }).missing) throw err;
      return undefined; // empty clipboard, or the type is gone
    }
  };
  // wl-copy forks and serves the clipboard in the background; its parent exits at once.
  const copy = (type: string, data: string | Uint8Array) =>
    runTool('wl-copy', ['--type', type], { env, input: data, timeoutMs: 2000 });

  return {
    async snapshot(): Promise<ClipboardSnapshot> {
      const list = await paste(['--list-types']);
      if (!list) return { formats: [] };
      const types = Buffer.from(list).toString('utf8').split('\n').filter(Boolean);
      const formats: ClipboardFormat[] = [];
      for (const type of types) {
        const data = await paste(['--type', type]);
        if (data) formats.push({ type, data });
      }
      return { formats };
    },
    async restore(snapshot) {
      const format = primaryFormat(snapshot);
      if (format) await copy(format.type, format.data);
      else await runTool('wl-copy', ['--clear'], { env, timeoutMs: 2000 });
    },
    async readText() {
      const data = await paste(['--type', 'text']);
      return data ? Buffer.from(data).toString('utf8') : '';
    },
    async writeText(text) {
      await copy(TEXT, text);
    },
    async offer(text): Promise<ClipboardOffer> {
      // --paste-once: wl-copy serves one paste and exits — the sign the paste happened.
      const child = spawn('wl-copy', ['--foreground', '--paste-once', '--type', TEXT], {
        env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      const exited = new Promise<boolean>((resolve, reject) => {
        child.on('error', (e) => reject(spawnError('wl-copy', e)));
        child.on('exit', (code) => resolve(code === 0));
      });
      child.stdin.on('error', () => {});
      child.stdin.end(text);
      return {
        nextRead(timeoutMs) {
          return new Promise((resolve) => {
            const timer = setTimeout(() => {
              child.kill();
              resolve(false);
            }, timeoutMs);
            exited.then(
              (read) => {
                clearTimeout(timer);
                resolve(read);
              },
              () => resolve(false),
            );
          });
        },
      };
    },
  };
}
