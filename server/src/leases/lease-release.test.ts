import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedEntrySchema, type FeedEntry, type SyncEvent, type User } from '@gestiona/core/sync';
import { interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import type { StoreLocation } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** Tuesday 1 December 2026, 08:00 in Bogotá. */
const T0 = new Date('2026-12-01T08:00:00-05:00');
/** The handover by expiry of a 7-day lease granted at T0. */
const HANDOVER = new Date('2026-12-09T00:00:00-05:00');
const DEBTOR_ID = 'CC-30000000';

const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

describe.each(BACKEND_NAMES)('lease release acknowledgements on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let template: StoreLocation;
  let agents: User[];

  beforeAll(async () => {
    template = await backend.createDatabase();
    const store = await backend.openStore(template);
    agents = [];
    for (const username of ['agente1', 'agente2', 'agente3']) agents.push(await store.createUser({ username, fullName: `Agente ${username}`, role: 'agent', password: 'secreto-123' }, T0));
    const rows = [portfolioRow({ numero_documento: DEBTOR_ID.slice(3), numero_obligacion: 'OB-1' })];
    await store.importPortfolio({ fileName: 'liberaciones.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
    await store.close();
  });

  let store: ServerStore;
  let oldHolder: User;
  let newHolder: User;
  let seq: number;
  beforeEach(async () => {
    store = await backend.openStore(await backend.copyDatabase(template));
    [oldHolder, newHolder] = [agents[0]!, agents[1]!];
    seq = 0;
    await store.grantLease(DEBTOR_ID, oldHolder.id, T0);
  });
  afterEach(async () => {
    await store.close();
  });

  async function feedOf(agentId: string): Promise<FeedEntry[]> {
    return (await store.pullFeed(agentId, 0, 500)).entries.map((entry) => feedEntrySchema.parse(entry));
  }

  async function upsertsOf(agentId: string) {
    return (await feedOf(agentId)).filter((entry) => entry.type === 'debtor.upsert');
  }

  /** Returns the lease id that the last `debtor.remove` of the debtor in the agent's feed names. */
  async function removedLeaseId(agentId: string): Promise<number> {
    const removal = (await feedOf(agentId)).filter((entry) => entry.type === 'debtor.remove').at(-1);
    if (removal?.type !== 'debtor.remove' || removal.payload.leaseId === undefined) throw new Error('expected a debtor.remove naming its lease');
    return removal.payload.leaseId;
  }

  function release(workstationId: string, leaseId: number, removedAt: Date, agentId = oldHolder.id): SyncEvent {
    seq += 1;
    return {
      id: randomUUID(),
      type: 'lease.released',
      workstationId,
      seq,
      agentId,
      occurredAt: removedAt.toISOString(),
      payload: { debtorId: DEBTOR_ID, leaseId, reason: 'reassigned', removedAt: removedAt.toISOString() },
    };
  }

  function contact(workstationId: string, dialedAt: Date) {
    seq += 1;
    return interactionEvent({
      agentId: oldHolder.id,
      workstationId,
      debtorId: DEBTOR_ID,
      personId: DEBTOR_ID,
      contactPointId: `${DEBTOR_ID}/celular`,
      seq,
      at: dialedAt.toISOString(),
    });
  }

  const ingest = (event: SyncEvent, workstationId: string, receivedAt: Date, agentId = oldHolder.id) =>
    store.ingestEvent(event, { agentId, workstationId, receivedAt });

  it('hands a reassigned debtor over once the old desk acknowledges the removal', async () => {
    await store.workstationConnected('ws-a', oldHolder.id, at(HOUR));
    const dialed = contact('ws-a', at(2 * HOUR));
    expect(await ingest(dialed, 'ws-a', at(2 * HOUR))).toEqual({ status: 'stored' });

    await store.reassignDebtor(DEBTOR_ID, newHolder.id, at(3 * HOUR));
    expect(await upsertsOf(newHolder.id)).toEqual([]);

    const leaseId = await removedLeaseId(oldHolder.id);
    expect(await ingest(release('ws-a', leaseId, at(3 * HOUR + 60_000)), 'ws-a', at(3 * HOUR + 120_000))).toEqual({ status: 'stored' });

    const feed = await feedOf(newHolder.id);
    expect(feed.map((entry) => entry.type)).toEqual(['debtor.upsert', 'ledger.add']);
    const upsert = feed[0]!;
    if (upsert.type !== 'debtor.upsert') throw new Error('expected an upsert');
    expect(new Date(upsert.payload.leaseUntil).getTime()).toBe(at(3 * HOUR + 120_000 + 7 * DAY).getTime());
    // The old holder's contact of the same day reaches the new desk with the debtor, so R5 applies there too.
    expect(feed[1]?.payload).toMatchObject({ id: dialed.type === 'interaction.recorded' ? dialed.payload.interactionId : '', personId: DEBTOR_ID });

    const history = await store.leaseHistory(DEBTOR_ID);
    expect(history.find((lease) => lease.id === leaseId)?.releaseConfirmedAt).toBe(at(3 * HOUR + 120_000).toISOString());
    expect(history.at(-1)).toMatchObject({ agentId: newHolder.id, releasedAt: null, grantedAt: at(3 * HOUR + 120_000).toISOString() });
  });

  it('waits for every desk the old holder used during the lease', async () => {
    await store.workstationConnected('ws-a', oldHolder.id, at(HOUR));
    await store.workstationConnected('ws-b', oldHolder.id, at(HOUR));
    await store.workstationDisconnected('ws-b', at(2 * HOUR));
    await store.reassignDebtor(DEBTOR_ID, newHolder.id, at(3 * HOUR));
    const leaseId = await removedLeaseId(oldHolder.id);

    await ingest(release('ws-a', leaseId, at(3 * HOUR)), 'ws-a', at(3 * HOUR));
    await store.expireLeases(at(4 * HOUR));
    expect(await upsertsOf(newHolder.id)).toEqual([]);

    expect(await ingest(release('ws-b', leaseId, at(5 * HOUR)), 'ws-b', at(5 * HOUR))).toEqual({ status: 'stored' });
    expect(await upsertsOf(newHolder.id)).toHaveLength(1);
  });

  it('falls back to the handover by expiry while a desk stays offline', async () => {
    await store.workstationConnected('ws-a', oldHolder.id, at(HOUR));
    await store.reassignDebtor(DEBTOR_ID, newHolder.id, at(3 * HOUR));

    await store.expireLeases(new Date(HANDOVER.getTime() - 1));
    expect(await upsertsOf(newHolder.id)).toEqual([]);
    await store.expireLeases(HANDOVER);
    expect(await upsertsOf(newHolder.id)).toHaveLength(1);
  });

  it.each([
    { name: 'a desk last seen before the lease', setup: (target: ServerStore) => target.workstationConnected('ws-old', agents[0]!.id, new Date(T0.getTime() - DAY)).then(() => target.workstationDisconnected('ws-old', new Date(T0.getTime() - DAY))) },
    { name: 'a desk another agent signed in on', setup: (target: ServerStore) => target.workstationConnected('ws-a', agents[0]!.id, at(HOUR)).then(() => target.workstationConnected('ws-a', agents[2]!.id, at(2 * HOUR))) },
  ])('does not wait for $name', async ({ setup }) => {
    await setup(store);
    await store.reassignDebtor(DEBTOR_ID, newHolder.id, at(3 * HOUR));
    expect(await upsertsOf(newHolder.id)).toHaveLength(1);
  });

  it('waits for a desk still connected since before the lease', async () => {
    await store.workstationConnected('ws-a', oldHolder.id, new Date(T0.getTime() - HOUR));
    await store.reassignDebtor(DEBTOR_ID, newHolder.id, at(3 * HOUR));
    expect(await upsertsOf(newHolder.id)).toEqual([]);
  });

  it('sends a later grant at once after a confirmed release', async () => {
    await store.workstationConnected('ws-a', oldHolder.id, at(HOUR));
    await store.releaseLease(DEBTOR_ID, at(2 * HOUR));
    await ingest(release('ws-a', await removedLeaseId(oldHolder.id), at(2 * HOUR)), 'ws-a', at(2 * HOUR));

    await store.grantLease(DEBTOR_ID, newHolder.id, at(5 * HOUR));
    expect(await upsertsOf(newHolder.id)).toHaveLength(1);
  });

  it('acknowledges a repeated event once', async () => {
    await store.workstationConnected('ws-a', oldHolder.id, at(HOUR));
    await store.reassignDebtor(DEBTOR_ID, newHolder.id, at(3 * HOUR));
    const event = release('ws-a', await removedLeaseId(oldHolder.id), at(3 * HOUR));
    expect(await ingest(event, 'ws-a', at(3 * HOUR))).toEqual({ status: 'stored' });
    expect(await ingest(event, 'ws-a', at(4 * HOUR))).toEqual({ status: 'duplicate' });
    expect(await upsertsOf(newHolder.id)).toHaveLength(1);
  });

  it('rejects an acknowledgement naming another agent\'s lease', async () => {
    await store.workstationConnected('ws-a', oldHolder.id, at(HOUR));
    await store.reassignDebtor(DEBTOR_ID, newHolder.id, at(3 * HOUR));
    const leaseId = await removedLeaseId(oldHolder.id);

    const outcome = await ingest(release('ws-c', leaseId, at(3 * HOUR), newHolder.id), 'ws-c', at(3 * HOUR), newHolder.id);
    expect(outcome).toMatchObject({ status: 'rejected', code: 'not-leased' });
    expect(await upsertsOf(newHolder.id)).toEqual([]);
  });

  describe('late contacts of the old holder', () => {
    beforeEach(async () => {
      await store.workstationConnected('ws-a', oldHolder.id, at(HOUR));
      await store.workstationConnected('ws-b', oldHolder.id, at(HOUR));
      await store.reassignDebtor(DEBTOR_ID, newHolder.id, at(3 * HOUR));
    });

    it('accepts a contact made before the desk heard of the reassignment', async () => {
      expect(await ingest(contact('ws-b', at(4 * HOUR)), 'ws-b', at(20 * HOUR))).toEqual({ status: 'stored' });
    });

    it('rejects a contact after the confirmed release', async () => {
      const leaseId = await removedLeaseId(oldHolder.id);
      await ingest(release('ws-a', leaseId, at(4 * HOUR)), 'ws-a', at(4 * HOUR));
      await ingest(release('ws-b', leaseId, at(5 * HOUR)), 'ws-b', at(5 * HOUR));

      expect(await ingest(contact('ws-b', at(5 * HOUR - 60_000)), 'ws-b', at(6 * HOUR))).toEqual({ status: 'stored' });
      expect(await ingest(contact('ws-b', at(6 * HOUR)), 'ws-b', at(6 * HOUR))).toMatchObject({ status: 'rejected', code: 'not-leased' });
    });

    it('rejects a contact after the old lease expired', async () => {
      expect(await ingest(contact('ws-b', at(7 * DAY)), 'ws-b', at(7 * DAY))).toMatchObject({ status: 'rejected', code: 'not-leased' });
    });
  });
});
