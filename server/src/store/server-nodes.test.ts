import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '@gestiona/core/sync';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import type { StoreLocation } from './open-store.ts';
import type { ServerStore } from './types.ts';

const MINUTE = 60 * 1000;
const T0 = new Date('2026-12-07T09:00:00-05:00');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

describe.each(BACKEND_NAMES)('workstation sockets per server node on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let template: StoreLocation;
  let agents: User[];
  const open: ServerStore[] = [];

  beforeAll(async () => {
    template = await backend.createDatabase();
    const store = await backend.openStore(template);
    agents = [];
    for (const username of ['agente1', 'agente2']) agents.push(await store.createUser({ username, fullName: username, role: 'agent', password: 'clave-segura-1' }, T0));
    await store.close();
  });
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });

  /** Opens a store on the database, as a server node or the command line does. */
  async function openNode(location: StoreLocation): Promise<ServerStore> {
    const store = await backend.openStore(location);
    open.push(store);
    return store;
  }

  async function connected(store: ServerStore): Promise<Record<string, boolean>> {
    return Object.fromEntries((await store.listWorkstations()).map((workstation) => [workstation.id, workstation.connected]));
  }

  it('counts each socket until the last one closes', async () => {
    const node = await openNode(await backend.copyDatabase(template));
    await node.recordNodeAlive(T0);
    await node.workstationConnected('ws-1', agents[0]!.id, T0);
    await node.workstationConnected('ws-1', agents[0]!.id, T0);

    await node.workstationDisconnected('ws-1', at(1));
    expect(await connected(node)).toEqual({ 'ws-1': true });
    await node.workstationDisconnected('ws-1', at(2));
    expect(await connected(node)).toEqual({ 'ws-1': false });
    expect((await node.listWorkstations())[0]?.lastSeenAt).toBe(at(2).toISOString());
  });

  it('starts the count afresh when another agent uses the workstation', async () => {
    const node = await openNode(await backend.copyDatabase(template));
    await node.recordNodeAlive(T0);
    await node.workstationConnected('ws-1', agents[0]!.id, T0);
    await node.workstationConnected('ws-1', agents[1]!.id, at(1));

    await node.workstationDisconnected('ws-1', at(2));
    expect(await node.listWorkstations()).toMatchObject([{ id: 'ws-1', agentId: agents[1]!.id, connected: false }]);
  });

  it('leaves the counts alone when the command line opens the database', async () => {
    const location = await backend.copyDatabase(template);
    const server = await openNode(location);
    await server.recordNodeAlive(T0);
    await server.workstationConnected('ws-1', agents[0]!.id, T0);

    const commandLine = await openNode(location);
    expect(await connected(commandLine)).toEqual({ 'ws-1': true });
  });

  it('drops the counts of a node that stopped', async () => {
    const location = await backend.copyDatabase(template);
    const first = await openNode(location);
    await first.recordNodeAlive(T0);
    await first.workstationConnected('ws-1', agents[0]!.id, T0);
    await first.removeNode();

    expect(await connected(first)).toEqual({ 'ws-1': false });
  });

  const afterAnotherNodeStarts = { sqlite: false, postgres: true }[backendName];
  it(`${afterAnotherNodeStarts ? 'keeps' : 'drops'} the counts of a node that did not close when another node starts`, async () => {
    const location = await backend.copyDatabase(template);
    const crashed = await openNode(location);
    await crashed.recordNodeAlive(T0);
    await crashed.workstationConnected('ws-1', agents[0]!.id, T0);

    // Only one node serves a SQLite file, so the earlier node must have stopped. With PostgreSQL
    // it may still be running, until it has been silent for three minutes.
    const next = await openNode(location);
    await next.recordNodeAlive(at(1));
    expect(await connected(next)).toEqual({ 'ws-1': afterAnotherNodeStarts });

    await next.recordNodeAlive(at(4));
    expect(await connected(next)).toEqual({ 'ws-1': false });
  });

  it('keeps the counts of a node that keeps reporting', async () => {
    const location = await backend.copyDatabase(template);
    const node = await openNode(location);
    await node.recordNodeAlive(T0);
    await node.workstationConnected('ws-1', agents[0]!.id, T0);

    for (const minute of [1, 2, 3, 4, 5]) await node.recordNodeAlive(at(minute));
    expect(await connected(node)).toEqual({ 'ws-1': true });
  });
});
