// The optional LLM clean-up: the rules text of a dictation → any OpenAI-compatible chat
// endpoint (OpenAI, DashScope's compatible mode, DeepSeek, a local Ollama or llama.cpp
// server) → the cleaned text. It never fails and never leaves the person with nothing: past
// the latency budget, on any error, or when the model's answer is not a clean-up of the text,
// the rules text comes back, with a reason a person can act on.
//
// Non-streaming on purpose: the text is inserted whole, so streaming would not bring it
// sooner; the budget's abort covers the request and the body alike.
import { redact, silentLogger, type Logger } from '../log.ts';
import { guardCleanedText, type GuardFailure } from './llm-cleanup-guard.ts';
import { buildCleanupMessages } from './llm-cleanup-prompts.ts';

export const DEFAULT_CLEANUP_BUDGET_MS = 1500;

export interface CleanupOptions {
  /** The API's base URL, up to and including its version: `https://api.openai.com/v1`,
   * `http://127.0.0.1:11434/v1`. `/chat/completions` is added to it. */
  baseUrl: string;
  model: string;
  /** Secret: sent as `Authorization: Bearer`, never logged, never in a reason. */
  apiKey?: string;
  /** The clean-up prompt (a preset's, or the person's own). */
  prompt: string;
  /** Vocabulary terms, to be spelled exactly. */
  terms?: readonly string[];
  /** Time for the whole exchange; past it, the rules text. Default 1.5 s. */
  budgetMs?: number;
  /** The caller's cancellation (the dictation was cancelled). */
  signal?: AbortSignal;
  log?: Logger;
}

export type CleanupFailure =
  | 'nothing_to_clean'
  | 'timeout'
  | 'cancelled'
  | 'unauthorized'
  | 'model_not_found'
  | 'not_found'
  | 'rate_limited'
  | 'http_error'
  | 'unreachable'
  | 'bad_response'
  | 'truncated'
  | GuardFailure;

export interface CleanupResult {
  /** The cleaned text, or the rules text as given when `cleaned` is false. */
  text: string;
  cleaned: boolean;
  /** Why the rules text was kept: a machine-readable code and a sentence for a person. */
  failure?: CleanupFailure;
  reason?: string;
  elapsedMs: number;
}

const SETTINGS = 'Check Settings → Text.';

/** Cleans `text` up with the chat model, or returns it unchanged with the reason. */
export async function cleanUpText(text: string, options: CleanupOptions): Promise<CleanupResult> {
  const started = performance.now();
  const log = options.log ?? silentLogger;
  const secrets = [options.apiKey];
  const budgetMs = options.budgetMs ?? DEFAULT_CLEANUP_BUDGET_MS;
  const done = (result: { text: string; cleaned: boolean } | Failure): CleanupResult => {
    const elapsedMs = Math.round(performance.now() - started);
    if ('cleaned' in result) return { ...result, elapsedMs };
    const reason = redact(result.reason, secrets);
    log.warn(`Clean-up skipped after ${elapsedMs} ms: ${reason}`);
    return { text, cleaned: false, failure: result.failure, reason, elapsedMs };
  };
  if (!text.trim())
    return done({ failure: 'nothing_to_clean', reason: 'There was no text to clean up.' });

  const url = chatCompletionsUrl(options.baseUrl);
  if (!url)
    return done({
      failure: 'unreachable',
      reason: `The clean-up server URL "${options.baseUrl}" is not an http:// or https:// address. ${SETTINGS}`,
    });
  const timeout = AbortSignal.timeout(budgetMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  const messages = buildCleanupMessages({ prompt: options.prompt, text, terms: options.terms });
  log.debug(`Clean-up: ${url.host}${url.pathname}, model ${options.model}, ${text.length} chars.`);

  let status: number;
  let body: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: options.model, messages, temperature: 0, stream: false }),
      signal,
    });
    status = response.status;
    body = await response.text();
  } catch (err) {
    if (options.signal?.aborted)
      return done({ failure: 'cancelled', reason: 'The clean-up was cancelled.' });
    if (timeout.aborted)
      return done({
        failure: 'timeout',
        reason: `The clean-up server did not answer within ${seconds(budgetMs)}; the text was inserted without clean-up. Allow more time or choose a faster model in Settings → Text.`,
      });
    return done(unreachable(err, url));
  }

  if (status < 200 || status >= 300) return done(httpFailure(status, body, options.model, url));
  const answer = parseAnswer(body);
  if ('failure' in answer) return done(answer);
  const guarded = guardCleanedText(text, answer.content);
  if (!guarded.ok)
    return done({ failure: guarded.failure, reason: GUARD_REASONS[guarded.failure] });
  log.debug(`Clean-up done in ${Math.round(performance.now() - started)} ms.`);
  return done({ text: guarded.text, cleaned: true });
}

