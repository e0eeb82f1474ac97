// The LLM clean-up against a real HTTP server on 127.0.0.1 that speaks OpenAI's chat
// completions API: the request it sends, and the rules text — never nothing — when the server
// is slow, fails, rejects the key, has no such model, or answers something that is not a
// clean-up. The key never reaches a log line or a reason.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createLogger } from '../../src/core/log.ts';
import { cleanUpText, type CleanupOptions } from '../../src/core/text/llm-cleanup.ts';
import { cleanupPresetPrompt } from '../../src/shared/llm-cleanup-presets.ts';
import {
  startChatServer,
  type ChatServer,
  type ChatServerOptions,
} from '../helpers/fake-servers/chat-completions.ts';

const KEY = 'sk-cleanup-4f9a8b7c6d5e';
const MODEL = 'gpt-4.1-mini';
const RULES_TEXT = '我们下周二在 GitHub 上发布 Tingxie 的新版本吗';

let server: ChatServer | undefined;
const logs: string[] = [];
afterEach(async () => {
  // Whatever happened in the test, the key is in no log line.
  expect(logs.join('\n')).not.toContain(KEY);
  logs.length = 0;
  await server?.close();
  server = undefined;
});

async function serve(options: ChatServerOptions): Promise<ChatServer> {
  server = await startChatServer({ apiKey: KEY, models: [MODEL], ...options });
  return server;
}

function options(s: { baseUrl: string }, more: Partial<CleanupOptions> = {}): CleanupOptions {
  return {
    baseUrl: s.baseUrl,
    model: MODEL,
    apiKey: KEY,
    prompt: cleanupPresetPrompt('punctuation', 'zh'),
    terms: ['Tingxie', 'GitHub'],
    budgetMs: 1500,
    // No secrets given to the logger: cleanUpText itself must keep the key out.
    log: createLogger((line) => logs.push(line), 'debug'),
    ...more,
  };
}

describe('a clean-up that succeeds', () => {
  test('posts the text, the terms, the model and the key; returns the cleaned text', async () => {
    const s = await serve({
      reply: () => ({ content: '我们下周二在 GitHub 上发布 Tingxie 的新版本吗？' }),
    });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({
      text: '我们下周二在 GitHub 上发布 Tingxie 的新版本吗？',
      cleaned: true,
    });
    expect(result.reason).toBeUndefined();
    expect(s.requests).toHaveLength(1);
    const request = s.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.body).toMatchObject({ model: MODEL, temperature: 0, stream: false });
    const [system, user] = request.body.messages!;
    expect(system!.role).toBe('system');
    expect(system!.content).toContain(cleanupPresetPrompt('punctuation', 'zh'));
    expect(system!.content).toContain('Tingxie、GitHub');
    expect(system!.content).toContain('不要翻译');
    expect(user).toEqual({ role: 'user', content: RULES_TEXT });
  });

  test('a local server without a key gets no Authorization header', async () => {
    const s = await serve({ apiKey: undefined, reply: () => ({ content: 'Hello, world.' }) });
    const result = await cleanUpText('hello world', options(s, { apiKey: undefined }));
    expect(result).toMatchObject({ text: 'Hello, world.', cleaned: true });
    expect(s.requests[0]!.headers.authorization).toBeUndefined();
  });

  test('a base URL with a trailing slash', async () => {
    const s = await serve({ reply: () => ({ content: 'Hello.' }) });
    const result = await cleanUpText('hello', options(s, { baseUrl: `${s.baseUrl}/` }));
    expect(result.cleaned).toBe(true);
  });
});

