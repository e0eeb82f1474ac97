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
import { CommandShell, shellQuote } from './command-shell.ts';
import { hasTool, spawnError, startTool, ToolError } from './run-tool.ts';
import type { StartedTool } from './run-tool.ts';

// Targets that describe the selection rather than hold content, or repeat the text in legacy
// encodings (TEXT, COMPOUND_TEXT).
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

// Prints "TARGET<tab>base64 bytes" for each format the clipboard holds. An owner that never
// answers is cut off by the command shell's timeout.
const SNAPSHOT_SCRIPT = `
targets=$(xclip -selection clipboard -o -t TARGETS 2>/dev/null) || exit 0
printf '%s\\n' "$targets" | while IFS= read -r t; do
  case "$t" in ${[...META_TARGETS].join('|')}|'') continue ;; esac
  printf '%s\\t%s\\n' "$t" "$(xclip -selection clipboard -o -t "$t" 2>/dev/null | base64 -w0)"
done`;

/** How long the owner must go without a new request before a paste counts as done. An X11
 * paste is a short conversation (GTK asks for TARGETS, then for the text; xterm asks once) and
 * the owner cannot tell which request is the last, so a brief quiet spell is the only signal
 * xclip gives. Restoring before the last request would paste the old clipboard. */
const READ_QUIET_MS = 60;
const OWNERSHIP_TIMEOUT_MS = 2000;

/** Follows a verbose xclip's stderr: `owned` once it owns the selection, `served()` requests
 * answered so far, `listeners` called on each. */
function watchOwner(child: ChildProcess): {
  owned: Promise<void>;
  served: () => number;
  listeners: Set<() => void>;
} {
  let served = 0;
  const listeners = new Set<() => void>();
  let buffered = '';
  let stderr = '';
  const owned = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new ToolError('xclip', 'xclip did not take the clipboard in time.'));
    }, OWNERSHIP_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        stderr += `${line}\n`;
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
      reject(
        code === 127
          ? new ToolError('xclip', 'xclip is not installed.', { missing: true })
          : new ToolError(
              'xclip',
              `xclip exited (${code}) before taking the clipboard: ${stderr.trim()}`,
            ),
      );
    });
  });
  owned.catch(() => {}); // reported to whoever awaits it
  return { owned, served: () => served, listeners };
}

/** Whether `owner` serves a request beyond `before` within `graceMs`. */
function servedSince(
  owner: ReturnType<typeof watchOwner>,
  before: number,
  graceMs: number,
): Promise<boolean> {
  if (owner.served() > before) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      owner.listeners.delete(onServed);
      clearTimeout(timer);
      resolve(ok);
    };
    const onServed = (): void => done(true);
    const timer = setTimeout(() => done(owner.served() > before), graceMs);
    owner.listeners.add(onServed);
  });
}

export interface X11ClipboardOptions {
  env: NodeJS.ProcessEnv;
  log?: Logger;
}

