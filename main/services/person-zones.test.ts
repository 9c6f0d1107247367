import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { debtorSnapshotSchema, type DebtorSnapshot, type PersonScheduleRequest } from '@gestiona/core/domain';
import { debtorViewSchema, dialResultSchema, ipcContract, type DebtorView, type DialResult } from '@gestiona/core/ipc';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

/** Wednesday 9 December 2026, winter in Madrid (UTC+1): Bogotá 16:00 is 22:00 there. */
const WEDNESDAY = (time: string) => `2026-12-09T${time}:00-05:00`;

const EVENINGS: PersonScheduleRequest = {
  window: [{ days: [1, 2, 3, 4, 5], from: '19:00', to: '21:00' }],
  requestedOn: '2026-02-03',
  contractSignedOn: '2025-06-10',
  evidence: 'SOL-2026-0042',
  consumerInitiated: true,
  receivedAt: '2026-12-04T09:00:00-05:00',
};

function withHolder(debtor: DebtorSnapshot, changes: Partial<DebtorSnapshot['persons'][number]>): DebtorSnapshot {
  return { ...debtor, persons: debtor.persons.map((person) => (person.role === 'debtor' ? { ...person, ...changes } : person)) };
}

const DEBTORS: DebtorSnapshot[] = [
  withHolder(makeDebtor('d1'), { scheduleRequest: EVENINGS }),
  withHolder(makeDebtor('d2', { fullName: 'Lucía Fernández', city: 'Madrid' }), { residenceCountry: 'ES', timeZones: ['Europe/Madrid'] }),
  {
    ...makeDebtor('d3', { fullName: 'Tomás Herrera' }),
    contactPoints: makeDebtor('d3').contactPoints.map((point) =>
      point.id === 'd3-c1' ? { ...point, address: '+34612345678', country: 'ES', timeZones: ['Africa/Ceuta', 'Atlantic/Canary', 'Europe/Madrid'] } : point,
    ),
  },
  withHolder(makeDebtor('d4'), { scheduleRequest: { ...EVENINGS, consumerInitiated: false, evidence: '' } }),
];

describe('person time zones and schedule requests on the workstation', () => {
  let dir: string;
  let clock: SettableClock;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, DEBTORS);
    clock = new SettableClock(WEDNESDAY('10:00'));
    ws = await openWorkstation(dir, { clock });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function dial(debtorId: string, contactPointId: string): Promise<DialResult> {
    const result = await ws.call('contact:dial', { debtorId, contactPointId, requestId: '00000000-0000-4000-8000-000000000001' });
    if (!result.ok) throw new Error(`dial failed: ${result.error.code} ${result.error.message}`);
    return dialResultSchema.parse(result.value);
  }

  async function open(debtorId: string): Promise<DebtorView> {
    const result = await ws.call('debtor:open', { debtorId });
    if (!result.ok) throw new Error(result.error.message);
    return debtorViewSchema.parse(result.value);
  }

  const SPAIN = ['Africa/Ceuta', 'Atlantic/Canary', 'Europe/Madrid'];

  it.each([
    { name: 'an R9 request allows 20:00 Bogotá', debtorId: 'd1', point: 'd1-c1', at: '20:00', rules: [] as string[], zones: [] as string[] },
    { name: 'the same hour without a valid request is blocked', debtorId: 'd4', point: 'd4-c1', at: '20:00', rules: ['R1'], zones: [] },
    { name: 'Madrid in winter allows 07:30 Bogotá (13:30 there)', debtorId: 'd2', point: 'd2-c1', at: '07:30', rules: [], zones: ['Europe/Madrid'] },
    { name: 'Madrid in winter blocks 16:00 Bogotá (22:00 there)', debtorId: 'd2', point: 'd2-c1', at: '16:00', rules: ['R1'], zones: ['Europe/Madrid'] },
    { name: 'a Spanish number blocks 16:00 Bogotá', debtorId: 'd3', point: 'd3-c1', at: '16:00', rules: ['R1'], zones: SPAIN },
    { name: 'a co-obligor’s Colombian number is not held to Spain', debtorId: 'd3', point: 'd3-c3', at: '16:00', rules: [], zones: [] },
  ])('$name', async ({ debtorId, point, at, rules, zones }) => {
    clock.set(WEDNESDAY(at));
    const result = await dial(debtorId, point);
    expect(result.decision.rules).toEqual(rules);
    expect(result.outcome).toBe(rules.length === 0 ? 'placed' : 'blocked');

    // The stored request carries the facts, so the decision can be re-evaluated from the record alone.
    const stored = withStore(dir, (store) => store.decisions.byRequestId('00000000-0000-4000-8000-000000000001'));
    expect(stored?.request.personTimeZones ?? []).toEqual(zones);
  });

  it('gives the next slot on the person’s clock', async () => {
    clock.set(WEDNESDAY('16:00'));
    expect((await dial('d2', 'd2-c1')).decision.nextAllowedAt).toBe('2026-12-10T07:00:00-05:00');
  });

  it('shows the worklist status from the person’s clock', async () => {
    clock.set(WEDNESDAY('16:00'));
    const result = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!result.ok) throw new Error(result.error.message);
    const items = ipcContract['worklist:list'].result.parse(result.value).items;
    expect(items.find((item) => item.debtorId === 'd2')).toMatchObject({ legalStatus: 'outside-hours', nextAllowedAt: '2026-12-10T07:00:00-05:00' });
    expect(items.find((item) => item.debtorId === 'd1')).toMatchObject({ legalStatus: 'outside-hours', nextAllowedAt: WEDNESDAY('19:00') });
    expect(items.find((item) => item.debtorId === 'd4')).toMatchObject({ legalStatus: 'contactable' });
  });

  it('tells the agent where the person lives and the local time', async () => {
    clock.set(WEDNESDAY('20:15'));
    const view = await open('d2');
    expect(view.persons[0]?.residenceText).toBe('Reside en Madrid (España): hora local 02:15');
    expect(view.persons[1]?.residenceText).toBeNull();

    const foreign = await open('d3');
    expect(foreign.persons[0]?.residenceText).toBeNull();
    expect(foreign.persons[0]?.contactPoints[0]?.localTimeText).toBe('Número de España: hora local de 01:15 a 02:15 según la zona');
    expect(foreign.persons[1]?.contactPoints[0]?.localTimeText).toBeNull();
  });

  it('shows the schedule request, or why the gate ignores it', async () => {
    expect((await open('d1')).persons[0]?.scheduleRequestText).toBe(
      'Horario solicitado: lunes a viernes 19:00–21:00, solicitud del 03/02/2026. Domingos y festivos siguen bloqueados.',
    );
    expect((await open('d4')).persons[0]?.scheduleRequestText).toBe(
      'Se ignora la solicitud de horario de la persona porque no fue iniciada por la persona; no tiene evidencia registrada. Se aplica el horario legal (R9).',
    );
    expect((await open('d2')).persons[0]?.scheduleRequestText).toBeNull();
  });

  it('keeps the new fields through the local store', () => {
    const stored = withStore(dir, (store) => DEBTORS.map((debtor) => store.debtors.get(debtor.id)));
    expect(stored.map((debtor) => debtor?.persons[0])).toEqual(DEBTORS.map((debtor) => debtor.persons[0]));
    expect(stored[2]?.contactPoints[0]).toEqual(DEBTORS[2]!.contactPoints[0]);
    expect(stored[0]?.persons[1]).not.toHaveProperty('timeZones');
  });

  it('still reads snapshots written before these fields existed', () => {
    expect(debtorSnapshotSchema.safeParse(makeDebtor('d9')).success).toBe(true);
  });
});
