import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debtorViewSchema, dialResultSchema, sessionStateSchema, type DialResult, type SessionState } from '@gestiona/core/ipc';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';

function requestId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function tableCount(dataDir: string, table: string): number {
  return withStore(dataDir, (store) => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
}

describe('contact:dial', () => {
  let dir: string;
  let clock: SettableClock;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1'), makeDebtor('d2', { fullName: 'Pedro Ramírez' })]);
    clock = new SettableClock(TUESDAY_10);
    ws = await openWorkstation(dir, { clock });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function dial(contactPointId: string, id: number, debtorId = 'd1'): Promise<DialResult> {
    const result = await ws.call('contact:dial', { debtorId, contactPointId, requestId: requestId(id) });
    if (!result.ok) throw new Error(`dial failed: ${result.error.code} ${result.error.message}`);
    return dialResultSchema.parse(result.value);
  }

  async function session(): Promise<SessionState> {
    const result = await ws.call('session:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return sessionStateSchema.parse(result.value);
  }

  it.each([
    { when: 'on a Sunday', at: '2026-03-01T10:00:00-05:00', rule: 'R3', next: '2026-03-02T07:00:00-05:00' },
    { when: 'on a holiday (San José, moved to Monday)', at: '2026-03-23T10:00:00-05:00', rule: 'R4', next: '2026-03-24T07:00:00-05:00' },
    { when: 'at 19:00 on a weekday', at: '2026-03-03T19:00:00-05:00', rule: 'R1', next: '2026-03-04T07:00:00-05:00' },
    { when: 'at 06:59:59 on a weekday', at: '2026-03-03T06:59:59-05:00', rule: 'R1', next: '2026-03-03T07:00:00-05:00' },
    { when: 'at 15:00 on a Saturday', at: '2026-03-07T15:00:00-05:00', rule: 'R2', next: '2026-03-09T07:00:00-05:00' },
  ])('blocks a call $when and dials nothing', async ({ at, rule, next }) => {
    clock.set(at);
    const result = await dial('d1-c1', 1);

    expect(result.outcome).toBe('blocked');
    expect(result.decision.allowed).toBe(false);
    expect(result.decision.rules).toContain(rule);
    expect(result.decision.reasons[0]?.message).toMatch(/\(R\d\)/);
    expect(result.decision.nextAllowedAt).toBe(next);
    expect(ws.dialed).toEqual([]);
    expect((await session()).wrapUp).toBeNull();

    expect(tableCount(dir, 'gate_decisions')).toBe(1);
    expect(tableCount(dir, 'attempts')).toBe(0);
    const queued = withStore(dir, (store) => store.outbox.oldest(10, 'ws'));
    expect(queued.events).toHaveLength(1);
    expect(queued.events[0]?.type).toBe('decision.recorded');
    if (queued.events[0]?.type === 'decision.recorded') {
      expect(queued.events[0].payload.decision.rules).toContain(rule);
      expect(queued.events[0].payload.trustedAt).toBe(at);
      expect(queued.events[0].payload.clockOffsetMs).toBe(0);
    }
  });

  it('places an allowed call on a weekday and enters wrap-up', async () => {
    const result = await dial('d1-c1', 1);

    expect(result.outcome).toBe('placed');
    if (result.outcome !== 'placed') return;
    expect(result.uri).toBe('tel:+573001234567');
    expect(result.wrapUp.debtorId).toBe('d1');
    expect(result.wrapUp.dialedAt).toBe(TUESDAY_10);
    expect(ws.dialed).toEqual(['tel:+573001234567']);

    const state = await session();
    expect(state.wrapUp?.attemptId).toBe(result.wrapUp.attemptId);
    const ledger = withStore(dir, (store) => store.ledger.forDebtor('d1', 10));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ kind: 'attempt', origin: 'local', code: null, at: TUESDAY_10 });
    expect(tableCount(dir, 'outbox')).toBe(1);
  });

  it('records the decision inputs and both clocks (R16)', async () => {
    await dial('d1-c1', 1);
    const row = withStore(dir, (store) => store.decisions.byRequestId(requestId(1)));
    expect(row?.request).toMatchObject({ at: TUESDAY_10, channel: 'voice', party: 'debtor', authorized: true, history: [] });
    expect(row?.decision.rulePackVersion).toBe('2026.1');
    expect(row?.trustedAt).toBe(TUESDAY_10);
    expect(row?.localAt).toBe(TUESDAY_10);
  });

  it('never sends a reference to the dialer (R8)', async () => {
    const result = await dial('d1-c4', 1);
    expect(result.outcome).toBe('blocked');
    expect(result.decision.rules).toEqual(['R8']);
    expect(ws.dialed).toEqual([]);
    expect(tableCount(dir, 'gate_decisions')).toBe(1);
    expect(tableCount(dir, 'attempts')).toBe(0);
  });

  it('shows a reference only with its number masked', async () => {
    const result = await ws.call('debtor:open', { debtorId: 'd1' });
    if (!result.ok) throw new Error(result.error.message);
    const view = debtorViewSchema.parse(result.value);
    const reference = view.persons.find((person) => person.role === 'reference');
    const point = reference?.contactPoints[0];
    expect(point?.id).toBe('d1-c4');
    expect(point?.address).toMatch(/^\*+\d{2}$/);
    expect(point?.dialable).toBe(false);
  });

  it('blocks a number without authorisation (R7)', async () => {
    const result = await dial('d1-c2', 1);
    expect(result.outcome).toBe('blocked');
    expect(result.decision.rules).toEqual(['R7']);
    expect(ws.dialed).toEqual([]);
  });

  it('treats a repeated request id as one attempt', async () => {
    const [first, second] = await Promise.all([dial('d1-c1', 7), dial('d1-c1', 7)]);
    const third = await dial('d1-c1', 7);

    expect(ws.dialed).toHaveLength(1);
    expect(tableCount(dir, 'attempts')).toBe(1);
    expect(tableCount(dir, 'gate_decisions')).toBe(1);
    for (const result of [second, third]) {
      expect(result.outcome).toBe('placed');
      if (result.outcome === 'placed' && first?.outcome === 'placed') expect(result.wrapUp.attemptId).toBe(first.wrapUp.attemptId);
    }
  });

  it('replays a blocked request id without a second decision', async () => {
    clock.set('2026-03-01T10:00:00-05:00');
    await dial('d1-c1', 3);
    const again = await dial('d1-c1', 3);
    expect(again.outcome).toBe('blocked');
    expect(tableCount(dir, 'gate_decisions')).toBe(1);
  });

  it('rejects a request id reused for another number', async () => {
    await dial('d1-c1', 4);
    const reused = await ws.call('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c3', requestId: requestId(4) });
    expect(reused.ok).toBe(false);
    if (!reused.ok) expect(reused.error.code).toBe('conflict');
  });

  it('refuses a second dial while a wrap-up is pending', async () => {
    await dial('d1-c1', 1);
    const second = await ws.call('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c3', requestId: requestId(2) });
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect(second.error.code).toBe('wrap-up-pending');
      expect(second.error.message).toBe('Debe tipificar la gestión con María Peña Báez antes de marcar de nuevo.');
    }
    expect(ws.dialed).toHaveLength(1);
  });

  it('refuses to open another debtor while a wrap-up is pending', async () => {
    await dial('d1-c1', 1);
    const other = await ws.call('debtor:open', { debtorId: 'd2' });
    expect(other.ok).toBe(false);
    if (!other.ok) {
      expect(other.error.code).toBe('wrap-up-pending');
      expect(other.error.message).toBe('Debe tipificar la gestión con María Peña Báez antes de abrir otro deudor.');
    }
    const same = await ws.call('debtor:open', { debtorId: 'd1' });
    expect(same.ok).toBe(true);
  });

  it('keeps the pending wrap-up across a restart', async () => {
    const placed = await dial('d1-c1', 1);
    await ws.workstation.close();

    ws = await openWorkstation(dir, { clock });
    const state = await session();
    expect(state.wrapUp?.attemptId).toBe(placed.outcome === 'placed' ? placed.wrapUp.attemptId : 'none');
    const refused = await ws.call('contact:dial', { debtorId: 'd2', contactPointId: 'd2-c1', requestId: requestId(9) });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('wrap-up-pending');
    const logout = await ws.call('auth:logout', {});
    expect(logout.ok ? 'ok' : logout.error.code).toBe('wrap-up-pending');
  });

  it('counts a failed softphone launch as an attempt that needs a typification', async () => {
    await ws.workstation.close();
    ws = await openWorkstation(dir, {
      clock,
      openUri: async () => {
        throw new Error('no handler for tel:');
      },
    });
    const result = await dial('d1-c1', 1);
    expect(result.outcome).toBe('failed');
    if (result.outcome === 'failed') expect(result.error).toContain('softphone');
    expect((await session()).wrapUp).not.toBeNull();
  });

  it('rejects a contact point of another debtor', async () => {
    const result = await ws.call('contact:dial', { debtorId: 'd1', contactPointId: 'd2-c1', requestId: requestId(1) });
    expect(result.ok ? 'ok' : result.error.code).toBe('not-found');
    expect(tableCount(dir, 'gate_decisions')).toBe(0);
  });

  it('blocks the second contact of the day (R5)', async () => {
    const placed = await dial('d1-c1', 1);
    if (placed.outcome !== 'placed') throw new Error('expected a placed call');
    const saved = await ws.call('wrapup:save', { attemptId: placed.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
    expect(saved.ok).toBe(true);

    clock.set('2026-03-03T15:00:00-05:00');
    const again = await dial('d1-c1', 2);
    expect(again.outcome).toBe('blocked');
    expect(again.decision.rules).toContain('R5');
    expect(again.decision.nextAllowedAt).toBe('2026-03-04T07:00:00-05:00');
    expect(ws.dialed).toHaveLength(1);
  });
});
