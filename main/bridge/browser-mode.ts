/**
 * Browser mode: the workstation's services under plain Node, reached by a browser through a local
 * HTTP bridge on 127.0.0.1. It is a second transport for the same `dispatch`, never a second
 * implementation of the API.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SettableClock } from '../clock.ts';
import { createLogger, subsystemLogger } from '../logger.ts';
import { CONTENT_SECURITY_POLICY } from '../security-policy.ts';
import { createWorkstation, type Workstation, type WorkstationOptions } from '../workstation.ts';
import { bridgeScript, injectBridge, TOKEN_HEADER } from './bridge-script.ts';
import { newBridgeToken, OriginPolicy, tokenMatches } from './guards.ts';
import { openDialUri } from './open-uri.ts';
import { FileSecretStore } from './secret-file.ts';
import { readStaticFile } from './static-files.ts';

export const DEFAULT_BROWSER_PORT = 4790;

/** Largest accepted request body; a wrap-up with a 60-instalment plan is a few KiB. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Comment lines on the push stream keep idle proxies and the browser from closing it, in ms. */
const PUSH_HEARTBEAT_MS = 25_000;

export interface BrowserModeOptions {
  /**
   * The workstation's options. Browser mode supplies its own `openUri` (the desktop's opener) and
   * `secretStore` (an encrypted file in the data dir, see `FileSecretStore`) when they are left out.
   */
  workstation: Omit<WorkstationOptions, 'clock' | 'openUri' | 'secretStore'> & Partial<Pick<WorkstationOptions, 'openUri' | 'secretStore'>>;
  /** Folder of the built renderer (`index.html` and its assets). */
  rendererDir: string;
  host?: '127.0.0.1';
  /** Default 4790; 0 picks a free port. */
  port?: number;
  /**
   * Adds `POST /test/clock` to set the trusted time, for end-to-end tests. Takes effect only when
   * `GESTIONA_TEST_CLOCK=1` is also set, so a flag passed by mistake cannot move a real workstation's clock.
   */
  testClock?: boolean;
}

export interface BrowserMode {
  /** The address to open, with the token in the fragment. */
  url: string;
  token: string;
  workstation: Workstation;
  /** Present only when the test clock is enabled. */
  setClock?(iso: string): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  // Without the built screens every address would answer 404, which tells the person nothing.
  if (!existsSync(join(options.rendererDir, 'index.html'))) {
    throw new Error(
      `No se encontraron las pantallas compiladas en "${options.rendererDir}" (falta index.html). ` +
        'Compílelas con "npm run build:renderer" o indique la carpeta con --renderer.',
    );
  }
  // One root logger for the bridge and the workstation, so that both write to one destination.
  const rootLogger = options.workstation.logger ?? createLogger();
  const logger = subsystemLogger(rootLogger, 'bridge');
  const testClock = options.testClock === true && process.env.GESTIONA_TEST_CLOCK === '1' ? new SettableClock() : null;
  if (options.testClock && !testClock) logger.warn('start browser mode: test clock requested without GESTIONA_TEST_CLOCK=1, using the real clock');

  const workstationOptions: WorkstationOptions = {
    ...options.workstation,
    logger: rootLogger,
    openUri: options.workstation.openUri ?? ((uri) => openDialUri(uri)),
    secretStore: options.workstation.secretStore ?? new FileSecretStore(options.workstation.dataDir, { logger: subsystemLogger(rootLogger, 'session') }),
  };
  const workstation = await createWorkstation(testClock ? { ...workstationOptions, clock: testClock } : workstationOptions);
  const token = newBridgeToken();
  const pushStreams = new Set<ServerResponse>();
  let policy = new OriginPolicy(0);

  const server = createServer((request, response) => {
    setSecurityHeaders(response);
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 500) logger.error({ err: error, path: request.url?.split('?')[0] }, 'bridge: request failed');
      if (!response.headersSent) response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(error instanceof HttpError ? error.message : 'Internal error');
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!policy.hostAllowed(request.headers.host)) throw new HttpError(403, 'Forbidden host');
    if (!policy.originAllowed(request.headers.origin)) throw new HttpError(403, 'Forbidden origin');

    const url = new URL(request.url ?? '/', 'http://bridge.invalid');
    const method = request.method ?? 'GET';

