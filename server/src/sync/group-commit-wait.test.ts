import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { createLogger } from '../logger.ts';
import type { IngestItem, ServerStore } from '../store/types.ts';
import { GroupCommitter } from './group-commit.ts';

const NOW = new Date('2026-12-07T09:00:00-05:00');
const DEBTOR_ID = 'CC-54000001';
/** The event whose insert PostgreSQL holds for 300 ms, so that its group is still running when the next pushes arrive. */
const SLOW_ID = '00000000-0000-4000-8000-0000000005ee';

const SLOW_INSERT = `
  CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.id = '${SLOW_ID}' THEN PERFORM pg_sleep(0.3); END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER slow_insert BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION slow_insert();`;

/** PostgreSQL runs up to 8 groups at once; a group that is not full must wait for the running one rather than take its own transaction. */
describe('group commit of small pushes on postgres', () => {
  const backend = useTestBackend('postgres');
  let store: ServerStore;
  let agent: User;
  let seq = 0;

  beforeAll(async () => {
    const location = await backend.createDatabase();
    store = await backend.openStore(location);
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, NOW);
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: DEBTOR_ID.slice(3), numero_obligacion: 'OB-1' })])), now: NOW });
    await store.leaseUnassigned(NOW);
    await backend.execute(location, SLOW_INSERT);
  });

  afterAll(async () => {
    await store.close();
  });

  const item = (workstationId: string, id?: string): IngestItem => {
    seq += 1;
    const event: SyncEvent = decisionEvent({ agentId: agent.id, workstationId, debtorId: DEBTOR_ID, personId: DEBTOR_ID, contactPointId: `${DEBTOR_ID}/celular`, seq, at: NOW.toISOString() });
    return { event: { ...event, id: id ?? event.id }, context: { agentId: agent.id, workstationId, receivedAt: NOW } };
  };

  it('waits for the running group', async () => {
    const committer = new GroupCommitter(store, createLogger({ level: 'silent' }), { windowMs: 0 });
    const slow = committer.submit('ws-1', [item('ws-1', SLOW_ID)]);
    // Two pushes of other workstations, each after the timer that would start a group for it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = committer.submit('ws-2', [item('ws-2')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const third = committer.submit('ws-3', [item('ws-3')]);

    const outcomes = await Promise.all([slow, second, third]);

    expect(outcomes.flat().map((outcome) => outcome.status)).toEqual(['stored', 'stored', 'stored']);
    // The slow group, then one group with both later pushes, instead of one transaction each.
    expect(committer.stats()).toEqual({ groups: 2, events: 3, fallbacks: 0 });
  });
});
