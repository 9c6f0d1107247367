/**
 * A fleet of real workstations against the real server store, over many random schedules. The
 * socket.io transport is replaced by direct calls to the server store, so a partition is simply
 * a workstation that does not pull or push, and a schedule runs in well under a second. A sync
 * records the connection as the socket would, because the server hands a debtor over early only
 * once every workstation that connected while its agent held the debtor acknowledged the removal.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bogotaDate, toBogotaIso } from '@gestiona/core/format';
import type { DialResult } from '@gestiona/core/ipc';
import type { User } from '@gestiona/core/sync';
import { portfolioCsv, portfolioRow, utf8 } from '../../server/src/fixtures/portfolio.ts';
import { openStore } from '../../server/src/store/open-store.ts';
import type { LeaseRecord, ServerStore } from '../../server/src/store/types.ts';
import { SettableClock } from '../clock.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { LocalStore } from '../store/local-store.ts';
import { seedEntries } from '../test-support/fixtures.ts';
import { MemorySecretStore, openWorkstation, removeDir, TEST_DATABASE_KEY, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** Monday 2 March 2026, 08:00 in Bogotá. */
const T0 = Date.parse('2026-03-02T08:00:00-05:00');
const DEBTOR_COUNT = 6;
const AGENT_COUNT = 3;
/** Short leases, so that schedules of a few weeks see expiries, renewals and handovers. */
const LEASE_DAYS = 2;
/** R6: a contact on another channel within 7 × 24 hours of a contact is not allowed. */
const OTHER_CHANNEL_WINDOW_MS = 7 * DAY;
const ROOT = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();

type Step =
  | { kind: 'advance'; minutes: number }
  | { kind: 'partition'; station: number }
  | { kind: 'heal'; station: number }
  | { kind: 'sync'; station: number }
  | { kind: 'dial'; station: number; pick: number }
  | { kind: 'reassign'; debtor: number; agent: number }
  | { kind: 'release'; debtor: number }
  | { kind: 'lease-all' };

const station = fc.integer({ min: 0, max: AGENT_COUNT - 1 });
const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 10, max: 6 * 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 6 * 60, max: 3 * 24 * 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('partition' as const), station }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heal' as const), station }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), station }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('dial' as const), station, pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('reassign' as const), debtor: fc.integer({ min: 0, max: DEBTOR_COUNT - 1 }), agent: station }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('release' as const), debtor: fc.integer({ min: 0, max: DEBTOR_COUNT - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('lease-all' as const) }) },
);

interface Contact {
  station: number;
  agentId: string;
  debtorId: string;
  personId: string;
  channel: string;
  atMs: number;
  /** Position in the run, because several actions happen at the same instant. */
  tick: number;
}

interface Station {
  agent: User;
  opened: OpenedWorkstation;
  /** A second connection to the workstation's database, standing in for the sync client. */
  store: LocalStore;
  workstationId: string;
  connected: boolean;
  /** Ticks of every feed pull, to tell what the workstation knew when it dialed. */
  pulls: number[];
}

/** A schedule the property once failed on, kept so that every run checks it. */
const PARTITIONED_DESK_KEEPS_EARLIER_LEASE = [{"kind":"advance","minutes":10},{"kind":"partition","station":0},{"kind":"reassign","debtor":3,"agent":1},{"kind":"release","debtor":3},{"kind":"lease-all"},{"kind":"advance","minutes":10},{"kind":"sync","station":0},{"kind":"release","debtor":0},{"kind":"reassign","debtor":0,"agent":0},{"kind":"dial","station":0,"pick":0},{"kind":"dial","station":0,"pick":0},{"kind":"reassign","debtor":3,"agent":1},{"kind":"sync","station":0},{"kind":"dial","station":1,"pick":0},{"kind":"dial","station":0,"pick":0}] as Step[];

