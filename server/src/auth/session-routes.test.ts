import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { renewRefusalSchema, renewResponseSchema, type LoginResponse } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import { EXPIRED_SESSION_RETENTION_MS } from '../store/sql-store.ts';
import type { StoreLocation } from '../store/open-store.ts';
import { RENEWAL_MESSAGES } from './session-routes.ts';
import { SESSION_LIFETIME_MS } from './tokens.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const T0 = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';

describe.each(BACKEND_NAMES)('session renewal on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let location: StoreLocation;
  let server: RunningServer;
  let clock: Date;
  const logLines: Array<Record<string, unknown>> = [];
  const sockets: Socket[] = [];
  let userCount = 0;

  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });

  /** Creates a fresh agent per test, so that lockouts and chains of one test never reach another. */
  async function newAgent(): Promise<string> {
    userCount += 1;
    const username = `agente${userCount}`;
    await server.store.createUser({ username, fullName: `Agente ${userCount}`, role: 'agent', password: PASSWORD }, clock);
    return username;
  }

  function renew(renewalToken: string, workstationId: string): Promise<Response> {
    return fetch(`${server.url}/api/auth/renew`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ renewalToken, workstationId }),
    });
  }

  async function renewOk(renewalToken: string, workstationId: string) {
    const response = await renew(renewalToken, workstationId);
    expect(response.status).toBe(200);
    return renewResponseSchema.parse(await response.json());
  }

  async function refusal(response: Response) {
    return renewRefusalSchema.parse(await response.json());
  }

  function logout(token: string | null): Promise<Response> {
    return fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  }

  async function connect(token: string, workstationId: string): Promise<Socket> {
    const socket = await connectWorkstation(server.url, { token, workstationId });
    sockets.push(socket);
    return socket;
  }

  function renewalTokenOf(session: LoginResponse): string {
    expect(session.renewalToken).toBeDefined();
    return session.renewalToken!;
  }

  beforeAll(async () => {
    location = await backend.createDatabase();
    clock = T0;
    server = await startTestServer(location, { now: () => clock, logger: pino({ level: 'info' }, sink) });
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
    clock = T0;
  });

  afterAll(async () => {
    await server.close();
  });

  it('issues a renewal token at login that lasts 7 days', async () => {
    const session = await login(server.url, await newAgent(), PASSWORD, 'ws-1');
    expect(renewalTokenOf(session)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session.renewalExpiresAt).toBe('2026-12-11T09:00:00-05:00');
    expect(session.expiresAt).toBe('2026-12-04T21:00:00-05:00');
  });

  it('renews an expired session and rotates the renewal token', async () => {
    const session = await login(server.url, await newAgent(), PASSWORD, 'ws-1');
    clock = new Date(T0.getTime() + SESSION_LIFETIME_MS + HOUR);
    await expect(connect(session.token, 'ws-1')).rejects.toThrow(/unauthorized/);

    const renewed = await renewOk(renewalTokenOf(session), 'ws-1');
    expect(renewed.user.username).toBe(session.user.username);
    expect(renewed.token).not.toBe(session.token);
    expect(renewed.renewalToken).not.toBe(session.renewalToken);
    expect(renewed.expiresAt).toBe('2026-12-05T10:00:00-05:00');
    expect((await connect(renewed.token, 'ws-1')).connected).toBe(true);

    // The new renewal token renews again, 3 days later, as a workstation back from 72 hours offline does.
    clock = new Date(T0.getTime() + 3 * DAY);
    const again = await renewOk(renewed.renewalToken, 'ws-1');
    expect((await connect(again.token, 'ws-1')).connected).toBe(true);
  });

  it('refuses an expired renewal token', async () => {
    const session = await login(server.url, await newAgent(), PASSWORD, 'ws-1');
    clock = new Date(T0.getTime() + 7 * DAY);
    const response = await renew(renewalTokenOf(session), 'ws-1');
    expect(response.status).toBe(401);
    expect(await refusal(response)).toEqual({ reason: 'expired', error: RENEWAL_MESSAGES.expired });
  });

  it('refuses an unknown renewal token', async () => {
    const response = await renew('x'.repeat(43), 'ws-1');
    expect(response.status).toBe(401);
    expect(await refusal(response)).toEqual({ reason: 'invalid', error: RENEWAL_MESSAGES.invalid });
  });

  it.each([
    ['no body', undefined],
    ['a short token', JSON.stringify({ renewalToken: 'corto', workstationId: 'ws-1' })],
    ['no workstation', JSON.stringify({ renewalToken: 'x'.repeat(43) })],
  ])('rejects a renewal with %s', async (_case, body) => {
    const response = await fetch(`${server.url}/api/auth/renew`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body ?? '{}' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^Solicitud inválida: revise el campo/);
  });

  it('revokes the chain when a rotated-out renewal token is replayed', async () => {
    const username = await newAgent();
    const session = await login(server.url, username, PASSWORD, 'ws-2');
    const renewed = await renewOk(renewalTokenOf(session), 'ws-2');
    const socket = await connect(renewed.token, 'ws-2');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const replay = await renew(renewalTokenOf(session), 'ws-2');
    expect(replay.status).toBe(401);
    expect(await refusal(replay)).toEqual({ reason: 'revoked', error: RENEWAL_MESSAGES.revoked });

    // Every session and renewal token of the chain is dead, and the open socket was closed.
    expect(await disconnected).toBe('io server disconnect');
    await expect(connect(renewed.token, 'ws-2')).rejects.toThrow(/unauthorized/);
    await expect(connect(session.token, 'ws-2')).rejects.toThrow(/unauthorized/);
    const latest = await renew(renewed.renewalToken, 'ws-2');
    expect(latest.status).toBe(401);
    expect((await refusal(latest)).reason).toBe('revoked');

    const warning = logLines.find((line) => line.msg === 'renew session: retired or foreign renewal token presented, chain revoked' && line.workstationId === 'ws-2');
    expect(warning).toMatchObject({ level: 40, cause: 'reused', presentedBy: 'ws-2' });
    expect(JSON.stringify(logLines)).not.toContain(renewed.renewalToken);

    // A new login opens a new chain that works.
    const fresh = await login(server.url, username, PASSWORD, 'ws-2');
    expect((await connect(fresh.token, 'ws-2')).connected).toBe(true);
  });

  it('revokes the chain when another workstation presents the token', async () => {
    const session = await login(server.url, await newAgent(), PASSWORD, 'ws-3');
    const foreign = await renew(renewalTokenOf(session), 'ws-otra');
    expect(foreign.status).toBe(401);
    expect((await refusal(foreign)).reason).toBe('revoked');
    await expect(connect(session.token, 'ws-3')).rejects.toThrow(/unauthorized/);
    expect((await renew(renewalTokenOf(session), 'ws-3')).status).toBe(401);
  });

  it('lets only one of two simultaneous renewals with one token through', async () => {
    const session = await login(server.url, await newAgent(), PASSWORD, 'ws-4');
    const statuses = (await Promise.all([renew(renewalTokenOf(session), 'ws-4'), renew(renewalTokenOf(session), 'ws-4')])).map((response) => response.status);
    expect(statuses.sort()).toEqual([200, 401]);
  });

  it('refuses to renew for a disabled user', async () => {
    const username = await newAgent();
    const session = await login(server.url, username, PASSWORD, 'ws-5');
    expect(await server.store.setUserActive(username, false)).toBe(true);

    const response = await renew(renewalTokenOf(session), 'ws-5');
    expect(response.status).toBe(403);
    expect(await refusal(response)).toEqual({ reason: 'user-disabled', error: RENEWAL_MESSAGES['user-disabled'] });
  });

  it('revokes the session and its chain at logout and closes its sockets', async () => {
    const session = await login(server.url, await newAgent(), PASSWORD, 'ws-6');
    const renewed = await renewOk(renewalTokenOf(session), 'ws-6');
    const socket = await connect(renewed.token, 'ws-6');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    expect((await logout(renewed.token)).status).toBe(204);
    expect(await disconnected).toBe('io server disconnect');
    await expect(connect(renewed.token, 'ws-6')).rejects.toThrow(/unauthorized/);
    await expect(connect(session.token, 'ws-6')).rejects.toThrow(/unauthorized/);
    expect((await refusal(await renew(renewed.renewalToken, 'ws-6'))).reason).toBe('revoked');
  });

  it('answers a logout with an unknown token like a known one', async () => {
    expect((await logout('y'.repeat(43))).status).toBe(204);
  });

  it.each([
    ['no header', null],
    ['a malformed token', 'corto'],
  ])('rejects a logout with %s', async (_case, token) => {
    const response = await logout(token);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toContain('Authorization: Bearer');
  });

  it('disconnects a revoked session even while its socket is open', async () => {
    const session = await login(server.url, await newAgent(), PASSWORD, 'ws-7');
    const socket = await connect(session.token, 'ws-7');
    await logout(session.token);
    await vi.waitFor(() => expect(socket.connected).toBe(false), { timeout: 5_000, interval: 20 });
  });

  // Last in this block, because the purge also deletes what the earlier tests left behind.
  it('purges sessions a month after expiry', async () => {
    const old = await login(server.url, await newAgent(), PASSWORD, 'ws-1');
    const renewed = await renewOk(renewalTokenOf(old), 'ws-1');

    // Nothing in this database expired before T0, so a purge whose cutoff is an hour before it deletes nothing.
    clock = new Date(T0.getTime() + EXPIRED_SESSION_RETENTION_MS - HOUR);
    expect(await server.store.purgeExpiredSessions(clock)).toEqual({ sessions: 0, renewalTokens: 0, chains: 0 });

    clock = new Date(T0.getTime() + 7 * DAY + EXPIRED_SESSION_RETENTION_MS + HOUR);
    const fresh = await login(server.url, await newAgent(), PASSWORD, 'ws-2');
    const purged = await server.store.purgeExpiredSessions(clock);
    expect(purged.sessions).toBeGreaterThanOrEqual(2);
    expect(purged.renewalTokens).toBeGreaterThanOrEqual(2);
    expect(purged.chains).toBeGreaterThanOrEqual(1);
    expect(await server.store.purgeExpiredSessions(clock)).toEqual({ sessions: 0, renewalTokens: 0, chains: 0 });

    // The purged token is unknown now, and the session opened after the cutoff still works.
    expect(await refusal(await renew(renewed.renewalToken, 'ws-1'))).toEqual({ reason: 'invalid', error: RENEWAL_MESSAGES.invalid });
    expect((await connect(fresh.token, 'ws-2')).connected).toBe(true);
    expect((await renewOk(renewalTokenOf(fresh), 'ws-2')).user.username).toBe(fresh.user.username);
  });
});

describe('session renewal lifetime', () => {
  const backend = useTestBackend('sqlite');

  it('follows the renewalLifetimeMs option', async () => {
    const server = await startTestServer(await backend.createDatabase(), { now: () => T0, renewalLifetimeMs: 2 * DAY, logger: pino({ level: 'silent' }) });
    try {
      await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD }, T0);
      const session = await login(server.url, 'agente1', PASSWORD, 'ws-1');
      expect(session.renewalExpiresAt).toBe('2026-12-06T09:00:00-05:00');
    } finally {
      await server.close();
    }
  });
});
