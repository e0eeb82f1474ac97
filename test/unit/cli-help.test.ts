import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';

function capture() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) },
  };
}

describe('tingxie --help', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('names where secrets come from, and never shows their values', async () => {
    process.env.TINGXIE_API_KEY = 'sk-live-0123456789';
    process.env.TINGXIE_SERVER_TOKEN = 'token-0123456789';
    for (const command of ['transcribe', 'serve']) {
      const { out, io } = capture();
      expect(await runCli([command, '--help'], io)).toBe(0);
      expect(out.stdout).toMatch(/env: TINGXIE_(API_KEY|SERVER_TOKEN)/);
      expect(out.stdout + out.stderr).not.toMatch(/0123456789/);
    }
  });

  it('lists every command', async () => {
    const { out, io } = capture();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const command of ['transcribe', 'serve', 'history']) expect(out.stdout).toContain(command);
  });

  it('refuses an unknown command with a non-zero exit and a reason on stderr', async () => {
    const { out, io } = capture();
    expect(await runCli(['transcrib'], io)).not.toBe(0);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/unknown command/i);
  });
});
