// Any OpenAI-compatible transcription endpoint (OpenAI, speaches, a LocalAI, …): each turn is
// POSTed as multipart form data to `<url>/audio/transcriptions`.
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
    const headers: Record<string, string> = {};
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        body: form,
        headers,
        signal: request.signal,
      });
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
    if (!response.ok) throw new TranscriptionError('engine_failed', await this.httpError(response));
    const body = (await response.json().catch(() => undefined)) as { text?: unknown } | undefined;
    if (typeof body?.text !== 'string') {
      throw new TranscriptionError(
        'engine_failed',
        `openai: ${this.endpoint} answered without a "text" field; is it an OpenAI-compatible transcription endpoint?`,
      );
    }
    return body.text.trim();
  }

  private async httpError(response: Response): Promise<string> {
    if (response.status === 401 || response.status === 403) {
      return `openai: ${this.endpoint} rejected the API key (${response.status}). Check the engine's apiKey.`;
    }
    const body = (await response.json().catch(() => undefined)) as
      { error?: { message?: unknown } } | undefined;
    const detail =
      typeof body?.error?.message === 'string' ? `: ${body.error.message.slice(0, 200)}` : '';
    return `openai: ${this.endpoint} answered HTTP ${response.status}${detail}.`;
  }
}