describe('the rules text, never nothing', () => {
  test('a server slower than the budget: the rules text within about the budget', async () => {
    const s = await serve({ reply: () => ({ content: 'too late', delayMs: 5000 }) });
    const result = await cleanUpText(RULES_TEXT, options(s, { budgetMs: 400 }));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'timeout' });
    expect(result.reason).toContain('0.4 s');
    expect(result.reason).toContain('Settings → Text');
    expect(result.elapsedMs).toBeGreaterThanOrEqual(390);
    expect(result.elapsedMs).toBeLessThan(1200);
  });

  test('the caller cancels: the rules text at once', async () => {
    const s = await serve({ reply: () => ({ content: 'too late', delayMs: 5000 }) });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await cleanUpText(RULES_TEXT, options(s, { signal: controller.signal }));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'cancelled' });
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  test('HTTP 500: the rules text, with what the server said', async () => {
    const s = await serve({
      reply: () => ({
        status: 500,
        body: JSON.stringify({
          error: { message: 'The server had an error.', type: 'server_error' },
        }),
      }),
    });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'http_error' });
    expect(result.reason).toContain('HTTP 500');
    expect(result.reason).toContain('The server had an error.');
  });

  test('a model that refuses temperature 0 (OpenAI’s reasoning models): the reason says to choose another', async () => {
    const s = await serve({
      reply: () => ({
        status: 400,
        body: JSON.stringify({
          error: {
            message:
              "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
            type: 'invalid_request_error',
            param: 'temperature',
            code: 'unsupported_value',
          },
        }),
      }),
    });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'http_error' });
    expect(result.reason).toContain('does not take temperature 0');
    expect(result.reason).toContain('Settings → Text');
  });

  test('a wrong key (401) that the server echoes: the reason says where to fix it, and neither it nor the log holds the key', async () => {
    const s = await serve({ apiKey: 'sk-the-right-one', reply: () => ({ content: 'x' }) });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'unauthorized' });
    expect(result.reason).toBe(
      'The clean-up server rejected the key (401). Check Settings → Text.',
    );
    expect(logs.some((l) => l.includes('rejected the key'))).toBe(true);
  });

  test('a model the server does not have (404 model_not_found)', async () => {
    const s = await serve({ reply: () => ({ content: 'x' }) });
    const result = await cleanUpText(RULES_TEXT, options(s, { model: 'gpt-nonexistent' }));
    expect(result).toMatchObject({ cleaned: false, failure: 'model_not_found' });
    expect(result.reason).toContain('no model "gpt-nonexistent"');
  });

  test('a base URL without /v1 (404 on the path)', async () => {
    const s = await serve({ reply: () => ({ content: 'x' }) });
    const result = await cleanUpText(
      RULES_TEXT,
      options(s, { baseUrl: s.baseUrl.replace(/\/v1$/u, '') }),
    );
    expect(result).toMatchObject({ cleaned: false, failure: 'not_found' });
    expect(result.reason).toContain('/v1');
  });

  test('garbage instead of JSON (a proxy page)', async () => {
    const s = await serve({ reply: () => ({ status: 200, body: '<html>Bad gateway</html>' }) });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'bad_response' });
  });

  test('JSON that is not a chat completion', async () => {
    const s = await serve({ reply: () => ({ status: 200, body: '{"choices":[]}' }) });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ cleaned: false, failure: 'bad_response' });
  });

  test('connection refused: the reason says the server is not running', async () => {
    const port = await closedPort();
    const result = await cleanUpText(
      RULES_TEXT,
      options({ baseUrl: `http://127.0.0.1:${port}/v1` }),
    );
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'unreachable' });
    expect(result.reason).toContain('connection refused');
  });

  test('the model answers the question instead of cleaning the text up', async () => {
    const s = await serve({
      reply: () => ({
        content:
          '是的！根据计划，Tingxie 的新版本将于下周二在 GitHub 上发布。新版本包含许多改进，包括更快的转写速度、更准确的识别结果，以及全新的设置界面。如果你有任何问题，欢迎随时提问。',
      }),
    });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'too_long' });
  });

  test('a refusal in the refusal field', async () => {
    const s = await serve({
      reply: () => ({ content: '', refusal: "I'm sorry, I can't help with that." }),
    });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'refusal' });
  });

  test('an answer cut at the token limit (finish_reason length)', async () => {
    const s = await serve({ reply: () => ({ content: '我们下周二在', finishReason: 'length' }) });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'truncated' });
  });

  test('a translation instead of a clean-up', async () => {
    const s = await serve({
      reply: () => ({
        content: 'Are we releasing the new version of Tingxie on GitHub next Tuesday?',
      }),
    });
    const result = await cleanUpText(RULES_TEXT, options(s));
    expect(result).toMatchObject({ text: RULES_TEXT, cleaned: false, failure: 'translated' });
  });
});

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
