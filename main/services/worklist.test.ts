import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debtorViewSchema, ipcContract, type WorklistItem } from '@gestiona/core/ipc';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

describe('worklist:list', () => {
  let dir: string;
  let clock: SettableClock;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    const noAuthorisation = makeDebtor('d3', { fullName: 'Carlos Núñez', priority: 10 });
    noAuthorisation.contactPoints = noAuthorisation.contactPoints.map((point) => ({ ...point, authorization: null }));
    seedDataDir(dir, [
      makeDebtor('d1', { fullName: 'María Peña Báez', priority: 50, docNumber: '1020304050' }),
      makeDebtor('d2', { fullName: 'Pedro Ramírez', priority: 90, docNumber: '79555111' }),
      noAuthorisation,
      makeDebtor('d4', { fullName: 'Lease Vencido', priority: 99, leaseUntil: '2026-03-03T09:00:00-05:00' }),
    ]);
    clock = new SettableClock('2026-03-03T10:00:00-05:00');
    ws = await openWorkstation(dir, { clock });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function list(args: { search?: string; offset?: number; limit?: number } = {}) {
    const result = await ws.call('worklist:list', { offset: 0, limit: 50, ...args });
    if (!result.ok) throw new Error(result.error.message);
    return ipcContract['worklist:list'].result.parse(result.value);
  }

  it('lists leased debtors by priority and purges expired leases', async () => {
    const { items, total } = await list();
    expect(items.map((item) => item.debtorId)).toEqual(['d2', 'd1', 'd3']);
    expect(total).toBe(3);
    expect(withStore(dir, (store) => store.debtors.get('d4'))).toBeNull();
  });

  it('pages with the total of all matches', async () => {
    const { items, total } = await list({ offset: 1, limit: 1 });
    expect(items.map((item) => item.debtorId)).toEqual(['d1']);
    expect(total).toBe(3);
  });

  it.each([
    { search: 'pena', expected: ['d1'] },
    { search: 'PEÑA báez', expected: ['d1'] },
    { search: 'nunez', expected: ['d3'] },
    { search: '79555', expected: ['d2'] },
    { search: '1.020.304.050', expected: ['d1'] },
    { search: 'CC 79.555.111', expected: ['d2'] },
    { search: 'cc79555111', expected: ['d2'] },
    { search: '79 555 111', expected: ['d2'] },
    { search: '%', expected: [] },
    { search: '   ', expected: ['d2', 'd1', 'd3'] },
  ])('finds "$search" without regard to accents or case', async ({ search, expected }) => {
    const { items } = await list({ search });
    expect(items.map((item) => item.debtorId)).toEqual(expected);
  });

  it('sums obligations per debtor', async () => {
    const d1 = (await list()).items.find((item) => item.debtorId === 'd1');
    expect(d1).toMatchObject({ totalBalanceCents: 250_000_000, maxDaysPastDue: 25, obligationCount: 1 });
  });

  it.each<{ at: string; status: WorklistItem['legalStatus']; text: string }>([
    { at: '2026-03-03T10:00:00-05:00', status: 'contactable', text: 'Contactable' },
    { at: '2026-03-01T10:00:00-05:00', status: 'outside-hours', text: 'Fuera de horario — abre mañana 07:00' },
    { at: '2026-02-27T20:00:00-05:00', status: 'outside-hours', text: 'Fuera de horario — abre mañana 08:00' },
    { at: '2026-02-26T20:00:00-05:00', status: 'outside-hours', text: 'Fuera de horario — abre mañana 07:00' },
    { at: '2026-02-28T16:00:00-05:00', status: 'outside-hours', text: 'Fuera de horario — abre lunes 07:00' },
  ])('states the legal status at $at', async ({ at, status, text }) => {
    clock.set(at);
    const d2 = (await list()).items.find((item) => item.debtorId === 'd2');
    expect(d2?.legalStatus).toBe(status);
    expect(d2?.statusText).toBe(text);
  });

  it('marks a debtor without authorised channels as blocked', async () => {
    const d3 = (await list()).items.find((item) => item.debtorId === 'd3');
    expect(d3).toMatchObject({ legalStatus: 'blocked', statusText: 'Sin canal autorizado', nextAllowedAt: null });
  });

  it('requires a signed-in agent', async () => {
    await ws.workstation.close();
    ws = await openWorkstation(dir, { clock, token: null });
    const result = await ws.call('worklist:list', { offset: 0, limit: 10 });
    expect(result.ok ? 'ok' : result.error.code).toBe('not-authenticated');
  });
});

describe('debtor:open', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1')]);
    ws = await openWorkstation(dir, { clock: new SettableClock('2026-03-03T10:00:00-05:00') });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  it('fills the script and lists every person with their decisions', async () => {
    const result = await ws.call('debtor:open', { debtorId: 'd1' });
    if (!result.ok) throw new Error(result.error.message);
    const view = debtorViewSchema.parse(result.value);

    // No contact is open, so no debt detail leaves main (R12); `identity.test.ts` covers the confirmed view.
    expect(view.totals).toBeNull();
    expect(view.obligations.map((obligation) => obligation.detail)).toEqual([null]);
    expect(view.script.steps.map((step) => step.text)).toEqual([
      'Buenos días, ¿hablo con María Peña Báez? Le saluda Laura Gómez.',
      'Confirme el documento de María.',
      'Tiene un saldo vencido de [dato de la deuda: visible al confirmar la identidad] con [dato de la deuda: visible al confirmar la identidad].',
    ]);

    const [holder, coObligor, reference] = view.persons;
    expect(holder?.contactPoints.map((point) => [point.id, point.dialable, point.decision?.rules])).toEqual([
      ['d1-c1', true, []],
      ['d1-c2', false, ['R7']],
    ]);
    expect(holder?.contactPoints[0]?.authorizationText).toBe('Autorizado el 10/05/2024 (contrato)');
    expect(holder?.contactPoints[1]?.authorizationText).toBe('Sin autorización registrada');
    expect(coObligor?.contactPoints[0]?.dialable).toBe(true);
    expect(reference?.role).toBe('reference');
    expect(reference?.contactPoints[0]).toMatchObject({ dialable: false, decision: null });
  });

  it('reports an unknown debtor as not found', async () => {
    const result = await ws.call('debtor:open', { debtorId: 'nadie' });
    expect(result.ok ? 'ok' : result.error.code).toBe('not-found');
  });
});

describe('worklist status with e-mail only', () => {
  it('does not call a debtor with only an authorised e-mail contactable', async () => {
    const dir = makeTempDir();
    const emailOnly = makeDebtor('d5', { fullName: 'Lucía Ordóñez' });
    emailOnly.contactPoints = [
      {
        id: 'd5-c9',
        personId: 'd5-p1',
        channel: 'email',
        address: 'lucia@correo.co',
        authorization: { source: 'formulario web', grantedOn: '2024-05-10', evidence: 'FW-1', revokedAt: null },
        flagged: null,
      },
    ];
    seedDataDir(dir, [emailOnly]);
    const opened = await openWorkstation(dir, { clock: new SettableClock('2026-03-03T10:00:00-05:00') });
    try {
      const result = await opened.call('worklist:list', { offset: 0, limit: 10 });
      if (!result.ok) throw new Error(result.error.message);
      const item = ipcContract['worklist:list'].result.parse(result.value).items[0];
      expect(item?.legalStatus).toBe('blocked');
      expect(item?.statusText).toBe('Sin teléfono autorizado (solo correo o WhatsApp)');
    } finally {
      await opened.workstation.close();
      removeDir(dir);
    }
  });
});
