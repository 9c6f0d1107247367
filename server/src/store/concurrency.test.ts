import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { createLogger } from '../logger.ts';
import { ChangesTable } from './changes.ts';
import type { StoreLocation } from './open-store.ts';
import { createPool, migrate } from './pg/database.ts';
import { PostgresDriver } from './pg/driver.ts';
import type { FeedPage, IngestOutcome, ServerStore } from './types.ts';
import { WriteContext } from './write-context.ts';

const T0 = new Date('2026-12-07T09:00:00-05:00');
const DEBTOR_COUNT = 12;
const debtorIds = Array.from({ length: DEBTOR_COUNT }, (_, index) => `CC-${20_000_000 + index}`);
const logger = createLogger({ level: 'silent' });

/**
 * Pulls the feed in small pages, as a workstation does, until `done` resolves and one last pull
 * returns nothing new. Returns every seq received, in order of arrival.
 */
async function pullWhileWriting(pull: (after: number) => Promise<FeedPage>, done: Promise<unknown>): Promise<number[]> {
  const received: number[] = [];
  let cursor = 0;
  let finished = false;
  const markFinished = () => {
    finished = true;
  };
  // Handled here so that a failing writer is reported once, by the test's own `await`.
  done.then(markFinished, markFinished);

  for (;;) {
    const writersFinished = finished;
    const page = await pull(cursor);
    received.push(...page.entries.map((entry) => entry.seq));
    cursor = page.cursor;
    if (writersFinished && !page.hasMore) return received;
    if (page.entries.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function expectNoSkipNoRepeat(received: number[], committed: number[]): void {
  expect(new Set(received).size, 'a seq was received twice').toBe(received.length);
  expect(received, 'seqs arrived out of order').toEqual([...received].sort((a, b) => a - b));
  expect(received, 'the reader missed committed entries').toEqual(committed);
}

describe.each(BACKEND_NAMES)('feed on %s with concurrent writers', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let agent: User;

  beforeAll(async () => {
    store = await backend.openStore(await backend.createDatabase());
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, T0);
    const rows = debtorIds.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}` }));
    await store.importPortfolio({ fileName: 'concurrency.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
  });
  afterAll(async () => {
    await store.close();
  });

  it('gives a pulling reader every entry once, in seq order', async () => {
    // Each debtor is granted and released three times. The grants and releases of different
    // debtors run at the same time, so their transactions append to the feed concurrently.
    const writers = Promise.all(
      debtorIds.map(async (debtorId, index) => {
        for (let round = 0; round < 3; round += 1) {
          const at = new Date(T0.getTime() + (round * DEBTOR_COUNT + index) * 60_000);
          await store.grantLease(debtorId, agent.id, at);
          await store.releaseLease(debtorId, new Date(at.getTime() + 1_000));
        }
      }),
    );

    const received = await pullWhileWriting((after) => store.pullFeed(agent.id, after, 7), writers);
    await writers;

    const committed = (await store.pullFeed(agent.id, 0, 500)).entries.map((entry) => entry.seq);
    expect(committed).toHaveLength(DEBTOR_COUNT * 3 * 2);
    expectNoSkipNoRepeat(received, committed);
  });
});

describe('PostgreSQL nodes sharing one database', () => {
  const backend = useTestBackend('postgres');

  it('commits feed entries in seq order despite slow writers', async () => {
    const location = await backend.createDatabase();
    const pool = createPool(location.databaseUrl!, logger, 8);
    try {
      await migrate(pool, 'test');
      const driver = new PostgresDriver(pool, 'test', logger);

      // Each transaction appends an entry and then waits before committing, so that without the
      // feed lock a later seq would regularly commit before an earlier one.
      const append = (index: number) =>
        driver.transaction(async (sql) => {
          const changes = new ChangesTable(sql);
          await changes.append(new WriteContext(), null, { type: 'debtor.remove', payload: { debtorId: `CC-${index}`, reason: 'lease-ended' } }, T0);
          await sql.get('SELECT pg_sleep(?)', [(index % 4) * 0.005]);
        });
      const writers = Promise.all(
        Array.from({ length: 6 }, async (_, writer) => {
          for (let round = 0; round < 10; round += 1) await append(writer * 10 + round);
        }),
      );

      const pull = (after: number) => driver.connect((sql) => new ChangesTable(sql).pull('nadie', after, 5));
      const received = await pullWhileWriting(pull, writers);
      await writers;

      const committed = await allSeqs(pool);
      expect(committed).toHaveLength(60);
      expectNoSkipNoRepeat(received, committed);
    } finally {
      await pool.end();
    }
  });

  describe('ingest of one event on two nodes at once', () => {
    let location: StoreLocation;
    let nodeA: ServerStore;
    let nodeB: ServerStore;
    let agent: User;

    beforeAll(async () => {
      location = await backend.createDatabase();
      nodeA = await backend.openStore(location);
      nodeB = await backend.openStore(location);
      agent = await nodeA.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, T0);
      const rows = debtorIds.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}` }));
      await nodeA.importPortfolio({ fileName: 'concurrency.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
      for (const debtorId of debtorIds) await nodeA.grantLease(debtorId, agent.id, T0);
    });
    afterAll(async () => {
      await nodeA.close();
      await nodeB.close();
    });

    const eventFor = (debtorId: string, seq: number): SyncEvent =>
      interactionEvent({
        agentId: agent.id,
        workstationId: 'ws-1',
        debtorId,
        personId: debtorId,
        contactPointId: `${debtorId}/celular`,
        seq,
        at: new Date(T0.getTime() + 60_000).toISOString(),
      });
    const ingestOn = (node: ServerStore, event: SyncEvent): Promise<IngestOutcome> =>
      node.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-1', receivedAt: new Date(T0.getTime() + 120_000) });

    it('stores the event once and acknowledges the other copy as duplicate', async () => {
      const before = await nodeA.countEvents();
      for (const [index, debtorId] of debtorIds.entries()) {
        const event = eventFor(debtorId, index + 1);
        const outcomes = await Promise.all([ingestOn(nodeA, event), ingestOn(nodeB, event)]);
        expect(outcomes.map((outcome) => outcome.status).sort(), debtorId).toEqual(['duplicate', 'stored']);
      }

      expect(await nodeA.countEvents()).toBe(before + DEBTOR_COUNT);
      for (const debtorId of debtorIds) {
        expect(await nodeB.findInteractions(debtorId), debtorId).toHaveLength(1);
        expect(await nodeB.findLedger(debtorId), debtorId).toHaveLength(1);
      }
    });

    it('acknowledges an event committed meanwhile as duplicate', async () => {
      const event = eventFor(debtorIds[0]!, 100);
      const otherNode = new pg.Client({ connectionString: location.databaseUrl });
      await otherNode.connect();
      try {
        // The other node has inserted the event row but not committed yet, so this node's
        // duplicate check passes and its insert has to wait for the other transaction.
        await otherNode.query('BEGIN');
        await otherNode.query(
          `INSERT INTO events (id, type, workstation_id, workstation_seq, agent_id, debtor_id, occurred_at, received_at, payload)
           VALUES ($1, $2, 'ws-1', 100, $3, $4, '2026-12-07T14:01:00.000Z', '2026-12-07T14:02:00.000Z', $5)`,
          [event.id, event.type, agent.id, debtorIds[0], JSON.stringify(event)],
        );
        const ingest = ingestOn(nodeB, event);
        await waitUntilBlocked(otherNode);
        await otherNode.query('COMMIT');

        expect(await ingest).toEqual({ status: 'duplicate' });
      } finally {
        await otherNode.end();
      }
      expect(await nodeB.findInteractions(debtorIds[0]!)).toHaveLength(1);
    });
  });
});

async function allSeqs(pool: pg.Pool): Promise<number[]> {
  const result = await pool.query<{ seq: number }>('SELECT seq FROM changes ORDER BY seq');
  return result.rows.map((row) => row.seq);
}

/** Waits until some other session of the database waits on a lock, which here is the pending insert. */
async function waitUntilBlocked(client: pg.Client): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const result = await client.query<{ waiting: number }>(
      "SELECT COUNT(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
    );
    if (result.rows[0]!.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('The ingest on the other node never waited for the uncommitted event row');
}
