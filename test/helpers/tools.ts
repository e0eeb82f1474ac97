// System tools that tests need. They are installed by `npm test` (scripts/system-deps.ts);
// where one is still missing, the suite that needs it is skipped with the reason printed —
// except in CI, where a missing tool is a failure, so that nothing is skipped silently.
import { execFileSync } from 'node:child_process';

export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the reason a suite must be skipped (missing commands), or `undefined` when it can run.
 * Prints the reason; throws in CI.
 */
export function missingTools(suite: string, commands: string[]): string | undefined {
  const missing = commands.filter((c) => !hasCommand(c));
  if (missing.length === 0) return undefined;
  const reason = `${suite}: skipped, missing ${missing.join(', ')} (run: node scripts/system-deps.ts --install)`;
  if (process.env.CI) throw new Error(`${reason} — CI must provide every tool.`);
  console.warn(reason);
  return reason;
}

/**
 * Returns the reason a suite cannot run on this operating system (`why`), printed, or
 * `undefined` when it can.
 */
export function unsupportedPlatform(
  suite: string,
  platforms: readonly NodeJS.Platform[],
  why: string,
): string | undefined {
  if (!platforms.includes(process.platform)) return undefined;
  const reason = `${suite}: skipped on ${process.platform}: ${why}`;
  console.warn(reason);
  return reason;
}
