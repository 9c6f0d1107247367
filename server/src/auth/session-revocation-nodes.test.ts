import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../app.ts';
import { useTestBackend } from '../fixtures/backends.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import type { StoreLocation } from '../store/open-store.ts';

/** The Redis the tests share; this file uses its own channel prefix on it. */
const REDIS_URL = process.env.GESTIONA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const T0 = new Date('2026-12-07T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';

describe('session revocation across two server nodes', () => {
  const backend = useTestBackend('postgres');
  const keyPrefix = `gestiona-test-${randomBytes(6).toString('hex')}`;
  let location: StoreLocation;
  let nodeA: RunningServer;
  let nodeB: RunningServer;
  const sockets: Socket[] = [];

  const startNode = () => startTestServer(location, { redisUrl: REDIS_URL, redisKeyPrefix: keyPrefix, now: () => T0 });

  beforeAll(async () => {
    location = await backend.createDatabase();
    nodeA = await startNode();
    nodeB = await startNode();
    await nodeA.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD }, T0);
    await nodeA.store.createUser({ username: 'agente2', fullName: 'Julián Muñoz', role: 'agent', password: PASSWORD }, T0);
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.close();
  });

  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
  });

  async function connect(node: RunningServer, token: string, workstationId: string): Promise<Socket> {
    const socket = await connectWorkstation(node.url, { token, workstationId });
    sockets.push(socket);
    return socket;
  }

  it('closes remote socket at logout', async () => {
    const session = await login(nodeA.url, 'agente1', PASSWORD, 'ws-nodo-1');
    const other = await login(nodeA.url, 'agente2', PASSWORD, 'ws-nodo-2');
    const socket = await connect(nodeB, session.token, 'ws-nodo-1');
    const bystander = await connect(nodeB, other.token, 'ws-nodo-2');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const response = await fetch(`${nodeA.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${session.token}` } });
    expect(response.status).toBe(204);

    expect(await disconnected).toBe('io server disconnect');
    await expect(connect(nodeB, session.token, 'ws-nodo-1')).rejects.toThrow(/unauthorized/);
    expect(bystander.connected).toBe(true);
  });

  it('closes remote socket on renewal replay', async () => {
    const session = await login(nodeB.url, 'agente1', PASSWORD, 'ws-nodo-3');
    const renew = (renewalToken: string) =>
      fetch(`${nodeA.url}/api/auth/renew`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ renewalToken, workstationId: 'ws-nodo-3' }),
      });
    const renewed = (await (await renew(session.renewalToken!)).json()) as { token: string };
    const socket = await connect(nodeB, renewed.token, 'ws-nodo-3');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    expect((await renew(session.renewalToken!)).status).toBe(401);
    expect(await disconnected).toBe('io server disconnect');
  });
});
