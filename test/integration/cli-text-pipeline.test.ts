// The CLI's text pipeline against the local server with a real recognizer (pocketsphinx on
// festival speech): --vocabulary, --rules, --script and the step flags change what is printed
// and saved; a vocabulary or rules file with a mistake is refused, with its line, before
// anything is transcribed.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { SPEECH_TOOLS, speakSentences } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';

/** pocketsphinx hears festival's "Kubernetes" here as "to their needs". */
const SENTENCE = 'We deploy the new version on Kubernetes today.';
const HEARD = 'we deploy the new version on to their needs today';

const skip = missingTools('CLI text pipeline', [...SPEECH_TOOLS, 'pocketsphinx_continuous', 'sox']);

/** A file with `text` in a new folder. */
function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tingxie-cli-text-')), name);
  writeFileSync(path, text);
  return path;
}

describe.skipIf(skip)('tingxie transcribe through the text pipeline', () => {
  let wav: string;
  let vocabulary: string;
  let rules: string;
  beforeAll(async () => {
    wav = speakSentences([SENTENCE], 1500).path;
    vocabulary = file(
      'vocabulary.txt',
      '# what pocketsphinx writes for it\nKubernetes = to their needs, to other needs\n',
    );
    rules = file('rules.txt', '/ ?today/ => 今天\n');
    // As the recognizer hears it, without any file: what the tests below correct.
    const plain = await runCli(['transcribe', wav, '--engine', 'pocketsphinx']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toBe(`${HEARD}\n`);
  });

  it('prints the corrected text, and --save keeps raw and final', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tingxie-cli-text-data-'));
    const run = await runCli([
      '--data-dir',
      dataDir,
      'transcribe',
      wav,
      '--engine',
      'pocketsphinx',
      '--vocabulary',
      vocabulary,
      '--rules',
      rules,
      '--save',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const completed = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; transcript?: string })
      .filter((e) => e.type === 'completed');
    expect(completed).toMatchObject([
      { transcript: 'we deploy the new version on Kubernetes 今天', rawTranscript: HEARD },
    ]);
    const exported = await runCli(['--data-dir', dataDir, 'history', 'export', '--format', 'json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      entries: [{ text: 'we deploy the new version on Kubernetes 今天', rawText: HEARD }],
    });
    const txt = await runCli(['--data-dir', dataDir, 'history', 'export', '--format', 'txt']);
    expect(txt.stdout).toContain('we deploy the new version on Kubernetes 今天');
    expect(txt.stdout).not.toContain('to their needs');
  });

  it('writes the chosen script, and leaves out the steps turned off', async () => {
    // A term in Simplified comes out in Taiwan's forms; the rule's Chinese touches the Latin.
    const zh = file('vocabulary.txt', '软件版本 = new version\n');
    const run = await runCli([
      'transcribe',
      wav,
      '--engine',
      'pocketsphinx',
      '--vocabulary',
      zh,
      '--rules',
      rules,
      '--script',
      'tw',
      '--no-spacing',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('we deploy the 軟件版本 on to their needs今天\n');
  });

  it('refuses a rules file with a broken regular expression, with its line, before transcribing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tingxie-cli-text-data-'));
    const broken = file('rules.txt', '# mine\nAI => A.I.\n/(ab/ => x\nno arrow\n');
    const run = await runCli([
      '--data-dir',
      dataDir,
      'transcribe',
      wav,
      '--engine',
      'pocketsphinx',
      '--rules',
      broken,
      '--save',
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'rules.txt: 2 mistakes, so none of its lines are used:\n' +
        '  line 3: /(ab/ is not a valid regular expression: Unterminated group.\n' +
        '  line 4: no "=>". A rule is "pattern => replacement".',
    );
    // Nothing was transcribed: no history was even opened.
    expect(existsSync(join(dataDir, 'history.sqlite'))).toBe(false);
  });
});

describe('tingxie transcribe: text files and flags that cannot be used', () => {
  it('refuses a vocabulary with a mistake, naming the file and the line', async () => {
    const bad = file('terms.txt', 'Tingxie\nKubernetes =\n');
    const run = await runCli(['transcribe', 'missing.wav', '--vocabulary', bad]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(
      /terms\.txt: 1 mistake, so none of its lines are used:\n {2}line 2: nothing follows "="/,
    );
  });

  it('says which file it cannot read, and which scripts there are', async () => {
    const missing = join(tmpdir(), 'no-such-rules.txt');
    const run = await runCli(['transcribe', 'x.wav', '--rules', missing]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`Could not read the rules file ${missing}`);
    const script = await runCli(['transcribe', 'x.wav', '--script', 'zh']);
    expect(script.code).not.toBe(0);
    expect(script.stderr).toContain('as-is, simplified, traditional, tw, hk');
  });
});
