// `tingxie transcribe --clean-up`: the local server with a real recognizer (pocketsphinx on
// festival speech), the text pipeline, then a real OpenAI-compatible chat server on 127.0.0.1.
// The cleaned text is printed and saved beside the rules text and what was heard; past the
// budget, or when the server fails, the rules text is printed and the reason goes to stderr;
// the key (from TINGXIE_CLEANUP_API_KEY) is in neither; flags that cannot work are refused
// before anything is transcribed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupPresetPrompt } from '../../src/shared/llm-cleanup-presets.ts';
import { runCli } from '../helpers/cli.ts';
import {
  startChatServer,
  type ChatReply,
  type ChatServer,
} from '../helpers/fake-servers/chat-completions.ts';
import { SPEECH_TOOLS, speakSentences } from '../helpers/speech.ts';
import { missingTools } from '../helpers/tools.ts';

const skip = missingTools('CLI clean-up', [...SPEECH_TOOLS, 'pocketsphinx_continuous', 'sox']);

const SENTENCE = 'We deploy the new version on Kubernetes today.';
const HEARD = 'we deploy the new version on to their needs today';
const RULES = 'we deploy the new version on Kubernetes today';
const CLEANED = 'We deploy the new version on Kubernetes today.';
const KEY = 'sk-cli-cleanup-51c2d3e4f5a6';
const MODEL = 'deepseek-v4-flash';

let chat: ChatServer | undefined;
afterEach(async () => {
  await chat?.close();
  chat = undefined;
});

async function serve(reply: () => ChatReply): Promise<ChatServer> {
  chat = await startChatServer({ apiKey: KEY, models: [MODEL], reply });
  return chat;
}

describe.skipIf(skip)('tingxie transcribe --clean-up', () => {
  let wav: string;
  let vocabulary: string;
  beforeAll(() => {
    wav = speakSentences([SENTENCE], 1500).path;
    vocabulary = join(mkdtempSync(join(tmpdir(), 'tingxie-cli-clean-up-')), 'terms.txt');
    writeFileSync(vocabulary, 'Kubernetes = to their needs, to other needs\n');
  });

  const transcribe = (server: ChatServer, more: string[], dataDir?: string) =>
    runCli(
      [
        ...(dataDir ? ['--data-dir', dataDir] : []),
        'transcribe',
        wav,
        '--engine',
        'pocketsphinx',
        '--vocabulary',
        vocabulary,
        '--clean-up',
        server.baseUrl,
        '--clean-up-model',
        MODEL,
        ...more,
      ],
      { env: { TINGXIE_CLEANUP_API_KEY: KEY } },
    );

  it('prints the cleaned text; --save keeps heard, rules and cleaned text', async () => {
    const server = await serve(() => ({ content: CLEANED }));
    const dataDir = mkdtempSync(join(tmpdir(), 'tingxie-cli-clean-up-data-'));
    const run = await transcribe(server, ['--clean-up-prompt', 'written', '--save'], dataDir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${CLEANED}\n`);
    const request = server.requests[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body.messages?.[0]?.content).toContain(cleanupPresetPrompt('written', 'en'));
    expect(request.body.messages?.[1]?.content).toBe(RULES);
    const exported = await runCli(['--data-dir', dataDir, 'history', 'export', '--format', 'json']);
    expect(JSON.parse(exported.stdout)).toMatchObject({
      entries: [{ text: CLEANED, rulesText: RULES, rawText: HEARD }],
    });
    expect(run.stderr).not.toContain(KEY);
  });

  it('a prompt of one’s own is sent as written', async () => {
    const server = await serve(() => ({ content: CLEANED }));
    const run = await transcribe(server, ['--clean-up-prompt', 'Capitalize the sentence.']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${CLEANED}\n`);
    expect(server.requests[0]!.body.messages?.[0]?.content).toMatch(/^Capitalize the sentence\./);
  });

  it('past the budget, the rules text, and why on stderr', async () => {
    const server = await serve(() => ({ content: CLEANED, delayMs: 5000 }));
    const run = await transcribe(server, ['--clean-up-budget', '400']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${RULES}\n`);
    expect(run.stderr).toMatch(/did not answer within 0\.4 s/);
  });

  it('a server that fails and echoes the key: the rules text, the key kept out of stderr', async () => {
    const server = await serve(() => ({
      status: 502,
      body: JSON.stringify({ error: { message: `bad gateway for ${KEY}` } }),
    }));
    const run = await transcribe(server, []);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`${RULES}\n`);
    expect(run.stderr).toMatch(/failed \(HTTP 502\)/);
    expect(run.stderr).not.toContain(KEY);
  });
});

describe('tingxie transcribe: clean-up flags that cannot be used', () => {
  it('are refused before anything is transcribed, saying what to pass', async () => {
    const noModel = await runCli(['transcribe', 'x.wav', '--clean-up', 'http://127.0.0.1:9/v1']);
    expect(noModel.code).not.toBe(0);
    expect(noModel.stderr).toContain('--clean-up needs --clean-up-model');
    const notHttp = await runCli(['transcribe', 'x.wav', '--clean-up', 'ws://x/v1']);
    expect(notHttp.stderr).toContain('http:// or https:// base URL');
    const budget = await runCli(['transcribe', 'x.wav', '--clean-up-budget', '50']);
    expect(budget.code).not.toBe(0);
    expect(budget.stderr).toContain('from 200 to 10000');
    const alone = await runCli(['transcribe', 'x.wav', '--clean-up-model', 'm']);
    expect(alone.stderr).toContain('need --clean-up URL');
  });
});