    if (url.pathname.startsWith('/ipc/')) {
      if (method !== 'POST') throw new HttpError(405, 'Use POST');
      return handleIpc(request, response, decodePathSegment(url.pathname.slice('/ipc/'.length)));
    }
    if (url.pathname === '/push') {
      if (method !== 'GET') throw new HttpError(405, 'Use GET');
      return handlePush(request, response, url.searchParams.get('token'));
    }
    if (url.pathname === '/test/clock' && testClock) {
      if (method !== 'POST') throw new HttpError(405, 'Use POST');
      return handleTestClock(request, response, testClock);
    }
    // Only reads remain; any other method names a route that does not exist (the test clock when it is off).
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(404, 'Not found');
    if (url.pathname === '/bridge.js') {
      return send(response, 200, 'text/javascript; charset=utf-8', bridgeScript(), method);
    }

    const file = await readStaticFile(options.rendererDir, url.pathname);
    if (!file) throw new HttpError(404, 'Not found');
    const body = file.isIndex ? injectBridge(file.body.toString('utf8')) : file.body;
    return send(response, 200, file.contentType, body, method);
  }

  async function handleIpc(request: IncomingMessage, response: ServerResponse, channel: string): Promise<void> {
    if (!tokenMatches(token, headerValue(request.headers[TOKEN_HEADER]))) {
      logger.warn({ channel: channel.slice(0, 100) }, 'bridge: IPC call without a valid token');
      return sendJson(response, 401, {
        ok: false,
        error: { code: 'not-authenticated', message: 'Falta la clave de esta sesión local. Abra la dirección que mostró Gestiona al iniciar.' },
      });
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) throw new HttpError(415, 'Use Content-Type: application/json');

    let args: unknown;
    try {
      const text = await readBody(request);
      args = text === '' ? undefined : JSON.parse(text);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      return sendJson(response, 400, { ok: false, error: { code: 'invalid-input', message: 'La solicitud no es JSON válido.' } });
    }

    const result = await workstation.dispatch(channel, args);
    return sendJson(response, 200, result);
  }

  function handlePush(request: IncomingMessage, response: ServerResponse, presented: string | null): void {
    if (!tokenMatches(token, presented)) throw new HttpError(401, 'Missing or invalid token');

    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    response.write(': connected\n\n');
    pushStreams.add(response);
    const unsubscribe = workstation.onPush((message) => response.write(`data: ${JSON.stringify(message)}\n\n`));
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), PUSH_HEARTBEAT_MS);
    heartbeat.unref();
    request.on('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      pushStreams.delete(response);
    });
  }

  async function handleTestClock(request: IncomingMessage, response: ServerResponse, clock: SettableClock): Promise<void> {
    if (!tokenMatches(token, headerValue(request.headers[TOKEN_HEADER]))) throw new HttpError(401, 'Missing or invalid token');

    let at: unknown;
    try {
      at = (JSON.parse(await readBody(request)) as { at?: unknown } | null)?.at;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, 'Body must be JSON: {"at": "2026-03-02T10:00:00-05:00"}');
    }
    if (typeof at !== 'string') throw new HttpError(400, 'Missing "at": send {"at": "2026-03-02T10:00:00-05:00"}');
    try {
      clock.set(at);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
    logger.info({ at }, 'test clock: set');
    response.writeHead(204);
    response.end();
  }

  let port: number;
  try {
    port = await listen(server, options.host ?? '127.0.0.1', options.port ?? DEFAULT_BROWSER_PORT);
  } catch (error) {
    await workstation.close();
    throw error;
  }
  policy = new OriginPolicy(port);
  const url = `http://127.0.0.1:${port}/#token=${token}`;
  logger.info({ port, testClock: testClock !== null }, 'start browser mode: listening');

  let closing: Promise<void> | null = null;
  const mode: BrowserMode = {
    url,
    token,
    workstation,
    close: () => {
      closing ??= (async () => {
        for (const stream of pushStreams) stream.end();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await workstation.close();
        logger.info({ port }, 'stop browser mode: done');
      })();
      return closing;
    },
  };
  if (testClock) mode.setClock = (iso) => testClock.set(iso);
  return mode;
}

function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  response.setHeader('Cache-Control', 'no-store');
}

function send(response: ServerResponse, status: number, contentType: string, body: string | Buffer, method: string): void {
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(method === 'HEAD' ? undefined : body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value), 'POST');
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'Malformed percent-encoding in the path');
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `Body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
