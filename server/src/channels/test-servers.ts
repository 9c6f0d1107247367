/**
 * Local servers for the channel tests, on 127.0.0.1 only: an SMTP server (smtp-server) that keeps
 * the messages it receives, and an HTTP gateway that records every request and answers from a
 * script of failures (5xx, a timeout) before it accepts. The gateway counts a message as delivered
 * once per idempotency key, as a deduplicating gateway would.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface LocalSmtp {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export async function startLocalSmtp(): Promise<LocalSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push({ from, to: session.envelope.rcptTo.map((recipient) => recipient.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface GatewayRequest {
  key: string | null;
  authorization: string | null;
  body: { id: string; channel: string; to: string; text: string };
}

/** One scripted response: an HTTP status, or `hang` to never respond (the client times out). */
export type GatewayAnswer = number | 'hang';

export interface LocalGateway {
  url: string;
  requests: GatewayRequest[];
  /** Idempotency keys of the accepted messages, each once. */
  delivered: Set<string>;
  /** Responses to the next requests, in order. Once they are used up, every request gets 200. */
  script: GatewayAnswer[];
  close(): Promise<void>;
}

export async function startLocalGateway(): Promise<LocalGateway> {
  const requests: GatewayRequest[] = [];
  const delivered = new Set<string>();
  const hanging = new Set<ServerResponse>();
  const gateway: Omit<LocalGateway, 'url' | 'close'> = { requests, delivered, script: [] };

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const key = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GatewayRequest['body'];
      requests.push({ key, authorization: request.headers.authorization ?? null, body });
      const answer = gateway.script.shift() ?? 200;
      if (answer === 'hang') {
        hanging.add(response);
        return;
      }
      if (answer >= 200 && answer < 300 && key !== null) delivered.add(key);
      response.writeHead(answer, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: answer < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(gateway, {
    url: `http://127.0.0.1:${port}/send`,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
