/**
 * The workstation's HTTP calls to the central server (login, renewal, sign-out, the team lead's
 * board), over Node's `http`/`https` with the server-trust agent. Global `fetch` cannot take that
 * agent without the `undici` package, so this returns a standard `Response` built from the reply.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent } from 'node:https';

export interface ServerRequestInit {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export type ServerFetch = (url: URL, init: ServerRequestInit) => Promise<Response>;

/** Login and board replies are JSON far below this size, so a larger one is cut off as an error instead of filling memory. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Statuses whose `Response` must have no body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/** Builds the fetch for `https:` URLs through `httpsAgent`, and for `http:` URLs through Node's default agent. */
export function createServerFetch(httpsAgent: Agent): ServerFetch {
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const options = { method: init.method, headers: init.headers, signal: init.signal };
      const request = url.protocol === 'https:' ? httpsRequest(url, { ...options, agent: httpsAgent }) : httpRequest(url, options);
      request.once('error', reject);
      request.once('response', (reply) => {
        readReply(reply).then((body) => resolve(toResponse(reply, body)), reject);
      });
      request.end(init.body);
    });
}

function readReply(reply: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    reply.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_RESPONSE_BYTES) {
        reply.destroy(new Error(`Server response larger than ${MAX_RESPONSE_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    reply.once('end', () => resolve(Buffer.concat(chunks)));
    reply.once('error', reject);
    reply.once('aborted', () => reject(new Error('Server response aborted')));
  });
}

function toResponse(reply: IncomingMessage, body: Buffer): Response {
  const status = reply.statusCode ?? 500;
  const headers = new Headers();
  for (const [name, value] of Object.entries(reply.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return new Response(NULL_BODY_STATUSES.has(status) ? null : new Uint8Array(body), { status, statusText: reply.statusMessage, headers });
}
