// A real HTTP server on 127.0.0.1, port 0, speaking OpenAI's chat completions API
// (POST /v1/chat/completions) as OpenAI's API reference describes it: bearer auth, a
// `chat.completion` object with `choices[].message.{role, content, refusal}` and
// `finish_reason`, and `{error: {message, type, param, code}}` bodies with the status codes
// OpenAI uses (401 invalid_api_key, 404 model_not_found). What the model answers, and how
// the server misbehaves, is the test's to script.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    temperature?: number;
    stream?: boolean;
  };
}

/** What the server does with one valid request. */
export type ChatReply =
  | { content: string; finishReason?: string; refusal?: string; delayMs?: number }
  /** Any status and raw body: a broken server, a proxy's HTML page. */
  | { status: number; body: string; delayMs?: number };

export interface ChatServerOptions {
  /** The key it requires; undefined accepts any request. */
  apiKey?: string;
  /** The models it has; others get 404 model_not_found. */
  models?: string[];
  reply(request: ChatRequest): ChatReply;
}

export interface ChatServer {
  /** The base URL a client is configured with: `http://127.0.0.1:PORT/v1`. */
  baseUrl: string;
  readonly requests: ChatRequest[];
  close(): Promise<void>;
}

const error = (message: string, type: string, code: string | null) =>
  JSON.stringify({ error: { message, type, param: null, code } });

export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const requests: ChatRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: string, delayMs = 0) => {
        const timer = setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(status, { 'Content-Type': 'application/json' }).end(body);
        }, delayMs);
        res.on('close', () => clearTimeout(timer));
      };
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
        return send(
          404,
          error(`Invalid URL (${req.method} ${req.url})`, 'invalid_request_error', null),
        );
      let body: ChatRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest['body'];
      } catch {
        return send(
          400,
          error('We could not parse the JSON body of your request.', 'invalid_request_error', null),
        );
      }
      const request = { path: req.url, headers: req.headers, body };
      requests.push(request);
      if (
        options.apiKey !== undefined &&
        req.headers.authorization !== `Bearer ${options.apiKey}`
      ) {
        // OpenAI echoes part of a wrong key; a careless server may echo all of it.
        const given = (req.headers.authorization ?? '').replace(/^Bearer /u, '');
        return send(
          401,
          error(
            `Incorrect API key provided: ${given}.`,
            'invalid_request_error',
            'invalid_api_key',
          ),
        );
      }
      if (options.models && !options.models.includes(body.model ?? ''))
        return send(
          404,
          error(
            `The model \`${body.model}\` does not exist or you do not have access to it.`,
            'invalid_request_error',
            'model_not_found',
          ),
        );
      const reply = options.reply(request);
      if ('status' in reply) return send(reply.status, reply.body, reply.delayMs);
      send(
        200,
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: reply.refusal ? null : reply.content,
                refusal: reply.refusal ?? null,
              },
              logprobs: null,
              finish_reason: reply.finishReason ?? 'stop',
            },
          ],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
        reply.delayMs,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
