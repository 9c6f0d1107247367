/**
 * A strategy published from another process (`npm run server -- strategy publish`, or another node
 * without Redis) reaches the running server's connected workstations. That process writes the
 * database through a store of its own, so only the content watch can send the feed hint. Without
 * that hint, a signed-in agent kept the old segments until signing in again.
 */
import { io as connectSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { login, startTestServer } from '../fixtures/server.ts';

const NOW = new Date('2026-12-07T10:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const POLL_MS = 100;

/** The set in force with the preventive segment widened to `days` days past due, under a new version. */
function widened(set: StrategySet, days: number): StrategySet {
  const next = structuredClone(set);
  next.version = `${set.version}-hasta-${days}`;
  const rule = next.segments.find((segment) => segment.id === 'preventiva')?.rule;
  const band = rule && 'all' in rule ? rule.all.find((node) => 'variable' in node && node.variable === 'daysPastDue') : undefined;
  if (band === undefined || !('variable' in band)) throw new Error('the preventive segment has no daysPastDue condition');
  band.value = days;
  return next;
}

describe.each(BACKEND_NAMES)('strategy published from another process on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('hints once per new publication', async () => {
    const location = await backend.createDatabase();
    const server = await startTestServer(location, { now: () => NOW, contentPollMs: POLL_MS });
    cleanups.push(() => server.close());
    const admin = await server.store.createUser({ username: 'admin', fullName: 'Ana Ruiz', role: 'admin', password: PASSWORD });
    await server.store.createUser({ username: 'agente1', fullName: 'Laura Gómez', role: 'agent', password: PASSWORD });
    const { token } = await login(server.url, 'agente1', PASSWORD, 'ws-1');
    const socket = connectSocket(server.url, { auth: { token, workstationId: 'ws-1' }, reconnection: false, transports: ['websocket'] });
    cleanups.push(() => void socket.close());
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let hints = 0;
    socket.on(SOCKET_EVENTS.feedHint, () => (hints += 1));

    const other = await backend.openStore(location);
    cleanups.push(() => other.close());
    const inForce = (await other.listStrategies(1))[0]!.strategy;

    // The same set again writes nothing, so the watch must stay quiet over several polls.
    const unchanged = await other.publishStrategy({ strategy: inForce, publishedBy: admin.id, now: NOW });
    expect(unchanged.published).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 5));
    expect(hints).toBe(0);

    for (const days of [30, 90]) {
      const before = hints;
      const hinted = new Promise<void>((resolve) => socket.once(SOCKET_EVENTS.feedHint, () => resolve()));
      const current = (await other.listStrategies(1))[0]!.strategy;
      const publication = await other.publishStrategy({ strategy: widened(current, days), reason: `Preventiva hasta ${days} días`, publishedBy: admin.id, now: NOW });
      expect(publication.published).toBe(true);
      await hinted;
      // One more poll past the hint: the head is remembered, so the same publication is not hinted again.
      await new Promise((resolve) => setTimeout(resolve, POLL_MS * 3));
      expect(hints).toBe(before + 1);
    }
  });
});
