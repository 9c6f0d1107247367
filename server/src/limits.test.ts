import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PULL_LIMIT, MAX_PUSH_BATCH, SOCKET_EVENTS, type PullAck, type PushAck } from '@gestiona/core/sync';
import { connectWorkstation, login, tempDir } from './fixtures/server.ts';
import { buildHttpApp } from './http.ts';
import { addressKey, DEFAULT_SERVER_LIMITS, RateLimiter, rateLimitedMessage, shouldLogRejection, type RateLimit } from './limits.ts';
import { createLogger } from './logger.ts';
import { attachSocketServer, MAX_MESSAGE_BYTES } from './socket.ts';
import { openStore } from './store/open-store.ts';
import type { ServerStore } from './store/types.ts';

const NOW = new Date('2026-12-04T10:00:00-05:00');

/** Returns a clock in ms that the test moves by hand. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let ms = 1_000_000;
  return {
    now: () => ms,
    advance: (step) => {
      ms += step;
    },
  };
}

describe('RateLimiter', () => {
  it('accepts a burst, then returns the wait', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ burst: 3, perMinute: 6 }, clock.now);

    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 10_000, rejections: 1 });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 10_000, rejections: 2 });

    clock.advance(4_000);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 6_000, rejections: 3 });
    clock.advance(6_000);
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toMatchObject({ allowed: false, rejections: 1 });
  });

  it('keeps a bucket per key', () => {
    const limiter = new RateLimiter({ burst: 1, perMinute: 1 }, manualClock().now);
    expect(limiter.take('10.0.0.1').allowed).toBe(true);
    expect(limiter.take('10.0.0.1').allowed).toBe(false);
    expect(limiter.take('10.0.0.2').allowed).toBe(true);
  });

  it('never refills beyond the burst', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ burst: 2, perMinute: 60 }, clock.now);
    clock.advance(60 * 60 * 1000);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((decision) => decision.allowed)).toEqual([true, true, false]);
  });

  it('adds nothing when the clock steps back', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ burst: 1, perMinute: 60 }, clock.now);
    expect(limiter.take('a').allowed).toBe(true);
    clock.advance(-5_000);
    expect(limiter.take('a').allowed).toBe(false);
    clock.advance(5_000);
    expect(limiter.take('a').allowed).toBe(false);
    clock.advance(1_000);
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('bounds the number of tracked keys', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ burst: 2, perMinute: 60 }, clock.now, 100);
    for (let i = 0; i < 1_000; i += 1) limiter.take(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });

  it.each([
    { limit: { burst: 0, perMinute: 10 } },
    { limit: { burst: 5, perMinute: 0 } },
    { limit: { burst: Number.NaN, perMinute: 10 } },
  ])('rejects the invalid limit $limit', ({ limit }) => {
    expect(() => new RateLimiter(limit)).toThrow(/Invalid rate limit/);
  });

  it('accepts at most burst plus the refill over any schedule', () => {
    fc.assert(
      fc.property(
        fc.record({ burst: fc.integer({ min: 1, max: 20 }), perMinute: fc.integer({ min: 1, max: 600 }) }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
        (limit: RateLimit, gaps) => {
          const clock = manualClock();
          const limiter = new RateLimiter(limit, clock.now);
          let accepted = 0;
          let elapsed = 0;
          for (const gap of gaps) {
            clock.advance(gap);
            elapsed += gap;
            if (limiter.take('a').allowed) accepted += 1;
          }
          expect(accepted).toBeLessThanOrEqual(limit.burst + Math.floor((elapsed * limit.perMinute) / 60_000));
        },
      ),
    );
  });
});

describe('default handshake limit', () => {
  // Every workstation of a branch office shares the office's NAT address, and all of them
  // reconnect within seconds of a server restart.
  const OFFICE = 500;

  it('admits a whole office at once', () => {
    const limiter = new RateLimiter(DEFAULT_SERVER_LIMITS.socketConnections, manualClock().now);
    const accepted = Array.from({ length: OFFICE }, () => limiter.take('203.0.113.7')).filter((decision) => decision.allowed);
    expect(accepted).toHaveLength(OFFICE);
  });

  it('admits the office again after a second restart a minute later', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(DEFAULT_SERVER_LIMITS.socketConnections, clock.now);
    for (let i = 0; i < OFFICE; i += 1) limiter.take('203.0.113.7');
    clock.advance(60_000);
    const accepted = Array.from({ length: OFFICE }, () => limiter.take('203.0.113.7')).filter((decision) => decision.allowed);
    expect(accepted).toHaveLength(OFFICE);
  });

  it('still limits a single address that reconnects without pause', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(DEFAULT_SERVER_LIMITS.socketConnections, clock.now);
    let accepted = 0;
    // Ten handshakes every 100 ms for ten minutes: 100 a second, against a refill of 10 a second.
    for (let step = 0; step < 6_000; step += 1) {
      clock.advance(100);
      for (let i = 0; i < 10; i += 1) if (limiter.take('203.0.113.7').allowed) accepted += 1;
    }
    const { burst, perMinute } = DEFAULT_SERVER_LIMITS.socketConnections;
    expect(accepted).toBeLessThanOrEqual(burst + perMinute * 10);
  });
});

describe('addressKey', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.1.2.3', '10.1.2.3'],
    ['::FFFF:10.1.2.3', '10.1.2.3'],
    ['2001:db8:aa:bb:1:2:3:4', '2001:db8:aa:bb::/64'],
    ['2001:db8:aa:bb::99', '2001:db8:aa:bb::/64'],
    ['2001:0db8:00aa:00bb:ffff:0:0:1', '2001:db8:aa:bb::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    [undefined, 'unknown'],
    ['', 'unknown'],
  ])('maps %s to %s', (address, key) => {
    expect(addressKey(address)).toBe(key);
  });
});

describe('rejection messages and logging', () => {
  it.each([
    [1, 'Demasiadas conexiones desde esta dirección de red. Intente de nuevo en 1 segundo.'],
    [1_001, 'Demasiadas conexiones desde esta dirección de red. Intente de nuevo en 2 segundos.'],
    [30_000, 'Demasiadas conexiones desde esta dirección de red. Intente de nuevo en 30 segundos.'],
  ])('words a wait of %i ms', (retryAfterMs, message) => {
    expect(rateLimitedMessage('conexiones', retryAfterMs)).toBe(message);
  });

  it('logs every hundredth rejection of a streak', () => {
    const logged = Array.from({ length: 300 }, (_, index) => index + 1).filter(shouldLogRejection);
    expect(logged).toEqual([1, 100, 200, 300]);
  });
});

interface LimitedServer {
  url: string;
  store: ServerStore;
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Starts the real HTTP app and socket.io server on 127.0.0.1:0, with a SQLite store and a manual clock for the limits. */
async function startLimitedServer(dbPath: string, socketLimit: RateLimit): Promise<LimitedServer> {
  const clock = manualClock();
  const logger = createLogger();
  const store = await openStore({ dbPath, logger });
  const app = buildHttpApp({ store, logger, now: () => NOW });
  const sockets = attachSocketServer({ httpServer: app.server, store, logger, now: () => NOW, connectionRate: { limit: socketLimit, clock: clock.now } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    advance: clock.advance,
    close: async () => {
      await sockets.close();
      await app.close();
      await store.close();
    },
  };
}

/** Sends a raw engine.io polling handshake and returns the status and body that a rejected client receives. */
function pollingHandshake(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/socket.io/?EIO=4&transport=polling`, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

function waitForConnectError(socket: Socket): Promise<Error> {
  return new Promise((resolve) => socket.once('connect_error', resolve));
}

describe('socket.io limits on a real server', () => {
  const dir = tempDir();
  let server: LimitedServer;
  let auth: { token: string; workstationId: string };
  const open: Socket[] = [];

  beforeAll(async () => {
    server = await startLimitedServer(join(dir.path, 'server.sqlite'), { burst: 3, perMinute: 1 });
    await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, NOW);
    const session = await login(server.url, 'agente1', 'clave-segura-1', 'ws-limits');
    auth = { token: session.token, workstationId: 'ws-limits' };
  });

  afterAll(async () => {
    for (const socket of open) socket.close();
    await server.close();
    dir.remove();
  });

  it('rejects handshakes beyond the burst with a clear error, then accepts again', async () => {
    for (let i = 0; i < 3; i += 1) open.push(await connectWorkstation(server.url, auth));

    const rejected = await pollingHandshake(server.url);
    expect(rejected.status).toBe(403);
    expect(JSON.parse(rejected.body)).toMatchObject({ message: 'Demasiadas conexiones desde esta dirección de red. Intente de nuevo en 60 segundos.' });

    // The real client sees a transport error, not a middleware rejection, so it keeps retrying with backoff.
    await expect(connectWorkstation(server.url, auth)).rejects.toThrow(/websocket error/);

    server.advance(60_000);
    const socket = await connectWorkstation(server.url, auth);
    open.push(socket);
    expect(socket.connected).toBe(true);
  });

  it('rejects a push batch above the maximum size', async () => {
    server.advance(10 * 60_000);
    const socket = await connectWorkstation(server.url, auth);
    open.push(socket);

    const events = Array.from({ length: MAX_PUSH_BATCH + 1 }, () => ({}));
    const ack = (await socket.timeout(5_000).emitWithAck(SOCKET_EVENTS.pushEvents, { events })) as PushAck;
    expect(ack).toEqual({ ok: false, error: 'Lote inválido: envíe { events: [...] } con 1 a 200 eventos (invalid batch).' });
  });

  it('rejects a pull above the maximum page', async () => {
    server.advance(10 * 60_000);
    const socket = await connectWorkstation(server.url, auth);
    open.push(socket);

    const ack = (await socket.timeout(5_000).emitWithAck(SOCKET_EVENTS.pullFeed, { after: 0, limit: MAX_PULL_LIMIT + 1 })) as PullAck;
    expect(ack.ok).toBe(false);
    const accepted = (await socket.timeout(5_000).emitWithAck(SOCKET_EVENTS.pullFeed, { after: 0, limit: MAX_PULL_LIMIT })) as PullAck;
    expect(accepted.ok).toBe(true);
  });

  it('closes the connection of a frame above maxHttpBufferSize', async () => {
    server.advance(10 * 60_000);
    const socket = await connectWorkstation(server.url, auth);
    open.push(socket);

    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit(SOCKET_EVENTS.reportState, { padding: 'x'.repeat(MAX_MESSAGE_BYTES + 1) });
    expect(await disconnected).toMatch(/transport (close|error)/);
  });

  it('accepts a frame just under maxHttpBufferSize', async () => {
    server.advance(10 * 60_000);
    const socket = await connectWorkstation(server.url, auth);
    open.push(socket);

    // Within the frame limit, the batch is rejected by its schema, not by the transport.
    const events = [{ padding: 'x'.repeat(MAX_MESSAGE_BYTES - 1024) }];
    const ack = (await socket.timeout(10_000).emitWithAck(SOCKET_EVENTS.pushEvents, { events })) as PushAck;
    expect(ack.ok).toBe(true);
    expect(socket.connected).toBe(true);
  });

  it('counts handshakes per address, not per client', async () => {
    server.advance(10 * 60_000);
    const sockets = [
      connectSocket(server.url, { auth, reconnection: false, transports: ['websocket'], forceNew: true }),
      connectSocket(server.url, { auth, reconnection: false, transports: ['websocket'], forceNew: true }),
      connectSocket(server.url, { auth, reconnection: false, transports: ['websocket'], forceNew: true }),
      connectSocket(server.url, { auth, reconnection: false, transports: ['websocket'], forceNew: true }),
    ];
    open.push(...sockets);
    const outcomes = await Promise.all(
      sockets.map((socket) => Promise.race([new Promise<string>((resolve) => socket.once('connect', () => resolve('connected'))), waitForConnectError(socket).then(() => 'rejected')])),
    );
    expect(outcomes.filter((outcome) => outcome === 'connected')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === 'rejected')).toHaveLength(1);
  });
});

describe('default handshake limit on a real server', () => {
  const dir = tempDir();
  let server: LimitedServer;
  let auth: { token: string; workstationId: string };
  const open: Socket[] = [];

  beforeAll(async () => {
    server = await startLimitedServer(join(dir.path, 'server.sqlite'), DEFAULT_SERVER_LIMITS.socketConnections);
    await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, NOW);
    const session = await login(server.url, 'agente1', 'clave-segura-1', 'ws-oficina');
    auth = { token: session.token, workstationId: 'ws-oficina' };
  });

  afterAll(async () => {
    for (const socket of open) socket.close();
    await server.close();
    dir.remove();
  });

  it('lets 300 workstations behind one address reconnect at once', async () => {
    const sockets = Array.from({ length: 300 }, () => connectSocket(server.url, { auth, reconnection: false, transports: ['websocket'], forceNew: true }));
    open.push(...sockets);
    const outcomes = await Promise.all(
      sockets.map((socket) => Promise.race([new Promise<string>((resolve) => socket.once('connect', () => resolve('connected'))), waitForConnectError(socket).then(() => 'rejected')])),
    );
    expect(outcomes.filter((outcome) => outcome === 'rejected')).toEqual([]);
  });
});
