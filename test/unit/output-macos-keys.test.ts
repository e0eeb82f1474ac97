// The macOS key backend when macOS refuses it: a stand-in osascript prints what the real one
// prints for each refusal, and the backend must say which setting to change.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createMacKeys } from '../../src/core/output/macos-keys.ts';
import { unsupportedPlatform } from '../helpers/tools.ts';

const dir = mkdtempSync(join(tmpdir(), 'tingxie-osascript-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The backend, with an osascript that prints `stderr` and fails as the real one does. */
function refusedWith(stderr: string) {
  const bin = mkdtempSync(join(dir, 'bin-'));
  const osascript = join(bin, 'osascript');
  writeFileSync(osascript, `#!/bin/sh\nprintf '%s\\n' '${stderr}' >&2\nexit 1\n`);
  chmodSync(osascript, 0o755);
  return createMacKeys({ PATH: bin });
}

const unsupported = unsupportedPlatform(
  'macOS keys refused by macOS',
  ['win32'],
  'its stand-in osascript is a shell script',
);

describe.skipIf(unsupported !== undefined)('macOS keys refused by macOS', () => {
  test('Automation denied (-1743): says to let Tingxie control System Events', async () => {
    const keys = refusedWith(
      '36:73: execution error: Not authorized to send Apple events to System Events. (-1743)',
    );
    await expect(keys.paste(undefined)).rejects.toThrow(
      /Privacy & Security → Automation.*Tingxie.*System Events/,
    );
    await expect(keys.type('你好', undefined)).rejects.toThrow(/Automation/);
  });

  test('Automation denied, in another language: recognised by its number', async () => {
    const keys = refusedWith(
      '36:73: execution error: 未获得授权将Apple事件发送给System Events。 (-1743)',
    );
    await expect(keys.paste(undefined)).rejects.toThrow(/Privacy & Security → Automation/);
  });

  test('Accessibility denied (1002, -1719): says to turn Tingxie on under Accessibility', async () => {
    for (const stderr of [
      '48:74: execution error: System Events got an error: osascript is not allowed to send keystrokes. (1002)',
      '48:74: execution error: System Events got an error: osascript is not allowed assistive access. (-1719)',
    ]) {
      await expect(refusedWith(stderr).paste(undefined)).rejects.toThrow(
        /Privacy & Security → Accessibility/,
      );
    }
  });

  test('any other failure keeps what osascript said', async () => {
    const keys = refusedWith('0:5: syntax error: A unknown token can’t go here. (-2740)');
    await expect(keys.paste(undefined)).rejects.toThrow(/osascript failed \(exit 1\).*-2740/);
  });
});