describe('lease fleet', () => {
  let root: string;
  let template: string;
  let agents: User[];
  let debtorIds: string[];

  beforeAll(async () => {
    root = mkdtempSync(path.join(ROOT, 'gestiona-fleet-'));
    template = path.join(root, 'template.sqlite');
    const store = await openStore({ dbPath: template, logger: pino({ level: 'silent' }), leaseDays: LEASE_DAYS });
    agents = [];
    for (let index = 1; index <= AGENT_COUNT; index += 1) {
      agents.push(await store.createUser({ username: `agente${index}`, fullName: `Agente ${index}`, role: 'agent', password: 'secreto-123' }, new Date(T0)));
    }
    const rows = Array.from({ length: DEBTOR_COUNT }, (_, index) =>
      portfolioRow({ numero_documento: String(20_000_000 + index), numero_obligacion: `OB-${index}`, celular: `300 555 00${10 + index}` }),
    );
    const summary = await store.importPortfolio({ fileName: 'flota.csv', bytes: utf8(portfolioCsv(rows)), now: new Date(T0) });
    expect(summary.debtors).toBe(DEBTOR_COUNT);
    debtorIds = (await store.leaseUnassigned(new Date(T0))).granted === DEBTOR_COUNT ? (await store.listActiveLeases(new Date(T0))).map((lease) => lease.debtorId) : [];
    await store.close();
    expect(debtorIds).toHaveLength(DEBTOR_COUNT);
  }, 60_000);

  afterAll(() => {
    removeDir(root);
  });

  async function openFleet(runDir: string, clock: SettableClock): Promise<{ server: ServerStore; stations: Station[] }> {
    const dbPath = path.join(runDir, 'server.sqlite');
    copyFileSync(template, dbPath);
    const server = await openStore({ dbPath, logger: pino({ level: 'silent' }), leaseDays: LEASE_DAYS });
    const stations: Station[] = [];
    for (const agent of agents) {
      const dataDir = path.join(runDir, agent.username);
      // The catalog the typification needs, with the feed cursor left at 0 so the first pull gets the server's whole feed.
      withStore(dataDir, (store) => {
        store.meta.setAgent(agent);
        applyFeedBatch(store, seedEntries([]), 0);
      });
      const opened = await openWorkstation(dataDir, {
        clock,
        secretStore: new MemorySecretStore('test-token-0123456789abcdef'),
        // The socket never connects here; a long delay keeps its retries out of the way.
        syncTuning: { reconnectionDelayMs: 60_000, reconnectionDelayMaxMs: 60_000 },
      });
      const store = new LocalStore(openDatabase({ dataDir, logger: createLogger({ level: 'silent' }), key: TEST_DATABASE_KEY }));
      stations.push({ agent, opened, store, workstationId: store.meta.workstationId(), connected: true, pulls: [] });
    }
    return { server, stations };
  }

  /** Runs what a connect of the sync client runs: the server renews leases, then the client pulls and pushes. */
  async function sync(server: ServerStore, target: Station, now: number, tick: number): Promise<void> {
    await server.workstationConnected(target.workstationId, target.agent.id, new Date(now));
    await server.renewLeases(target.agent.id, new Date(now));
    for (;;) {
      const after = target.store.meta.feedCursor();
      const page = await server.pullFeed(target.agent.id, after, 500);
      applyFeedBatch(target.store, page.entries, page.cursor, toBogotaIso(new Date(now)));
      if (!page.hasMore || page.cursor === after) break;
    }
    target.pulls.push(tick);

    for (;;) {
      const { events } = target.store.outbox.oldest(200, target.workstationId);
      if (events.length === 0) break;
      for (const event of events) {
        const outcome = await server.ingestEvent(event, { agentId: target.agent.id, workstationId: target.workstationId, receivedAt: new Date(now) });
        if (outcome.status === 'rejected') target.store.outbox.reject(event.id, outcome.reason, new Date(now).toISOString());
        else target.store.outbox.acknowledge([event.id]);
      }
    }
    await server.workstationDisconnected(target.workstationId, new Date(now));
  }

  /** Returns whether the station has the debtor with an unexpired lease, so that its agent can dial it. */
  function holds(target: Station, debtorId: string, now: number): boolean {
    const debtor = target.store.debtors.get(debtorId);
    return debtor !== null && Date.parse(debtor.leaseUntil) > now;
  }

  /** Dials a debtor the worklist offers as contactable and saves `NC`; returns the contact, or null when none was placed. */
  async function dial(target: Station, stationIndex: number, pick: number, now: number, tick: number): Promise<Contact | null> {
    const list = await target.opened.call<{ items: Array<{ debtorId: string; legalStatus: string }> }>('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(`worklist failed: ${list.error.message}`);
    const offered = list.value.items.filter((item) => item.legalStatus === 'contactable');
    if (offered.length === 0) return null;

    const debtorId = offered[pick % offered.length]!.debtorId;
    const debtor = target.store.debtors.get(debtorId)!;
    const holder = debtor.persons.find((person) => person.role === 'debtor')!;
    const point = debtor.contactPoints.find((candidate) => candidate.personId === holder.id && candidate.channel === 'voice' && candidate.authorization)!;
    const dialed = await target.opened.call<DialResult>('contact:dial', { debtorId, contactPointId: point.id, requestId: randomUUID() });
    if (!dialed.ok) throw new Error(`dial of ${debtorId} failed: ${dialed.error.message}`);
    if (dialed.value.outcome === 'blocked') return null;

    const saved = await target.opened.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(`save for ${debtorId} failed: ${saved.error.message}`);
    return { station: stationIndex, agentId: target.agent.id, debtorId, personId: holder.id, channel: point.channel, atMs: now, tick };
  }

  /**
   * Returns the lease that allowed the contact: one of the agent's leases on the debtor that had
   * started and not reached its end. An early release counts only once the workstation pulled the
   * feed after it, because until then the workstation cannot know. That is why the server hands
   * the debtor to another agent only after the lease's own end.
   */
  function coveringLease(history: readonly LeaseRecord[], contact: Contact, pulls: readonly number[], releaseTicks: ReadonlyMap<number, number>): LeaseRecord | undefined {
    return history.find((lease) => {
      if (lease.agentId !== contact.agentId) return false;
      if (Date.parse(lease.grantedAt) > contact.atMs || contact.atMs >= Date.parse(lease.expiresAt)) return false;
      if (lease.releaseReason !== 'reassigned' && lease.releaseReason !== 'released') return true;
      const releaseTick = releaseTicks.get(lease.id)!;
      if (contact.tick < releaseTick) return true;
      return !pulls.some((pullTick) => pullTick > releaseTick && pullTick < contact.tick);
    });
  }

  /** Runs a team lead's release or reassignment and notes when the open lease it closed early ended. */
  async function endEarly(server: ServerStore, debtorId: string, tick: number, releaseTicks: Map<number, number>, action: () => Promise<unknown>): Promise<void> {
    const open = (await server.leaseHistory(debtorId)).find((lease) => lease.releasedAt === null);
    await action();
    const closed = open && (await server.leaseHistory(debtorId)).find((lease) => lease.id === open.id);
    if (closed && (closed.releaseReason === 'reassigned' || closed.releaseReason === 'released')) releaseTicks.set(closed.id, tick);
  }

  it('keeps contacts within leases and limits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 10, maxLength: 60 }), async (steps) => {
        const runDir = mkdtempSync(path.join(root, 'run-'));
        const clock = new SettableClock(T0);
        const { server, stations } = await openFleet(runDir, clock);
        const contacts: Contact[] = [];
        const releaseTicks = new Map<number, number>();
        let tick = 0;
        try {
          for (const target of stations) await sync(server, target, clock.now(), (tick += 1));

          for (const step of steps) {
            const now = clock.now();
            tick += 1;
            // The server's sweep runs every minute: expiries and handovers are due as time passes.
            await server.expireLeases(new Date(now));
            switch (step.kind) {
              case 'advance':
                clock.advance(step.minutes * 60_000);
                break;
              case 'partition':
                stations[step.station]!.connected = false;
                break;
              case 'heal':
                stations[step.station]!.connected = true;
                await sync(server, stations[step.station]!, now, tick);
                break;
              case 'sync':
                if (stations[step.station]!.connected) await sync(server, stations[step.station]!, now, tick);
                break;
              case 'dial': {
                const contact = await dial(stations[step.station]!, step.station, step.pick, now, tick);
                if (contact) contacts.push(contact);
                tick += 1;
                if (stations[step.station]!.connected) await sync(server, stations[step.station]!, now, tick);
                break;
              }
              case 'reassign': {
                const debtorId = debtorIds[step.debtor]!;
                const open = (await server.leaseHistory(debtorId)).find((lease) => lease.releasedAt === null);
                const previous = stations.find((candidate) => candidate.agent.id === open?.agentId);
                const next = stations[step.agent]!;
                const previousHeld = previous !== undefined && previous !== next && holds(previous, debtorId, now);
                await endEarly(server, debtorId, tick, releaseTicks, () => server.reassignDebtor(debtorId, next.agent.id, new Date(now)));

                // A connected old desk acknowledges the removal on its next sync. The new holder then gets
                // the debtor at once, unless an earlier lease's release is still unconfirmed: a desk of
                // that agent may have pulled the debtor (a connection in the same instant as the grant
                // counts, because the server cannot order the two).
                if (previousHeld && previous.connected && next.connected) {
                  await sync(server, previous, now, tick);
                  await sync(server, next, now, tick);
                  expect(holds(previous, debtorId, now), `old desk still holds ${debtorId} after its sync`).toBe(false);
                  const history = await server.leaseHistory(debtorId);
                  const unconfirmed = history.filter((lease) => lease.releasedAt !== null && lease.releaseConfirmedAt === null && Date.parse(lease.expiresAt) > now);
                  if (unconfirmed.length === 0) {
                    expect(holds(next, debtorId, now), `new holder of ${debtorId} waits although every earlier release is confirmed`).toBe(true);
                  }
                }
                break;
              }
              case 'release':
                await endEarly(server, debtorIds[step.debtor]!, tick, releaseTicks, () => server.releaseLease(debtorIds[step.debtor]!, new Date(now)));
                break;
              case 'lease-all':
                await server.leaseUnassigned(new Date(now));
                break;
            }

            // A partitioned old desk keeps its debtor until its lease ends, so no other desk may have it before.
            const at = clock.now();
            for (const debtorId of debtorIds) {
              const holders = stations.filter((target) => holds(target, debtorId, at)).map((target) => target.agent.username);
              expect(holders.length, `${debtorId} dialable at ${new Date(at).toISOString()} on ${holders.join(', ')}`).toBeLessThanOrEqual(1);
            }
          }

          for (const [index, first] of contacts.entries()) {
            for (const second of contacts.slice(index + 1)) {
              if (first.personId !== second.personId || first.station === second.station) continue;
              const pair = `${JSON.stringify(first)} and ${JSON.stringify(second)}`;
              expect(bogotaDate(new Date(first.atMs).toISOString()), `same Bogotá day: ${pair}`).not.toBe(bogotaDate(new Date(second.atMs).toISOString()));
              const otherChannelTooSoon = first.channel !== second.channel && Math.abs(first.atMs - second.atMs) < OTHER_CHANNEL_WINDOW_MS;
              expect(otherChannelTooSoon, `another channel within 7 days: ${pair}`).toBe(false);
            }
          }
          for (const contact of contacts) {
            const history = await server.leaseHistory(contact.debtorId);
            const lease = coveringLease(history, contact, stations[contact.station]!.pulls, releaseTicks);
            expect(lease, `no lease covers ${JSON.stringify(contact)} in ${JSON.stringify(history)}`).toBeDefined();
          }
        } finally {
          for (const target of stations) {
            await target.opened.workstation.close();
            target.store.close();
          }
          await server.close();
          removeDir(runDir);
        }
      }),
      {
        numRuns: 60,
        // Found by this property: a partitioned desk kept a debtor from an earlier lease of its agent
        // while a lease of another agent that never reached its desk sat in between.
        examples: [[PARTITIONED_DESK_KEEPS_EARLIER_LEASE]],
      },
    );
  }, 120_000);
});
