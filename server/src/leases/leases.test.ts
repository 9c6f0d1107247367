import fc from 'fast-check';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedEntrySchema, type User } from '@gestiona/core/sync';
import { AppError } from '@gestiona/core/result';
import { interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import type { StoreLocation } from '../store/open-store.ts';
import type { LeaseRecord, ServerStore } from '../store/types.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const T0 = new Date('2026-12-01T08:00:00-05:00');
const DEBTOR_COUNT = 6;
/** Start of the first Bogotá day after a lease granted at T0 ends (7 days), plus the clock margin. */
const HANDOVER = new Date('2026-12-09T00:00:00-05:00');

const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);
const debtorIds = Array.from({ length: DEBTOR_COUNT }, (_, index) => `CC-${10_000_000 + index}`);

describe.each(BACKEND_NAMES)('leases on %s', (backendName) => {
  const backend = useTestBackend(backendName);

  // Hashing passwords is slow on purpose, so one template database with users and debtors is built
  // once and copied for each test and each property run.
  let template: StoreLocation;
  let agents: User[];

  beforeAll(async () => {
    template = await backend.createDatabase();
    const store = await backend.openStore(template);
    agents = [];
    for (const username of ['agente1', 'agente2', 'agente3']) agents.push(await store.createUser({ username, fullName: `Agente ${username}`, role: 'agent', password: 'secreto-123' }, T0));
    await store.createUser({ username: 'supervisor1', fullName: 'Supervisora', role: 'team-lead', password: 'secreto-123' }, T0);
    const rows = debtorIds.map((id, index) =>
      portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}`, dias_mora: String(index * 40), saldo: `${index + 1}.000.000,00` }),
    );
    await store.importPortfolio({ fileName: 'leases.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
    await store.close();
  });

  async function freshStore(leaseDays = 7): Promise<ServerStore> {
    return backend.openStore(await backend.copyDatabase(template), { leaseDays });
  }

  async function feedOf(store: ServerStore, agentId: string) {
    const page = await store.pullFeed(agentId, 0, 500);
    return page.entries.map((entry) => feedEntrySchema.parse(entry));
  }

  describe('leases', () => {
    let store: ServerStore;
    beforeEach(async () => {
      store = await freshStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('balances unleased debtors across active agents by count, highest priority first', async () => {
      const summary = await store.leaseUnassigned(T0);
      expect(summary.granted).toBe(DEBTOR_COUNT);
      expect(Object.values(summary.perAgent)).toEqual([2, 2, 2]);

      // Priority order: the two Media debtors (2, then 1), the two Tardía (4, 3), Castigada (5), Preventiva (0);
      // agents take turns in username order.
      const holders = new Map((await store.listActiveLeases(T0)).map((lease) => [lease.debtorId, lease.agentId]));
      const expected: [number, number][] = [[2, 0], [1, 1], [4, 2], [3, 0], [5, 1], [0, 2]];
      for (const [debtorIndex, agentIndex] of expected) expect(holders.get(debtorIds[debtorIndex]!), `debtor ${debtorIndex}`).toBe(agents[agentIndex]!.id);
      expect((await store.leaseUnassigned(T0)).granted).toBe(0);
    });

    it('sends the holder the full debtor with its lease end on grant', async () => {
      const lease = await store.grantLease(debtorIds[0]!, agents[0]!.id, T0);
      expect(lease.expiresAt).toBe(at(7 * DAY).toISOString());

      const feed = await feedOf(store, agents[0]!.id);
      expect(feed.map((entry) => entry.type)).toEqual(['debtor.upsert']);
      const upsert = feed[0]!;
      if (upsert.type !== 'debtor.upsert') throw new Error('expected an upsert');
      expect(upsert.payload.id).toBe(debtorIds[0]);
      expect(new Date(upsert.payload.leaseUntil).getTime()).toBe(at(7 * DAY).getTime());
      expect(upsert.payload.leaseUntil).toMatch(/-05:00$/);
      expect(await feedOf(store, agents[1]!.id)).toEqual([]);
    });

    it('refuses a second holder while the lease is open', async () => {
      await store.grantLease(debtorIds[0]!, agents[0]!.id, T0);
      const error = await store.grantLease(debtorIds[0]!, agents[1]!.id, at(HOUR)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('conflict');
      expect((error as AppError).message).toMatch(/ya está asignado a otro agente hasta/);
    });

    it('refuses a lease for a team lead or an unknown debtor', async () => {
      const lead = await store.findUserByUsername('supervisor1');
      await expect(store.grantLease(debtorIds[0]!, lead!.id, T0)).rejects.toThrow(/no es un agente activo/);
      await expect(store.grantLease('CC-1', agents[0]!.id, T0)).rejects.toThrow(/no existe/);
    });

    it('tells the holder to drop the debtor on release and on reassignment', async () => {
      const released = await store.grantLease(debtorIds[0]!, agents[0]!.id, T0);
      const reassigned = await store.grantLease(debtorIds[1]!, agents[0]!.id, T0);
      await store.releaseLease(debtorIds[0]!, at(HOUR));
      await store.reassignDebtor(debtorIds[1]!, agents[1]!.id, at(2 * HOUR));

      const removals = (await feedOf(store, agents[0]!.id)).filter((entry) => entry.type === 'debtor.remove').map((entry) => entry.payload);
      expect(removals).toEqual([
        { debtorId: debtorIds[0], reason: 'lease-ended', leaseId: released.id },
        { debtorId: debtorIds[1], reason: 'reassigned', leaseId: reassigned.id },
      ]);
      expect((await store.activeLease(debtorIds[1]!, at(2 * HOUR)))?.agentId).toBe(agents[1]!.id);
    });

    it('closes an expired lease at its expiry and keeps it in the history', async () => {
      await store.grantLease(debtorIds[0]!, agents[0]!.id, T0);
      expect(await store.expireLeases(at(7 * DAY - 1))).toBe(0);
      expect(await store.expireLeases(at(8 * DAY))).toBe(1);

      const [lease] = await store.leaseHistory(debtorIds[0]!);
      expect(lease).toMatchObject({ releaseReason: 'expired', releasedAt: at(7 * DAY).toISOString() });
      expect((await feedOf(store, agents[0]!.id)).at(-1)).toMatchObject({ type: 'debtor.remove', payload: { reason: 'lease-ended' } });
      expect(await store.activeLease(debtorIds[0]!, at(8 * DAY))).toBeNull();
    });

    it('renews only leases with less than half their time left', async () => {
      await store.grantLease(debtorIds[0]!, agents[0]!.id, T0);
      expect(await store.renewLeases(agents[0]!.id, at(3 * DAY))).toBe(0);
      expect(await store.renewLeases(agents[0]!.id, at(4 * DAY))).toBe(1);

      const history = await store.leaseHistory(debtorIds[0]!);
      expect(history.map((lease) => [lease.releaseReason, lease.grantedAt, lease.expiresAt])).toEqual([
        ['renewed', T0.toISOString(), at(7 * DAY).toISOString()],
        [null, at(4 * DAY).toISOString(), at(11 * DAY).toISOString()],
      ]);
      const upserts = (await feedOf(store, agents[0]!.id)).filter((entry) => entry.type === 'debtor.upsert');
      expect(upserts).toHaveLength(2);
    });

    it('sends a new holder the recent contacts made by the previous one', async () => {
      await store.grantLease(debtorIds[0]!, agents[0]!.id, T0);
      // No row in `workstations`: the contact alone shows that ws-1 held the debtor, so the debtor waits for it.
      const event = interactionEvent({
        agentId: agents[0]!.id,
        workstationId: 'ws-1',
        debtorId: debtorIds[0]!,
        personId: debtorIds[0]!,
        contactPointId: `${debtorIds[0]}/celular`,
        seq: 1,
        at: at(HOUR).toISOString(),
      });
      expect(await store.ingestEvent(event, { agentId: agents[0]!.id, workstationId: 'ws-1', receivedAt: at(HOUR) })).toEqual({ status: 'stored' });

      await store.reassignDebtor(debtorIds[0]!, agents[1]!.id, at(2 * HOUR));
      // The first lease ran to 8 December 08:00, so the debtor reaches the new holder on 9 December at 00:00.
      await store.expireLeases(HANDOVER);
      const feed = await feedOf(store, agents[1]!.id);
      expect(feed.map((entry) => entry.type)).toEqual(['debtor.upsert', 'ledger.add']);
      expect(feed[1]?.payload).toMatchObject({ personId: debtorIds[0], channel: 'voice', kind: 'attempt' });
    });
  });

  describe('handover to another agent', () => {
    let store: ServerStore;
    beforeEach(async () => {
      store = await freshStore();
      await store.grantLease(debtorIds[0]!, agents[0]!.id, T0);
      // The first holder's workstation connects after the grant, so it may hold the debtor until it acknowledges the removal.
      await store.workstationConnected('ws-a', agents[0]!.id, at(HOUR));
    });
    afterEach(async () => {
      await store.close();
    });

    const upsertsOf = async (agentId: string) =>
      (await feedOf(store, agentId)).flatMap((entry) => (entry.type === 'debtor.upsert' ? [entry.payload] : []));

    it('sends a reassigned debtor to the new holder only at the handover', async () => {
      const lease = await store.reassignDebtor(debtorIds[0]!, agents[1]!.id, at(2 * HOUR));
      expect(lease.agentId).toBe(agents[1]!.id);
      expect((await feedOf(store, agents[0]!.id)).at(-1)).toMatchObject({ type: 'debtor.remove', payload: { reason: 'reassigned' } });
      expect(await upsertsOf(agents[1]!.id)).toEqual([]);

      await store.expireLeases(new Date(HANDOVER.getTime() - 1));
      expect(await upsertsOf(agents[1]!.id)).toEqual([]);

      await store.expireLeases(HANDOVER);
      const [upsert] = await upsertsOf(agents[1]!.id);
      expect(upsert?.id).toBe(debtorIds[0]);
      expect(new Date(upsert!.leaseUntil).getTime()).toBe(HANDOVER.getTime() + 7 * DAY);
      await store.expireLeases(new Date(HANDOVER.getTime() + HOUR));
      expect(await upsertsOf(agents[1]!.id)).toHaveLength(1);
    });

    it('does not send a waiting lease early through a renewal', async () => {
      await store.reassignDebtor(debtorIds[0]!, agents[1]!.id, at(2 * HOUR));
      expect(await store.renewLeases(agents[1]!.id, at(6 * DAY))).toBe(0);
      expect(await upsertsOf(agents[1]!.id)).toEqual([]);
    });

    it('gives an expired debtor to another agent from the next day', async () => {
      await store.expireLeases(at(7 * DAY));
      const lease = await store.grantLease(debtorIds[0]!, agents[1]!.id, at(7 * DAY + HOUR));
      expect(lease.agentId).toBe(agents[1]!.id);
      expect(await upsertsOf(agents[1]!.id)).toEqual([]);

      await store.expireLeases(HANDOVER);
      expect(await upsertsOf(agents[1]!.id)).toHaveLength(1);
    });

    it('returns a debtor to its previous holder at once', async () => {
      await store.reassignDebtor(debtorIds[0]!, agents[1]!.id, at(2 * HOUR));
      await store.reassignDebtor(debtorIds[0]!, agents[0]!.id, at(3 * HOUR));
      expect(await upsertsOf(agents[0]!.id)).toHaveLength(2);
      expect(await upsertsOf(agents[1]!.id)).toEqual([]);
    });

    it('makes a third agent wait for the first holder after an unsent lease', async () => {
      await store.reassignDebtor(debtorIds[0]!, agents[1]!.id, at(2 * HOUR));
      await store.reassignDebtor(debtorIds[0]!, agents[2]!.id, at(3 * HOUR));
      expect(await upsertsOf(agents[2]!.id)).toEqual([]);
      await store.expireLeases(HANDOVER);
      expect(await upsertsOf(agents[2]!.id)).toHaveLength(1);
      expect(await upsertsOf(agents[1]!.id)).toEqual([]);
    });
  });

  describe('lease exclusivity', () => {
    type Operation =
      | { kind: 'grant'; debtor: number; agent: number }
      | { kind: 'release'; debtor: number }
      | { kind: 'reassign'; debtor: number; agent: number }
      | { kind: 'renew'; agent: number }
      | { kind: 'lease-all' }
      | { kind: 'expire' }
      | { kind: 'advance'; hours: number };

    const debtor = fc.integer({ min: 0, max: DEBTOR_COUNT - 1 });
    const agent = fc.integer({ min: 0, max: 2 });
    const operation: fc.Arbitrary<Operation> = fc.oneof(
      fc.record({ kind: fc.constant('grant' as const), debtor, agent }),
      fc.record({ kind: fc.constant('release' as const), debtor }),
      fc.record({ kind: fc.constant('reassign' as const), debtor, agent }),
      fc.record({ kind: fc.constant('renew' as const), agent }),
      fc.record({ kind: fc.constant('lease-all' as const) }),
      fc.record({ kind: fc.constant('expire' as const) }),
      fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 100 }) }),
    );

    /** A lease covers [grantedAt, end), where end is its release or its expiry, whichever came first. */
    const endOf = (lease: LeaseRecord) => (lease.releasedAt !== null && lease.releasedAt < lease.expiresAt ? lease.releasedAt : lease.expiresAt);

    it('never gives a debtor two holders at once', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 40 }), async (operations) => {
          const store = await freshStore(2);
          try {
            let now = T0;
            for (const step of operations) {
              try {
                switch (step.kind) {
                  case 'grant':
                    await store.grantLease(debtorIds[step.debtor]!, agents[step.agent]!.id, now);
                    break;
                  case 'release':
                    await store.releaseLease(debtorIds[step.debtor]!, now);
                    break;
                  case 'reassign':
                    await store.reassignDebtor(debtorIds[step.debtor]!, agents[step.agent]!.id, now);
                    break;
                  case 'renew':
                    await store.renewLeases(agents[step.agent]!.id, now);
                    break;
                  case 'lease-all':
                    await store.leaseUnassigned(now);
                    break;
                  case 'expire':
                    await store.expireLeases(now);
                    break;
                  case 'advance':
                    now = new Date(now.getTime() + step.hours * HOUR);
                    break;
                }
              } catch (error) {
                // A refused grant is the invariant at work; anything else is a bug.
                if (!(error instanceof AppError && error.code === 'conflict')) throw error;
              }

              for (const id of debtorIds) {
                const active = (await store.listActiveLeases(now)).filter((lease) => lease.debtorId === id);
                expect(active.length).toBeLessThanOrEqual(1);
              }
            }

            for (const id of debtorIds) {
              const history = await store.leaseHistory(id);
              for (const [index, first] of history.entries()) {
                for (const second of history.slice(index + 1)) {
                  const overlap = first.grantedAt < endOf(second) && second.grantedAt < endOf(first);
                  expect(overlap, `${JSON.stringify(first)} overlaps ${JSON.stringify(second)}`).toBe(false);
                }
              }
            }
          } finally {
            await store.close();
          }
        }),
        { numRuns: 60 },
      );
    });
  });
});
