// Running the small system tools that insert text (xdotool, xclip, wtype, osascript, …):
// find them on the PATH of the environment we were given, feed stdin, bound the time.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ToolRun {
  stdout: Buffer;
  stderr: string;
}

/** A tool failed; `message` is for a person, `missing` says the tool is not installed. */
export class ToolError extends Error {
  readonly tool: string;
  readonly missing: boolean;
  readonly stderr: string;
  constructor(tool: string, message: string, options: { missing?: boolean; stderr?: string } = {}) {
    super(message);
    this.name = 'ToolError';
    this.tool = tool;
    this.missing = options.missing ?? false;
    this.stderr = options.stderr ?? '';
  }
}

/** The error for a tool that could not be started. */
export function spawnError(tool: string, e: NodeJS.ErrnoException): ToolError {
  return e.code === 'ENOENT'
    ? new ToolError(tool, `${tool} is not installed.`, { missing: true })
    : new ToolError(tool, `${tool} could not run: ${e.message}`);
}

/** Whether `name` is an executable on `env.PATH`. */
export function hasTool(name: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this directory
    }
  }
  return false;
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  input?: string | Uint8Array;
  /** A tool that talks to a stuck X client or a permission prompt can hang; give up after
   * this (default 5 s; 0: never, for a tool that serves until told to stop). */
  timeoutMs?: number;
}

/** A started tool: `finish` writes its stdin (and closes it), then waits for it to exit. */
export interface StartedTool {
  readonly child: ChildProcess;
  finish(input?: string | Uint8Array): Promise<ToolRun>;
}

/**
 * Starts `tool args…` now, to be finished later. A tool started ahead on standby (it waits
 * for its stdin) takes its start-up cost off the latency path; until `finish` it does not
 * keep this process alive.
 */
export function startTool(
  tool: string,
  args: readonly string[],
  options: Omit<RunOptions, 'input'>,
  standby = false,
): StartedTool {
  const child = spawn(tool, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const streams = [child.stdin, child.stdout, child.stderr] as unknown as Socket[];
  if (standby) {
    child.unref();
    for (const s of streams) s.unref();
  }
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.on('error', () => {}); // a tool that exits without reading stdin is judged by its exit code
  let timedOut = false;
  const result = new Promise<ToolRun>((resolve, reject) => {
    child.on('error', (e) => reject(spawnError(tool, e)));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else if (timedOut)
        reject(new ToolError(tool, `${tool} did not finish in time and was stopped.`, { stderr }));
      else
        reject(
          new ToolError(
            tool,
            `${tool} failed (exit ${code})${stderr ? `: ${firstLine(stderr)}` : ''}`,
            { stderr },
          ),
        );
    });
  });
  result.catch(() => {}); // reported by finish(); a standby never finished must not crash us
  return {
    child,
    finish(input) {
      for (const s of streams) s.ref();
      const timeoutMs = options.timeoutMs ?? 5000;
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              timedOut = true;
              child.kill();
            }, timeoutMs)
          : undefined;
      child.stdin.end(input ?? '');
      return result.finally(() => clearTimeout(timer));
    },
  };
}

/** Runs `tool args…`, resolving with its output, or rejecting with a {@link ToolError}. */
export function runTool(
  tool: string,
  args: readonly string[],
  options: RunOptions,
): Promise<ToolRun> {
  return startTool(tool, args, options).finish(options.input);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}
