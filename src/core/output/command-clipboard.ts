// A text-only clipboard over the system's own commands, for the CLI on macOS (pbcopy/pbpaste)
// and Windows (PowerShell). The app uses Electron's clipboard, which keeps every format.
import type { Clipboard } from './clipboard.ts';
import { runTool } from './run-tool.ts';

const TEXT = 'text/plain;charset=utf-8';

export function createCommandClipboard(
  platform: 'darwin' | 'win32',
  env: NodeJS.ProcessEnv,
): Clipboard {
  const read = async (): Promise<string> => {
    if (platform === 'darwin')
      return (await runTool('pbpaste', [], { env, timeoutMs: 2000 })).stdout.toString('utf8');
    const { stdout } = await runTool(
      'powershell',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        '[Console]::OutputEncoding=[Text.Encoding]::UTF8; Get-Clipboard -Raw',
      ],
      { env, timeoutMs: 5000 },
    );
    return stdout.toString('utf8').replace(/\r?\n$/, '');
  };
  const write = async (text: string): Promise<void> => {
    if (platform === 'darwin') {
      await runTool('pbcopy', [], {
        env: { ...env, LANG: env.LANG ?? 'en_US.UTF-8' },
        input: text,
      });
      return;
    }
    // The text travels as UTF-8 on stdin, read as such, so CJK and emoji survive.
    await runTool(
      'powershell',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        '$in=[Console]::OpenStandardInput(); $r=New-Object IO.StreamReader($in,[Text.Encoding]::UTF8); Set-Clipboard -Value $r.ReadToEnd()',
      ],
      { env, input: text, timeoutMs: 5000 },
    );
  };
  return {
    async snapshot() {
      const text = await read().catch(() => '');
      return { formats: text ? [{ type: TEXT, data: Buffer.from(text, 'utf8') }] : [] };
    },
    async restore(snapshot) {
      const format = snapshot.formats.find((f) => f.type === TEXT);
      await write(format ? Buffer.from(format.data).toString('utf8') : '');
    },
    readText: read,
    writeText: write,
  };
}