export function createX11Clipboard(options: X11ClipboardOptions): Clipboard {
  const { env } = options;
  const log = options.log ?? silentLogger;
  const base = ['-selection', 'clipboard'];
  let offerer: ChildProcess | undefined;
  let standby: StartedTool | undefined;
  // The paste offer: an xclip in the foreground, printing a line per request it waits for.
  // It connects to the X server at once and takes the selection once its stdin closes.
  const startOfferer = (): StartedTool =>
    startTool(
      'xclip',
      [...base, '-i', '-verbose', '-t', 'UTF8_STRING'],
      { env, timeoutMs: 0 },
      true,
    );

  const shell = new CommandShell(env);
  /** One format's bytes, or undefined (no owner, or the owner refused the format). */
  const read = async (target: string): Promise<Uint8Array | undefined> => {
    const out = await shell
      .run(`xclip -selection clipboard -o -t ${shellQuote(target)}`, 1000)
      .catch(() => undefined);
    return out?.length ? out : undefined;
  };

  /**
   * Waits until the X server knows `owner` owns the selection. xclip prints that it waits for
   * requests right after asking for the selection but before that request leaves its buffer,
   * so a paste sent at once could still reach the previous owner and paste the old content.
   * A request of our own that `owner` answers proves the server has it.
   */
  const confirmOwnership = async (
    owner: ReturnType<typeof watchOwner>,
    type: string,
  ): Promise<void> => {
    const deadline = Date.now() + OWNERSHIP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const before = owner.served();
      await read(type); // xclip counts data requests, not TARGETS
      // Its log line and our reader's exit race: give the line a moment.
      if (await servedSince(owner, before, 50)) return;
    }
    throw new ToolError('xclip', 'xclip did not take the clipboard in time.');
  };

  /** Takes the selection with an xclip that outlives Tingxie, and waits until it owns it. */
  const own = async (type: string, data: string | Uint8Array): Promise<void> => {
    // -verbose keeps xclip in the foreground and says when it owns the selection (a daemonized
    // xclip's parent exits before its child does, so a paste right after could still reach
    // the old owner). SIGPIPE is ignored so that it outlives the stderr pipe we close after;
    // `detached` keeps it out of our process group, so Ctrl+C on the CLI spares the clipboard.
    const child = spawn(
      '/bin/sh',
      ['-c', 'trap "" PIPE; exec xclip "$@"', 'xclip', ...base, '-i', '-verbose', '-t', type],
      { env, detached: true, stdio: ['pipe', 'ignore', 'pipe'] },
    );
    child.stdin.on('error', () => {});
    child.stdin.end(data);
    try {
      const owner = watchOwner(child);
      await owner.owned;
      await confirmOwnership(owner, type);
    } finally {
      child.stderr.destroy();
      child.unref();
    }
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
      // The offer's xclip starts now, so its start-up overlaps the reads (see offer()).
      standby ??= startOfferer();
      if (!hasTool('xclip', env))
        throw new ToolError('xclip', 'xclip is not installed.', { missing: true });
      // One shell command reads every format (see command-shell.ts).
      const stdout = await shell.run(SNAPSHOT_SCRIPT);
      const formats: ClipboardFormat[] = [];
      for (const line of stdout.toString('utf8').split('\n')) {
        const tab = line.indexOf('\t');
        if (tab <= 0 || tab === line.length - 1) continue; // nothing, or an empty format
        formats.push({
          type: line.slice(0, tab),
          data: Buffer.from(line.slice(tab + 1), 'base64'),
        });
      }
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
      const started = standby ?? startOfferer();
      standby = undefined;
      const { child } = started;
      if (child.pid === undefined)
        throw new ToolError('xclip', 'xclip is not installed.', { missing: true });
      if (child.exitCode !== null)
        throw new ToolError('xclip', 'xclip exited before taking the clipboard.');
      offerer = child;
      const watch = watchOwner(child);
      // Resolves when the offer ends (it lost the selection); failures show up as `owned`.
      started.finish(text).catch(() => {});
      await watch.owned;
      await confirmOwnership(watch, 'UTF8_STRING');
      // An earlier offer (a paste that was never read) loses the selection to this one.
      if (previous && previous !== child) previous.kill();

      return {
        nextRead(timeoutMs: number): Promise<boolean> {
          const armedAt = watch.served();
          return new Promise((resolve) => {
            let quiet: NodeJS.Timeout | undefined;
            const finish = (read: boolean): void => {
              clearTimeout(deadline);
              clearTimeout(quiet);
              watch.listeners.delete(onRequest);
              child.off('exit', onExit);
              resolve(read);
            };
            const onRequest = (): void => {
              if (watch.served() <= armedAt) return;
              clearTimeout(quiet);
              quiet = setTimeout(() => finish(true), READ_QUIET_MS);
            };
            const onExit = (): void => finish(watch.served() > armedAt);
            const deadline = setTimeout(() => finish(watch.served() > armedAt), timeoutMs);
            watch.listeners.add(onRequest);
            child.once('exit', onExit);
          });
        },
      };
    },
  };
}
