// A private X server (Xvfb) and real xterm windows for tests of keys, hooks and insertion.
// Everything waits for an observable condition (the display answering, the window mapped,
// the file holding the text) with a bounded timeout that fails with a reason.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const X11_TOOLS = ['Xvfb', 'xdpyinfo', 'xdotool', 'xterm', 'xclip', 'xprop'];

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 50);
  }
}

export interface XServer {
  display: string;
  /** The environment for tools that should talk to this display (UTF-8 locale). */
  env: NodeJS.ProcessEnv;
  run(tool: string, args: string[], input?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `Xvfb` on a free display (Xvfb picks it: `-displayfd`) and waits until it answers.
 * A small shell keeps it: the server stops when `stop()` is called or, at the latest, when
 * this process exits (its stdin pipe closes) — so it never outlives the test, and a client
 * that keeps connections open until exit (libuiohook) can be left to go first.
 */
export async function startXvfb(): Promise<XServer> {
  const xvfb = spawn(
    'sh',
    [
      '-c',
      'Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset & x=$!; read _; kill $x; wait $x',
    ],
    { stdio: ['pipe', 'ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  xvfb.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const number = await new Promise<string>((resolve, reject) => {
    let out = '';
    const fd3 = xvfb.stdio[3] as NodeJS.ReadableStream;
    fd3.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${stderr.slice(-500)}`)));
  });
  const display = `:${number}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DISPLAY: display,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
  };
  delete env.WAYLAND_DISPLAY;
  delete env.XDG_SESSION_TYPE;
  const run = async (tool: string, args: string[], input?: string): Promise<string> => {
    const child = execFile(tool, args, { env, encoding: 'utf8', timeout: 10_000 });
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stdout!.on('data', (s: string) => (out += s));
      child.stderr!.on('data', (s: string) => (err += s));
      child.on('close', (code) =>
        code === 0
          ? resolve(out)
          : reject(new Error(`${tool} ${args.join(' ')}: exit ${code}: ${err}`)),
      );
    });
  };
  await waitFor(
    () =>
      exec('xdpyinfo', [], { env }).then(
        () => true,
        () => false,
      ),
    `Xvfb ${display} to accept connections`,
  );
  // Let this process exit while the server runs; exiting closes the pipe, which stops it.
  xvfb.unref();
  for (const stream of xvfb.stdio) (stream as Socket | null)?.unref();
  return {
    display,
    env,
    run,
    async stop() {
      const exited = new Promise((resolve) => xvfb.once('exit', resolve));
      xvfb.stdin!.end();
      await exited;
    },
  };
}

/** Puts `data` on the CLIPBOARD selection as `type`, the way a person's copy would (an xclip
 * daemon owns it), and waits until the selection offers it. */
export async function setClipboard(x: XServer, data: string, type = 'UTF8_STRING'): Promise<void> {
  // xclip forks a daemon that keeps inherited pipes open, so wait for the parent's exit only.
  const xclip = spawn('xclip', ['-selection', 'clipboard', '-i', '-t', type], {
    env: x.env,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const exited = new Promise((resolve) => xclip.once('exit', resolve));
  xclip.stdin!.end(data);
  const code = await exited;
  if (code !== 0) throw new Error(`xclip could not set the clipboard (exit ${String(code)}).`);
  await waitFor(
    async () =>
      (await x
        .run('xclip', ['-selection', 'clipboard', '-o', '-t', type])
        .catch(() => undefined)) === data,
    `the clipboard to hold ${type}`,
  );
}

export interface Xterm {
  window: string;
  /** The file the terminal's program writes what it reads to. */
  file: string;
  /** Everything the terminal's program has read from the keyboard so far. */
  received(): string;
  /** Waits until the terminal has received `text` (raw bytes, no line editing). */
  waitForText(text: string, timeoutMs?: number): Promise<void>;
  focus(): Promise<void>;
  stop(): Promise<void>;
}

// Paste in xterm with Ctrl+Shift+V from the CLIPBOARD selection, as the terminals Tingxie
// detects do; xterm has no such binding by default.
const XTERM_RESOURCES = [
  '-xrm',
  'XTerm*selectToClipboard: true',
  '-xrm',
  'XTerm*VT100.translations: #override Ctrl Shift <Key>V: insert-selection(CLIPBOARD)',
];

/** Opens an xterm whose program writes every byte it reads (raw tty, no echo) to a file. */
export async function startXterm(x: XServer, title = 'tingxie-test'): Promise<Xterm> {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-xterm-'));
  const file = join(dir, 'received');
  const xterm = spawn(
    'xterm',
    [
      '-u8',
      '-fa',
      'Noto Sans Mono CJK SC',
      '-T',
      title,
      ...XTERM_RESOURCES,
      '-e',
      'sh',
      '-c',
      `stty raw -echo; exec cat > '${file}'`,
    ],
    { env: x.env, stdio: 'ignore' },
  );
  const window = await waitFor(async () => {
    if (xterm.exitCode !== null) throw new Error(`xterm exited (${xterm.exitCode}).`);
    // The window is ready for keys once it is mapped and its program has opened the file.
    const out = await x
      .run('xdotool', ['search', '--onlyvisible', '--pid', String(xterm.pid)])
      .catch(() => '');
    const id = out.trim().split('\n')[0];
    return id && existsSync(file) ? id : undefined;
  }, 'the xterm window to appear');
  const received = (): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const term: Xterm = {
    window,
    received,
    file,
    waitForText: (text, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        // inotify, not polling: the bench times this to the millisecond.
        const watcher = watch(file, () => check());
        const timer = setTimeout(() => {
          watcher.close();
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for xterm to receive ${JSON.stringify(text)} (has ${JSON.stringify(received())}).`,
            ),
          );
        }, timeoutMs);
        const check = (): void => {
          if (!received().includes(text)) return;
          watcher.close();
          clearTimeout(timer);
          resolve();
        };
        check();
      }),
    async focus() {
      await x.run('xdotool', ['windowfocus', '--sync', window]);
    },
    async stop() {
      await stopProcess(xterm);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return term;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill();
  await exited;
}
