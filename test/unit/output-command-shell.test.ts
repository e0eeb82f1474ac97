import { describe, expect, test } from 'vitest';
import { CommandShell, shellQuote } from '../../src/core/output/command-shell.ts';

describe('CommandShell', () => {
  test('runs commands in order and returns their exact output', async () => {
    const shell = new CommandShell(process.env);
    const [a, b, c] = await Promise.all([
      shell.run("printf '%s' 'hello 你好 🎤'"),
      shell.run("printf 'two\\nlines\\n'"),
      shell.run('exit 3'),
    ]);
    expect(a.toString('utf8')).toBe('hello 你好 🎤');
    expect(b.toString('utf8')).toBe('two\nlines\n');
    expect(c.length).toBe(0);
    const bytes = await shell.run("printf '\\000\\377\\n'");
    expect([...bytes]).toEqual([0, 255, 10]);
  });

  test('a command that hangs fails after its timeout, and the next one works', async () => {
    const shell = new CommandShell(process.env);
    await expect(shell.run('sleep 5', 100)).rejects.toThrow(/did not finish within 100 ms/);
    expect((await shell.run('echo ok')).toString()).toBe('ok\n');
  });

  test('shellQuote makes one word of anything', async () => {
    const shell = new CommandShell(process.env);
    const word = `it's "x" $HOME \`id\` ; rm -rf /`;
    expect((await shell.run(`printf '%s' ${shellQuote(word)}`)).toString()).toBe(word);
  });
});
