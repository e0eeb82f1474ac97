// The X11 CLIPBOARD selection through xclip.
//
// On X11 the clipboard is not a buffer but a program (the selection owner) that answers each
// application's requests. Tingxie's paste offer is an xclip kept in the foreground with
// `-verbose`: it prints one line per request it waits for, which is how we see the target
// application read the text, and it exits by itself when another program takes the selection.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../log.ts';
import { silentLogger } from '../log.ts';
import { primaryFormat } from './clipboard.ts';
import type { Clipboard, ClipboardFormat, ClipboardOffer, ClipboardSnapshot } from './clipboard.ts';
import { runTool, spawnError, ToolError } from './run-tool.ts';

// Targets that describe the selection rather than hold its content.
const META_TARGETS = new Set([
  'TARGETS',
  'MULTIPLE',
  'TIMESTAMP',
  'SAVE_TARGETS',
  'DELETE',
  'INSERT_SELECTION',
  'INSERT_PROPERTY',
  'TEXT',
  'COMPOUND_TEXT',
]);

/** How long the owner must go without a new request before a paste counts as done. An X11
 * paste is a short conversation (GTK asks for TARGETS, then for the text; xterm asks once) and
 * the owner cannot tell which request is the last, so a brief quiet spell is the only signal
 * xclip gives. Restoring before the last request would paste the old clipboard. */
const READ_QUIET_MS = 60;
const OWNERSHIP_TIMEOUT_MS = 2000;

export interface X11ClipboardOptions {
  env: NodeJS.ProcessEnv;
  log?: Logger;
}

export function createX11Clipboard(options: X11ClipboardOptions): Clipboard {
  const { env } = options;
  const log = options.log ?? silentLogger;
  const base = ['-selection', 'clipboard'];
  let offerer: ChildProcess | undefined;

  const read = async (target: string): Promise<Uint8Array | undefined> => {
    try {
      return (await runTool('xclip', [...base, '-o', '-t', target], { env, timeoutMs: 1000 }))
        .stdout;
    } catch (err) {
      if ((err as ToolError).missing) throw err;
      return undefined; // no owner, or the owner refused this target
    }
  };

  /** Takes the selection with a daemonized xclip that outlives Tingxie. */
  const own = async (type: string, data: string | Uint8Array): Promise<void> => {
    // Without -verbose, xclip forks into the background and its parent exits at once. The
    // daemon inherits our pipes, so we wait for the parent's exit (not for the pipes to close);
    // `detached` keeps it out of our process group, so Ctrl+C on the CLI spares the clipboard.
    const child = spawn('xclip', [...base, '-i', '-t', type], {
      env,
      detached: true,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdin.on('error', () => {});
    child.stdin.end(data);
    await new Promise<void>((resolve, reject) => {
      child.on('error', (e) => reject(spawnError('xclip', e)));
      child.on('exit', (code) => {
        child.stderr.destroy();
        if (code === 0) resolve();
        else reject(new ToolError('xclip', `xclip could not take the clipboard: ${stderr.trim()}`));
      });
    });
    await offererGone();
  };

  /** Waits until our foreground offerer has lost the selection (the new owner took it). */
  const offererGone = async (): Promise<void> => {
    const child = offerer;
    offerer = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const timer = setTimeout(() => child.kill(), OWNERSHIP_TIMEOUT_MS);
    await gone;
    clearTimeout(timer);
  };

  return {
    async snapshot(): Promise<ClipboardSnapshot> {
      // Nearly every owner offers UTF8_STRING: read it alongside the list, saving a round.
      const utf8 = read('UTF8_STRING').catch(() => undefined);
      const targets = await read('TARGETS');
      if (!targets) return { formats: [] };
      const types = [
        ...new Set(
          Buffer.from(targets)
            .toString('utf8')
            .split('\n')
            .map((t) => t.trim())
            .filter((t) => t && !META_TARGETS.has(t)),
        ),
      ];
      const formats: ClipboardFormat[] = [];
      const data = await Promise.all(types.map((t) => (t === 'UTF8_STRING' ? utf8 : read(t))));
      types.forEach((type, i) => {
        const bytes = data[i];
        if (bytes) formats.push({ type, data: bytes });
      });
      return { formats };
    },

    async restore(snapshot: ClipboardSnapshot): Promise<void> {
      const child = offerer;
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        // Our offer already lost the selection: someone copied something since. Keep theirs.
        offerer = undefined;
        return;
      }
      const format = primaryFormat(snapshot);
      if (!format) {
        // It was empty: ending our offer leaves the selection without an owner, as before.
        child.kill();
        await offererGone();
        return;
      }
      if (snapshot.formats.length > 1)
        log.debug(
          `Clipboard: restoring ${format.type}; xclip serves one format, so ${snapshot.formats
            .filter((f) => f !== format)
            .map((f) => f.type)
            .join(', ')} were not put back.`,
        );
      await own(format.type, format.data);
    },

    async readText(): Promise<string> {
      const bytes = (await read('UTF8_STRING')) ?? (await read('STRING'));
      return bytes ? Buffer.from(bytes).toString('utf8') : '';
    },

    async writeText(text: string): Promise<void> {
      await own('UTF8_STRING', text);
    },

    async offer(text: string): Promise<ClipboardOffer> {
      const previous = offerer;
      const child = spawn('xclip', [...base, '-i', '-verbose', '-t', 'UTF8_STRING'], {
        env,
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      offerer = child;
      let served = 0;
      const listeners = new Set<() => void>();
      let buffered = '';
      const owned = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          child.kill();
          reject(new ToolError('xclip', 'xclip did not take the clipboard in time.'));
        }, OWNERSHIP_TIMEOUT_MS);
        child.stderr!.setEncoding('utf8');
        child.stderr!.on('data', (chunk: string) => {
          buffered += chunk;
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl);
            buffered = buffered.slice(nl + 1);
            // xclip 0.13: "Waiting for selection requests, Control-C to quit" once it owns the
            // selection, then "Waiting for selection request number N" after serving N-1.
            if (line.startsWith('Waiting for selection requests')) {
              clearTimeout(timer);
              resolve();
            }
            const n = /selection request number (\d+)/.exec(line);
            if (n) {
              served = Number(n[1]) - 1;
              for (const l of listeners) l();
            }
          }
        });
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(spawnError('xclip', e));
        });
        child.on('exit', (code) => {
          clearTimeout(timer);
          reject(new ToolError('xclip', `xclip exited (${code}) before taking the clipboard.`));
        });
      });
      child.stdin!.on('error', () => {});
      child.stdin!.end(text);
      await owned;
      // An earlier offer (a paste that was never read) loses the selection to this one.
      if (previous && previous !== child) previous.kill();

      return {
        nextRead(timeoutMs: number): Promise<boolean> {
          const armedAt = served;
          return new Promise((resolve) => {
            let quiet: NodeJS.Timeout | undefined;
            const finish = (read: boolean): void => {
              clearTimeout(deadline);
              clearTimeout(quiet);
              listeners.delete(onRequest);
              child.off('exit', onExit);
              resolve(read);
            };
            const onRequest = (): void => {
              if (served <= armedAt) return;
              clearTimeout(quiet);
              quiet = setTimeout(() => finish(true), READ_QUIET_MS);
            };
            const onExit = (): void => finish(served > armedAt);
            const deadline = setTimeout(() => finish(served > armedAt), timeoutMs);
            listeners.add(onRequest);
            child.once('exit', onExit);
          });
        },
      };
    },
  };
}
