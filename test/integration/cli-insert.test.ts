// `transcribe --insert`: each final transcript typed or pasted into the focused window — a real
// xterm under Xvfb — as it arrives, while still printed on stdout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { speakSentences, SPEECH_TOOLS, wordErrorRate } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';
import { startXterm, startXvfb, X11_TOOLS, type XServer } from '../helpers/x11.ts';

const PHRASES = ['The weather is nice today.', 'We will meet at the station at noon.'];
const skip = missingTools('CLI --insert', [
  ...SPEECH_TOOLS,
  ...X11_TOOLS,
  'pocketsphinx_continuous',
]);

describe.skipIf(skip)('tingxie transcribe --insert into a real xterm', () => {
  let x: XServer;
  let wav: string;
  beforeAll(async () => {
    x = await startXvfb();
    wav = speakSentences(PHRASES, 1500).path;
  });
  afterAll(() => x?.stop());

  for (const mode of ['type', 'paste'] as const) {
    it(`${mode} mode: the xterm receives each transcript that stdout prints`, async () => {
      const term = await startXterm(x, `insert-${mode}`);
      try {
        await term.focus();
        const run = await runCli(
          ['transcribe', wav, '--engine', 'pocketsphinx', '--insert', mode],
          { env: x.env },
        );
        expect(run.code, run.stderr).toBe(0);
        const lines = run.stdout.trimEnd().split('\n');
        expect(lines).toHaveLength(PHRASES.length);
        expect(wordErrorRate(PHRASES.join(' '), lines.join(' '))).toBeLessThanOrEqual(0.2);
        // Each transcript is inserted with a trailing space, in order.
        await term.waitForText(lines.map((l) => `${l} `).join(''));
      } finally {
        await term.stop();
      }
    });
  }
});
