// A long-lived /bin/sh that runs short commands for us. Every process Node starts is a fork
// of all of Node, which takes milliseconds on a busy machine and blocks the event loop while
// it happens; a fork of sh is cheap. The clipboard reads on the paste path go through here.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Socket } from 'node:net';

/** Quotes `text` as one shell word. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

type Shell = ChildProcessByStdio<Writable, Readable, null>;

interface Pending {
  resolve: (out: Buffer) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class CommandShell {
  readonly #env: NodeJS.ProcessEnv;
  #child: Shell | undefined;
  #pending: Pending[] = [];
  #buffered = '';

  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  /** Runs `script` (stdin empty, stderr dropped) and resolves with its standard output. */
  run(script: string, timeoutMs = 3000): Promise<Buffer> {
    const child = this.#start();
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(
        () => this.#fail(new Error(`The command did not finish within ${timeoutMs} ms.`)),
        timeoutMs,
      );
      this.#pending.push({ resolve, reject, timer });
      // One line of base64 per command frames its output, whatever bytes it holds.
      child.stdin.write(`{\n${script}\n} </dev/null 2>/dev/null | base64 -w0; echo\n`);
    });
  }

  #start(): Shell {
    if (this.#child) return this.#child;
    const child = spawn('/bin/sh', [], { env: this.#env, stdio: ['pipe', 'pipe', 'ignore'] });
    // Idle, the shell keeps nothing alive; a pending command's timer does while it runs.
    child.unref();
    for (const s of [child.stdin, child.stdout] as unknown as Socket[]) s.unref();
    child.stdin.on('error', () => {});
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.#buffered += chunk;
      let nl: number;
      while ((nl = this.#buffered.indexOf('\n')) >= 0) {
        const line = this.#buffered.slice(0, nl);
        this.#buffered = this.#buffered.slice(nl + 1);
        const next = this.#pending.shift();
        if (!next) continue;
        clearTimeout(next.timer);
        next.resolve(Buffer.from(line, 'base64'));
      }
    });
    const gone = (): void => {
      if (this.#child === child) this.#fail(new Error('The command shell exited.'));
    };
    child.on('error', gone);
    child.on('exit', gone);
    this.#child = child;
    return child;
  }

  /** Ends the shell and fails what was waiting on it; the next command starts a new one. */
  #fail(err: Error): void {
    const child = this.#child;
    this.#child = undefined;
    this.#buffered = '';
    child?.kill();
    for (const p of this.#pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(err);
    }
  }
}
