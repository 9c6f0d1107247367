import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedEntrySchema, type FeedEntry, type SyncEvent, type User } from '@gestiona/core/sync';
import { AppError } from '@gestiona/core/result';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import type { StoreLocation } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';
import { BOARD_VIEW_REASON } from './board-view.ts';

const HOUR = 60 * 60 * 1000;
/** Tuesday 1 December 2026, 08:00 in Bogotá. */
const T0 = new Date('2026-12-01T08:00:00-05:00');
/** The handover by expiry of a 7-day lease granted at T0: the Bogotá day after 08/12/2026 08:10. */
const HANDOVER = new Date('2026-12-09T00:00:00-05:00');
const DEBTOR_A = 'CC-30000001';
const DEBTOR_B = 'CC-30000002';
const DEBTOR_SUR = 'CC-30000003';

const at = (offsetMs: number) => new Date(T0.getTime() + offsetMs);

/** Returns the code and message of the AppError that `work` throws. */
async function appErrorOf(work: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await work;
  } catch (error) {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an AppError');
}

describe.each(BACKEND_NAMES)('board reassignments on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let template: StoreLocation;
  const users: Record<string, User> = {};

  beforeAll(async () => {
    template = await backend.createDatabase();
    const store = await backend.openStore(template);
    await store.createTeam('Equipo Norte', T0);
    await store.createTeam('Equipo Sur', T0);
    const people = [
      { username: 'agente1', role: 'agent', team: 'Equipo Norte' },
      { username: 'agente2', role: 'agent', team: 'Equipo Norte' },
      { username: 'agente3', role: 'agent', team: 'Equipo Sur' },
      { username: 'supervisor1', role: 'team-lead', team: 'Equipo Norte' },
      { username: 'admin', role: 'admin', team: undefined },
    ] as const;
    for (const person of people) {
      users[person.username] = await store.createUser({ username: person.username, fullName: `Nombre ${person.username}`, role: person.role, password: 'secreto-123', team: person.team }, T0);
    }
    const rows = [DEBTOR_A, DEBTOR_B, DEBTOR_SUR].map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}`, nombre: `Deudor ${index}` }));
    await store.importPortfolio({ fileName: 'reasignaciones.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
    await store.close();
  });

  let store: ServerStore;
  let seq: number;
  beforeEach(async () => {
    store = await backend.openStore(await backend.copyDatabase(template));
    seq = 0;
    await store.grantLease(DEBTOR_A, users.agente1!.id, T0);
    await store.grantLease(DEBTOR_B, users.agente1!.id, T0);
    await store.grantLease(DEBTOR_SUR, users.agente3!.id, T0);
    await store.workstationConnected('ws-1', users.agente1!.id, at(HOUR / 2));
  });
  afterEach(async () => {
    await store.close();
  });

  async function feedOf(agentId: string): Promise<FeedEntry[]> {
    return (await store.pullFeed(agentId, 0, 500)).entries.map((entry) => feedEntrySchema.parse(entry));
  }

  async function upsertedDebtors(agentId: string): Promise<string[]> {
    return (await feedOf(agentId)).flatMap((entry) => (entry.type === 'debtor.upsert' ? [entry.payload.id] : []));
  }

  function release(debtorId: string, leaseId: number, removedAt: Date): SyncEvent {
    seq += 1;
    return {
      id: randomUUID(),
      type: 'lease.released',
      workstationId: 'ws-1',
      seq,
      agentId: users.agente1!.id,
      occurredAt: removedAt.toISOString(),
      payload: { debtorId, leaseId, reason: 'reassigned', removedAt: removedAt.toISOString() },
    };
  }

  const reassign = (debtorIds: string[], toAgent: string, by = 'supervisor1', now = at(2 * HOUR)) =>
    store.requestReassignments({ debtorIds, toAgentId: users[toAgent]!.id, requestedBy: users[by]!.id, ledBy: by === 'admin' ? undefined : users[by]!.id, now });

  it('keeps a reassignment pending until the old desk releases', async () => {
    const [id] = await reassign([DEBTOR_A], 'agente2');
    expect(await upsertedDebtors(users.agente2!.id)).not.toContain(DEBTOR_A);

    const [pending] = await store.listReassignments({ debtorId: DEBTOR_A, limit: 10 }, at(2 * HOUR));
    expect(pending).toMatchObject({ id, state: 'pending', fromAgentId: users.agente1!.id, toAgentId: users.agente2!.id, waitingWorkstations: ['ws-1'] });
    expect(pending?.requestedByName).toBe('Nombre supervisor1');
    expect(pending?.pendingReason).toBe(
      'Pendiente de reasignación: se espera a que la estación ws-1 libere al deudor. Si no se conecta, la asignación anterior vence el 08/12/2026 08:00, y el deudor pasa a Nombre agente2 el 09/12/2026 00:00.',
    );
    expect(pending?.waitsUntil).toBe('2026-12-09T00:00:00-05:00');

    const removal = (await feedOf(users.agente1!.id)).find((entry) => entry.type === 'debtor.remove');
    if (removal?.type !== 'debtor.remove') throw new Error('expected a debtor.remove for the old holder');
    expect(removal.payload).toMatchObject({ debtorId: DEBTOR_A, reason: 'reassigned' });

    const released = at(2 * HOUR + 60_000);
    expect(await store.ingestEvent(release(DEBTOR_A, removal.payload.leaseId!, released), { agentId: users.agente1!.id, workstationId: 'ws-1', receivedAt: released })).toEqual({
      status: 'stored',
    });
    expect(await upsertedDebtors(users.agente2!.id)).toContain(DEBTOR_A);
    const [done] = await store.listReassignments({ debtorId: DEBTOR_A, limit: 10 }, released);
    expect(done).toMatchObject({ state: 'done', completedAt: '2026-12-01T10:01:00-05:00', pendingReason: null, waitingWorkstations: [] });
  });

  it('hands over by expiry, never on the old holder’s days', async () => {
    await reassign([DEBTOR_A], 'agente2');
    const contact = interactionEvent({
      agentId: users.agente1!.id,
      workstationId: 'ws-1',
      debtorId: DEBTOR_A,
      personId: DEBTOR_A,
      contactPointId: `${DEBTOR_A}/celular`,
      seq: 1,
      at: at(HOUR).toISOString(),
    });
    // The old desk was offline at the reassignment, and its contact of that morning arrives later.
    expect(await store.ingestEvent(contact, { agentId: users.agente1!.id, workstationId: 'ws-1', receivedAt: at(5 * HOUR) })).toEqual({ status: 'stored' });

    for (const sweepAt of [at(24 * HOUR), at(6 * 24 * HOUR), new Date(HANDOVER.getTime() - 1)]) {
      await store.expireLeases(sweepAt);
      expect(await upsertedDebtors(users.agente2!.id)).not.toContain(DEBTOR_A);
    }
    await store.expireLeases(HANDOVER);
    expect(await upsertedDebtors(users.agente2!.id)).toContain(DEBTOR_A);

    const history = await store.leaseHistory(DEBTOR_A);
    const newHolderLeases = history.filter((lease) => lease.agentId === users.agente2!.id && lease.releasedAt === null);
    expect(newHolderLeases).toHaveLength(1);
    expect(newHolderLeases[0]!.grantedAt >= HANDOVER.toISOString()).toBe(true);
    const [done] = await store.listReassignments({ debtorId: DEBTOR_A, limit: 10 }, HANDOVER);
    expect(done).toMatchObject({ state: 'done', completedAt: '2026-12-09T00:00:00-05:00' });
  });

  it('rejects a debtor already pending', async () => {
    await reassign([DEBTOR_A], 'agente2');
    const error = await appErrorOf(reassign([DEBTOR_A], 'agente1', 'supervisor1', at(3 * HOUR)));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(
      `El deudor ${DEBTOR_A} ya está pendiente de reasignación a Nombre agente2 desde el 01/12/2026 10:00. Espere a que se complete antes de reasignarlo de nuevo.`,
    );
  });

  it('rejects an agent outside the lead’s teams', async () => {
    const error = await appErrorOf(reassign([DEBTOR_A], 'agente3'));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('no pertenece a los equipos que usted supervisa');
    expect(await store.listReassignments({ limit: 10 }, at(2 * HOUR))).toEqual([]);
  });

  it('rejects a debtor outside the lead’s teams', async () => {
    const error = await appErrorOf(reassign([DEBTOR_SUR], 'agente2'));
    expect(error).toEqual({ code: 'not-found', message: `El deudor ${DEBTOR_SUR} no está asignado a un agente de los equipos que usted supervisa.` });
  });

  it('stores nothing when one debtor of the batch fails', async () => {
    const error = await appErrorOf(reassign([DEBTOR_B, 'CC-99999999'], 'agente2'));
    expect(error.code).toBe('not-found');
    expect(error.message).toContain('CC-99999999');
    expect(await store.listReassignments({ limit: 10 }, at(2 * HOUR))).toEqual([]);
    expect((await store.activeLease(DEBTOR_B, at(2 * HOUR)))?.agentId).toBe(users.agente1!.id);
  });

  it('rejects a move to the current holder', async () => {
    const error = await appErrorOf(reassign([DEBTOR_A], 'agente1'));
    expect(error).toEqual({ code: 'conflict', message: `El deudor ${DEBTOR_A} ya está asignado a Nombre agente1. Elija otro agente.` });
  });

  it('lets an administrator move across teams', async () => {
    await reassign([DEBTOR_SUR], 'agente1', 'admin');
    const [row] = await store.listReassignments({ debtorId: DEBTOR_SUR, limit: 10 }, at(2 * HOUR));
    expect(row).toMatchObject({ fromAgentName: 'Nombre agente3', toAgentName: 'Nombre agente1', requestedByName: 'Nombre admin' });
  });

  it('keeps the history of every reassignment', async () => {
    await reassign([DEBTOR_A, DEBTOR_B], 'agente2');
    const history = await store.listReassignments({ ledBy: users.supervisor1!.id, limit: 10 }, at(2 * HOUR));
    expect(history.map((row) => [row.debtorId, row.fromAgentName, row.toAgentName, row.requestedAt])).toEqual([
      [DEBTOR_B, 'Nombre agente1', 'Nombre agente2', '2026-12-01T10:00:00-05:00'],
      [DEBTOR_A, 'Nombre agente1', 'Nombre agente2', '2026-12-01T10:00:00-05:00'],
    ]);
  });

  it('lists and searches the lead’s debtors', async () => {
    await reassign([DEBTOR_A], 'agente2');
    const mine = await store.searchBoardDebtors({ ledBy: users.supervisor1!.id, limit: 10 });
    expect(mine.map((debtor) => [debtor.debtorId, debtor.agentId, debtor.pendingReassignment])).toEqual([
      [DEBTOR_A, users.agente2!.id, true],
      [DEBTOR_B, users.agente1!.id, false],
    ]);
    const found = await store.searchBoardDebtors({ text: '30000002', limit: 10 });
    expect(found.map((debtor) => debtor.debtorId)).toEqual([DEBTOR_B]);
    for (const typed of [DEBTOR_B.replace('-', ' '), ` ${DEBTOR_B.toLowerCase()} `, DEBTOR_B.replace('-', ' ').toLowerCase()]) {
      const typedFound = await store.searchBoardDebtors({ text: typed, limit: 10 });
      expect(typedFound.map((debtor) => debtor.debtorId)).toEqual([DEBTOR_B]);
    }
    const ofAgent = await store.searchBoardDebtors({ agentId: users.agente3!.id, limit: 10 });
    expect(ofAgent.map((debtor) => debtor.debtorId)).toEqual([DEBTOR_SUR]);
  });

  it('records a board view as a debtor view', async () => {
    await store.recordBoardView({ debtorId: DEBTOR_A, userId: users.supervisor1!.id, workstationId: 'ws-lead', now: at(3 * HOUR) });
    const views = await store.findDebtorViews({ debtorId: DEBTOR_A });
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ agentId: users.supervisor1!.id, workstationId: 'ws-lead', leased: false, reason: BOARD_VIEW_REASON, viewedAt: at(3 * HOUR).toISOString() });
  });
});
