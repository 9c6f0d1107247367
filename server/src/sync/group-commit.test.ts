import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { createLogger } from '../logger.ts';
import type { StoreLocation } from '../store/open-store.ts';
import type { IngestItem, IngestOutcome, ServerStore } from '../store/types.ts';
import { GroupCommitter } from './group-commit.ts';

const NOW = new Date('2026-12-07T09:00:00-05:00');
const DEBTORS = ['CC-53000001', 'CC-53000002', 'CC-53000003'];
/** An event id whose insert the fault trigger rejects, as a failing disk or a bug would. */
const POISON_ID = '00000000-0000-4000-8000-00000000dead';

const SQLITE_FAULT = `CREATE TRIGGER fault_injection BEFORE INSERT ON events WHEN NEW.id = '${POISON_ID}' BEGIN SELECT RAISE(ABORT, 'injected fault'); END`;
const POSTGRES_FAULT = `
  CREATE FUNCTION fault_injection() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.id = '${POISON_ID}' THEN RAISE EXCEPTION 'injected fault'; END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER fault_injection BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION fault_injection();`;

describe.each(BACKEND_NAMES)('group commit on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let location: StoreLocation;
  let store: ServerStore;
  let agent: User;
  let committer: GroupCommitter;
  let seq = 0;

  beforeAll(async () => {
    location = await backend.createDatabase();
    store = await backend.openStore(location);
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, NOW);
    const rows = DEBTORS.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}` }));
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
    await store.leaseUnassigned(NOW);
    await backend.execute(location, backendName === 'sqlite' ? SQLITE_FAULT : POSTGRES_FAULT);
    // A long window, so that every batch submitted in one turn of the loop joins one group.
    committer = new GroupCommitter(store, createLogger({ level: 'silent' }), { windowMs: 20, maxGroupEvents: 1_000 });
  });

  afterAll(async () => {
    await store.close();
  });

  function event(workstationId: string, kind: 'decision' | 'interaction' = 'decision', debtorIndex = 0): SyncEvent {
    const debtorId = DEBTORS[debtorIndex]!;
    seq += 1;
    const target = { agentId: agent.id, workstationId, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, seq, at: NOW.toISOString() };
    return kind === 'decision' ? decisionEvent(target) : interactionEvent(target);
  }

  const items = (events: readonly SyncEvent[]): IngestItem[] =>
    events.map((item) => ({ event: item, context: { agentId: agent.id, workstationId: item.workstationId, receivedAt: NOW } }));
  const statuses = (outcomes: readonly IngestOutcome[]) => outcomes.map((outcome) => outcome.status);

  it('stores a duplicate inside a group once', async () => {
    const [first, second] = [event('ws-dup'), event('ws-dup', 'interaction', 1)];
    const other = event('ws-dup-2');
    const before = committer.stats();
    const storedBefore = await store.countEvents();

    // Two batches of one workstation (a resend while the first was in flight) and one of another, in one group.
    const results = await Promise.all([
      committer.submit('ws-dup', items([first!, second!, first!])),
      committer.submit('ws-dup', items([second!, first!])),
      committer.submit('ws-dup-2', items([other, other])),
    ]);

    expect(results.map(statuses)).toEqual([
      ['stored', 'stored', 'duplicate'],
      ['duplicate', 'duplicate'],
      ['stored', 'duplicate'],
    ]);
    expect(committer.stats().groups - before.groups).toBe(1);
    expect(await store.countEvents()).toBe(storedBefore + 3);
  });

  it('rejects an invalid value in batch order', async () => {
    const valid = event('ws-invalid');
    const invalid: IngestItem = {
      invalid: { eventId: 'x-1', agentId: agent.id, workstationId: 'ws-invalid', code: 'invalid-event', reason: 'Evento inválido (invalid event): prueba.', raw: { id: 'x-1' }, receivedAt: NOW },
    };
    const outcomes = await committer.submit('ws-invalid', [invalid, ...items([valid])]);
    expect(statuses(outcomes)).toEqual(['rejected', 'stored']);
    expect((await store.listRejectedEvents()).at(-1)).toMatchObject({ eventId: 'x-1', code: 'invalid-event' });
  });

  it('reruns a failed group event by event', async () => {
    const poisoned = { ...event('ws-a'), id: POISON_ID };
    const batchA = [event('ws-a'), poisoned, event('ws-a', 'interaction', 1)];
    const batchB = [event('ws-b'), event('ws-b', 'interaction', 2)];
    const batchC = [event('ws-c', 'decision', 2)];
    const before = committer.stats();
    const storedBefore = await store.countEvents();

    const [a, b, c] = await Promise.allSettled([
      committer.submit('ws-a', items(batchA)),
      committer.submit('ws-b', items(batchB)),
      committer.submit('ws-c', items(batchC)),
    ]);

    expect(a.status).toBe('rejected');
    expect(a.status === 'rejected' && String(a.reason)).toMatch(/injected fault/);
    expect(b).toEqual({ status: 'fulfilled', value: [{ status: 'stored' }, { status: 'stored' }] });
    expect(c).toEqual({ status: 'fulfilled', value: [{ status: 'stored' }] });
    expect(committer.stats()).toMatchObject({ groups: before.groups + 1, fallbacks: before.fallbacks + 1 });
    // The event before the failing one is stored alone; the one after it is not attempted, so ws-a's order holds.
    expect(await store.countEvents()).toBe(storedBefore + 1 + 2 + 1);

    // The workstation sends the batch again: once the fault is gone, the first event is a duplicate and the rest are stored.
    await backend.execute(location, backendName === 'sqlite' ? 'DROP TRIGGER fault_injection' : 'DROP TRIGGER fault_injection ON events');
    const resent = await committer.submit('ws-a', items(batchA));
    expect(statuses(resent)).toEqual(['duplicate', 'stored', 'stored']);
    expect(await store.countEvents()).toBe(storedBefore + 3 + 2 + 1);
  });
});
