import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactEvent } from '@gestiona/core/sync';
import { useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../store/open-store.ts';
import type { IngestItem, ServerStore } from '../store/types.ts';
import { DEFAULT_GROUP_COMMIT, GroupCommitter } from './group-commit.ts';

const NOW = new Date('2026-12-07T09:00:00-05:00');
const WORKSTATIONS = 12;
const DEBTORS_PER_AGENT = 4;
const BATCHES_PER_WORKSTATION = 2;
const EVENTS_PER_BATCH = 40;

/** Log lines of the store, kept to count the transactions that PostgreSQL aborted and the driver ran again. */
class CapturedLog extends Writable {
  readonly messages: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '') this.messages.push((JSON.parse(line) as { msg: string }).msg);
    }
    done();
  }

  count(message: string): number {
    return this.messages.filter((logged) => logged === message).length;
  }
}

/**
 * A reconnection storm in small: every workstation pushes its outbox at once, through the group
 * committer with the store's own limits. The groups store events of different debtors, so any
 * abort is a false conflict of SERIALIZABLE's page and relation locks, and each one costs a
 * whole group's work.
 */
describe('group commit on postgres under a push storm', () => {
  const backend = useTestBackend('postgres');
  const log = new CapturedLog();
  let store: ServerStore;
  const outboxes: ContactEvent[][] = [];

  beforeAll(async () => {
    store = await openStore({ ...(await backend.createDatabase()), logger: createLogger({ level: 'debug', destination: log }) });
    const agents = [];
    for (let index = 0; index < WORKSTATIONS; index += 1) {
      agents.push(await store.createUser({ username: `agente${index + 1}`, fullName: `Agente ${index + 1}`, role: 'agent', password: 'clave-segura-1' }, NOW));
    }
    const rows = Array.from({ length: WORKSTATIONS * DEBTORS_PER_AGENT }, (_, index) => portfolioRow({ numero_documento: String(54_000_000 + index), numero_obligacion: `OB-${index}` }));
    await store.importPortfolio({ fileName: 'tormenta.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
    await store.leaseUnassigned(NOW);

    for (const [index, agent] of agents.entries()) {
      const debtorIds = (await store.listActiveLeases(NOW, agent.id)).map((lease) => lease.debtorId);
      expect(debtorIds).toHaveLength(DEBTORS_PER_AGENT);
      const workstationId = `ws-${index + 1}`;
      outboxes.push(
        Array.from({ length: BATCHES_PER_WORKSTATION * EVENTS_PER_BATCH }, (_, eventIndex) => {
          const contact = Math.floor(eventIndex / 2);
          const debtorId = debtorIds[contact % debtorIds.length]!;
          const at = new Date(NOW.getTime() + (contact + 1) * 60_000).toISOString();
          const target = { agentId: agent.id, workstationId, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, seq: eventIndex + 1, at };
          return eventIndex % 2 === 0 ? decisionEvent(target) : interactionEvent(target);
        }),
      );
    }
  });

  afterAll(async () => {
    await store.close();
  });

  it('stores every event once without aborted transactions', async () => {
    const committer = new GroupCommitter(store, createLogger({ level: 'silent' }), DEFAULT_GROUP_COMMIT);
    const items = (events: readonly ContactEvent[]): IngestItem[] =>
      events.map((event) => ({ event, context: { agentId: event.agentId, workstationId: event.workstationId, receivedAt: NOW } }));

    const batches = outboxes.flatMap((outbox) =>
      Array.from({ length: BATCHES_PER_WORKSTATION }, (_, index) => ({ workstationId: outbox[0]!.workstationId, events: outbox.slice(index * EVENTS_PER_BATCH, (index + 1) * EVENTS_PER_BATCH) })),
    );
    const results = await Promise.all(batches.map((batch) => committer.submit(batch.workstationId, items(batch.events))));

    const total = WORKSTATIONS * BATCHES_PER_WORKSTATION * EVENTS_PER_BATCH;
    expect(results.flat().filter((outcome) => outcome.status === 'stored')).toHaveLength(total);
    expect(await store.countEvents()).toBe(total);
    expect(committer.stats().fallbacks, 'groups rolled back and run again event by event').toBe(0);
    expect(log.count('run transaction: retrying after a conflict or a full lock table'), 'transactions aborted and run again').toBe(0);
  });
});