interface Failure {
  failure: CleanupFailure;
  reason: string;
}

const GUARD_REASONS: Record<GuardFailure, string> = {
  empty: 'The clean-up model returned no text; the text was inserted without clean-up.',
  too_long:
    'The clean-up model returned far more text than was dictated (it may have answered the text instead of cleaning it up); the text was inserted without clean-up. Check the prompt in Settings → Text.',
  too_short:
    'The clean-up model returned far less text than was dictated; the text was inserted without clean-up. Check the prompt in Settings → Text.',
  refusal: 'The clean-up model refused the text; the text was inserted without clean-up.',
  translated:
    'The clean-up model changed the language of the text; the text was inserted without clean-up. Check the prompt in Settings → Text.',
};

function chatCompletionsUrl(baseUrl: string): URL | undefined {
  try {
    const url = new URL(`${baseUrl.trim().replace(/\/+$/u, '')}/chat/completions`);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/** A fetch that failed before any answer: the cause names the socket's error code. */
function unreachable(err: unknown, url: URL): Failure {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const where = `the clean-up server at ${url.host}`;
  if (code === 'ECONNREFUSED')
    return {
      failure: 'unreachable',
      reason: `Cannot reach ${where}: connection refused. Is it running? ${SETTINGS}`,
    };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return {
      failure: 'unreachable',
      reason: `Cannot reach ${where}: the host name does not resolve. Check the URL in Settings → Text.`,
    };
  const detail = cause?.message ?? (err as Error).message ?? String(err);
  return { failure: 'unreachable', reason: `Cannot reach ${where} (${detail}). ${SETTINGS}` };
}

/** OpenAI-style error bodies: `{error: {message, code}}`; others say less, or send HTML. */
function serverMessage(body: string): { message?: string; code?: string } {
  try {
    const json = JSON.parse(body) as {
      error?: { message?: unknown; code?: unknown } | string;
      detail?: unknown;
    };
    const error = json.error;
    if (typeof error === 'string') return { message: error };
    const message = typeof error?.message === 'string' ? error.message : undefined;
    const code = typeof error?.code === 'string' ? error.code : undefined;
    if (message || code) return { message, code };
    if (typeof json.detail === 'string') return { message: json.detail };
  } catch {
    // not JSON
  }
  return {};
}

function httpFailure(status: number, body: string, model: string, url: URL): Failure {
  const server = serverMessage(body);
  const said = server.message ? ` It said: ${clip(server.message)}` : '';
  if (status === 401 || status === 403)
    return {
      failure: 'unauthorized',
      reason: `The clean-up server rejected the key (${status}). ${SETTINGS}`,
    };
  if (status === 404 && (server.code === 'model_not_found' || /model/iu.test(server.message ?? '')))
    return {
      failure: 'model_not_found',
      reason: `The clean-up server has no model "${model}" (404). Check the model name in Settings → Text.${said}`,
    };
  if (status === 404)
    return {
      failure: 'not_found',
      reason: `${url.host} has no chat completions endpoint at ${url.pathname} (404). Check the URL in Settings → Text (it usually ends in /v1).`,
    };
  // OpenAI's reasoning models take only the default temperature; a clean-up needs 0.
  if (status === 400 && /temperature/iu.test(server.message ?? ''))
    return {
      failure: 'http_error',
      reason: `The clean-up model "${model}" does not take temperature 0 (it may be a reasoning model). Choose a chat model in Settings → Text.${said}`,
    };
  if (status === 429)
    return {
      failure: 'rate_limited',
      reason: `The clean-up server is limiting requests or the account is out of quota (429).${said}`,
    };
  return {
    failure: 'http_error',
    reason: `The clean-up server failed (HTTP ${status}); the text was inserted without clean-up.${said}`,
  };
}

function parseAnswer(body: string): { content: string } | Failure {
  const bad: Failure = {
    failure: 'bad_response',
    reason: `The clean-up server's answer is not an OpenAI chat completion. Check the URL in Settings → Text (it usually ends in /v1).`,
  };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return bad;
  }
  const choice = (json as { choices?: unknown }).choices;
  const first = Array.isArray(choice)
    ? (choice[0] as
        { message?: { content?: unknown; refusal?: unknown }; finish_reason?: unknown } | undefined)
    : undefined;
  const message = first?.message;
  if (
    (typeof message?.refusal === 'string' && message.refusal) ||
    first?.finish_reason === 'content_filter'
  )
    return { failure: 'refusal', reason: GUARD_REASONS.refusal };
  if (typeof message?.content !== 'string') return bad;
  // A cut-off answer would drop the end of what was said.
  if (first?.finish_reason === 'length')
    return {
      failure: 'truncated',
      reason:
        'The clean-up model stopped before the end of the text; the text was inserted without clean-up.',
    };
  return { content: message.content };
}

function clip(text: string): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
