// Any OpenAI-compatible transcription endpoint (OpenAI, speaches, a LocalAI, …): each turn is
// POSTed as multipart form data to `<url>/audio/transcriptions`.
//
// The form is encoded by the platform (a Response over FormData) and sent with node:http(s)
// rather than fetch(): per turn, after the server idled, a request through fetch() cost 1.6 times
// the CPU of this one here (4.2 ms against 2.6), and the server makes one for every turn.
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { TranscriptionError } from './engine.ts';
import type { TranscriptionEngine, TranscriptionRequest } from './engine.ts';

export interface OpenAiEngineOptions {
  /** Base URL such as `https://api.openai.com/v1`, or the full `/audio/transcriptions` URL. */
  url: string;
  /** Secret: sent as a bearer token, never logged nor put in an error message. */
  apiKey?: string;
  /** Overrides the model the client asks for. */
  model?: string;
}

export class OpenAiEngine implements TranscriptionEngine {
  readonly name = 'openai';
  private readonly endpoint: string;
  private readonly apiKey?: string;
  private readonly model?: string;

  constructor(options: OpenAiEngineOptions) {
    if (!options.url) {
      throw new Error('The openai engine needs a url, e.g. https://api.openai.com/v1.');
    }
    const base = options.url.replace(/\/+$/, '');
    this.endpoint = base.endsWith('/audio/transcriptions') ? base : `${base}/audio/transcriptions`;
    this.apiKey = options.apiKey;
    this.model = options.model;
  }

  async transcribe(request: TranscriptionRequest): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([request.wav], { type: 'audio/wav' }), 'turn.wav');
    form.append('model', this.model ?? request.model ?? 'whisper-1');
    form.append('response_format', 'json');
    if (request.language && request.language !== 'auto') form.append('language', request.language);
    if (request.prompt) form.append('prompt', request.prompt);
    const encoded = new Response(form);
    const body = new Uint8Array(await encoded.arrayBuffer());
    const headers: Record<string, string> = {
      'content-type': encoded.headers.get('content-type') ?? '',
      'content-length': String(body.length),
    };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    let response: Answer;
    try {
      response = await post(this.endpoint, headers, body, request.signal);
    } catch (err) {
      if ((err as Error).name === 'AbortError') {
        throw new TranscriptionError(
          'engine_timeout',
          'openai: the request was stopped before it finished.',
        );
      }
      throw new TranscriptionError(
        'engine_failed',
        `openai: cannot reach ${this.endpoint} (${(err as Error).cause ?? (err as Error).message}).`,
      );
    }
    if (response.status < 200 || response.status > 299) {
      throw new TranscriptionError('engine_failed', this.httpError(response));
    }
    const answer = parseJson(response.body) as { text?: unknown } | undefined;
    if (typeof answer?.text !== 'string') {
      throw new TranscriptionError(
        'engine_failed',
        `openai: ${this.endpoint} answered without a "text" field; is it an OpenAI-compatible transcription endpoint?`,
      );
    }
    return answer.text.trim();
  }

  private httpError(response: Answer): string {
    if (response.status === 401 || response.status === 403) {
      return `openai: ${this.endpoint} rejected the API key (${response.status}). Check the engine's apiKey.`;
    }
    const body = parseJson(response.body) as { error?: { message?: unknown } } | undefined;
    const detail =
      typeof body?.error?.message === 'string' ? `: ${body.error.message.slice(0, 200)}` : '';
    return `openai: ${this.endpoint} answered HTTP ${response.status}${detail}.`;
  }
}

interface Answer {
  status: number;
  body: string;
  location?: string;
}

/** Redirects followed, as fetch() would: 307 and 308 repeat the POST at the new address. */
const MAX_REDIRECTS = 5;

/** POSTs `body`, following 307/308 redirects (the API key goes to the same origin only);
 * resolves with the final status and the whole answer as text. */
async function post(
  url: string,
  headers: Record<string, string>,
  body: Uint8Array,
  signal: AbortSignal,
): Promise<Answer> {
  let at = new URL(url);
  const sent = { ...headers };
  for (let redirects = 0; ; redirects++) {
    const answer = await postOnce(at, sent, body, signal);
    if ((answer.status !== 307 && answer.status !== 308) || !answer.location) return answer;
    if (redirects === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(answer.location, at);
    if (next.origin !== at.origin) delete sent.authorization;
    at = next;
  }
}

function postOnce(
  url: URL,
  headers: Record<string, string>,
  body: Uint8Array,
  signal: AbortSignal,
): Promise<Answer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, signal }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          location: res.headers.location,
        }),
      );
      res.on('error', reject);
      res.on('close', () => {
        if (res.complete) return;
        reject(
          signal.aborted
            ? new DOMException('The request was aborted.', 'AbortError')
            : new Error('the connection closed in the middle of the answer'),
        );
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
