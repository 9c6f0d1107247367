import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactEvent, SyncEvent, User } from '@gestiona/core/sync';
import { alarmLines } from '../compliance/alarm-text.ts';
import { loadResources } from '../content/load-resources.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import type { AlarmRecord, ServerStore } from './types.ts';

type InteractionEvent = Extract<ContactEvent, { type: 'interaction.recorded' }>;

/** Friday 4 December 2026, 10:00 in Bogotá: when the server receives the pushes below. */
const RECEIVED = new Date('2026-12-04T10:00:00-05:00');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const DEBTORS = ['CC-62000001', 'CC-62000002', 'CC-62000003', 'CC-62000004', 'CC-62000005', 'CC-62000006'];

const iso = (millis: number): string => new Date(millis).toISOString();

describe.each(BACKEND_NAMES)('contact clock checks on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let agent: User;

  const target = (workstationId: string, debtorId: string, seq: number, at: string): EventTarget => ({
    agentId: agent.id,
    workstationId,
    debtorId,
    personId: debtorId,
    contactPointId: `${debtorId}/celular`,
    seq,
    at,
  });

  /** Builds an interaction whose event time, dial and typification are set apart. */
  function interaction(workstationId: string, debtorId: string, seq: number, instants: { occurredAt: string; dialedAt: string; typifiedAt: string }): InteractionEvent {
    const event = interactionEvent(target(workstationId, debtorId, seq, instants.occurredAt)) as InteractionEvent;
    return { ...event, payload: { ...event.payload, dialedAt: instants.dialedAt, typifiedAt: instants.typifiedAt, localTypifiedAt: instants.typifiedAt } };
  }

  async function ingest(event: SyncEvent, receivedAt = RECEIVED): Promise<void> {
    expect(await store.ingestEvent(event, { agentId: agent.id, workstationId: event.workstationId, receivedAt })).toEqual({ status: 'stored' });
  }

  async function alarmsOf(workstationId: string, kind: AlarmRecord['kind']): Promise<AlarmRecord[]> {
    return (await store.listAlarms({ kind, limit: 1000 })).filter((alarm) => alarm.workstationId === workstationId);
  }

  const ledgerInstants = async (debtorId: string): Promise<number[]> => (await store.findLedger(debtorId)).map((entry) => Date.parse(entry.at));

  beforeAll(async () => {
    store = await backend.openStore(await backend.createDatabase(), { leaseDays: 30 });
    const seeded = new Date(RECEIVED.getTime() - DAY);
    await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), seeded);
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, seeded);
    const rows = DEBTORS.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}`, nombre: `Deudor Reloj ${index}` }));
    await store.importPortfolio({ fileName: 'reloj.csv', bytes: utf8(portfolioCsv(rows)), now: seeded });
    for (const debtorId of DEBTORS) await store.grantLease(debtorId, agent.id, seeded);
  });

  afterAll(async () => {
    await store.close();
  });

  it('alarms on a dial days after receipt', async () => {
    const ahead = iso(RECEIVED.getTime() + 3 * DAY);
    const event = interaction('ws-adelantada', DEBTORS[0]!, 1, { occurredAt: RECEIVED.toISOString(), dialedAt: ahead, typifiedAt: ahead });
    await ingest(event);

    const alarms = await alarmsOf('ws-adelantada', 'clock');
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!;
    expect(alarm.eventId).toBe(event.id);
    expect(alarm.agentId).toBe(agent.id);
    expect(alarm.debtorId).toBe(DEBTORS[0]);
    expect(alarm.message).toContain(event.id);
    expect(alarm.message).toContain('Ana María Peña');
    expect(alarm.message).toContain('ws-adelantada');
    expect(alarm.message).toContain('la marcación (07/12/2026 10:00:00) es posterior en más de 5 minutos a la recepción en el servidor (04/12/2026 10:00:00)');
    expect(alarm.message).toContain('la tipificación (07/12/2026 10:00:00) difiere en más de 5 minutos de la hora del evento (04/12/2026 10:00:00)');
    expect(alarmLines(alarm).join('\n')).toContain('Reloj no confiable');
    expect(await alarmsOf('ws-adelantada', 'violation')).toEqual([]);
  });

  it('counts a future dial at receipt', async () => {
    const ahead = iso(RECEIVED.getTime() + 3 * DAY);
    await ingest(interaction('ws-adelantada', DEBTORS[1]!, 2, { occurredAt: RECEIVED.toISOString(), dialedAt: ahead, typifiedAt: ahead }));
    expect(await ledgerInstants(DEBTORS[1]!)).toEqual([RECEIVED.getTime()]);

    // Monday's lawful call is the first of that day: a row left at the claimed Monday dial would make it a second call (R5).
    const monday = RECEIVED.getTime() + 3 * DAY + 60 * MINUTE;
    await ingest(interaction('ws-lunes', DEBTORS[1]!, 1, { occurredAt: iso(monday), dialedAt: iso(monday), typifiedAt: iso(monday) }), new Date(monday + MINUTE));
    expect(await alarmsOf('ws-lunes', 'violation')).toEqual([]);
    expect(await alarmsOf('ws-lunes', 'clock')).toEqual([]);
  });

  it('alarms on a typification before its dial', async () => {
    const dialed = RECEIVED.getTime() - 10 * MINUTE;
    const typified = iso(dialed - 10 * MINUTE);
    await ingest(interaction('ws-invertida', DEBTORS[2]!, 1, { occurredAt: typified, dialedAt: iso(dialed), typifiedAt: typified }));

    const alarms = await alarmsOf('ws-invertida', 'clock');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.message).toContain('la tipificación (04/12/2026 09:40:00) es anterior a la marcación (04/12/2026 09:50:00)');
    expect(await ledgerInstants(DEBTORS[2]!)).toEqual([dialed]);
  });

  it('accepts a dial within the tolerance', async () => {
    const soon = iso(RECEIVED.getTime() + 4 * MINUTE);
    await ingest(interaction('ws-puntual', DEBTORS[3]!, 1, { occurredAt: soon, dialedAt: soon, typifiedAt: soon }));

    expect(await alarmsOf('ws-puntual', 'clock')).toEqual([]);
    expect(await ledgerInstants(DEBTORS[3]!)).toEqual([Date.parse(soon)]);
  });

  it('alarms on a decision after receipt', async () => {
    const ahead = iso(RECEIVED.getTime() + 2 * DAY);
    const event = decisionEvent(target('ws-decision', DEBTORS[4]!, 1, ahead));
    await ingest(event);

    const alarms = await alarmsOf('ws-decision', 'clock');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.eventId).toBe(event.id);
    expect(alarms[0]!.message).toContain('la decisión (06/12/2026 10:00:00) es posterior en más de 5 minutos');
    // Re-evaluated at receipt, a Friday: the claimed instant, a Sunday, would have raised R3.
    expect(await alarmsOf('ws-decision', 'violation')).toEqual([]);
  });

  it('alarms and counts alike in a group', async () => {
    const ahead = iso(RECEIVED.getTime() + 3 * DAY);
    const event = interaction('ws-grupo', DEBTORS[5]!, 1, { occurredAt: RECEIVED.toISOString(), dialedAt: ahead, typifiedAt: ahead });
    const plausible = interaction('ws-grupo', DEBTORS[5]!, 2, { occurredAt: iso(RECEIVED.getTime() - 60 * MINUTE), dialedAt: iso(RECEIVED.getTime() - 62 * MINUTE), typifiedAt: iso(RECEIVED.getTime() - 60 * MINUTE) });
    const outcomes = await store.ingestEvents([event, plausible].map((item) => ({ event: item, context: { agentId: agent.id, workstationId: 'ws-grupo', receivedAt: RECEIVED } })));

    expect(outcomes).toEqual([{ status: 'stored' }, { status: 'stored' }]);
    expect((await alarmsOf('ws-grupo', 'clock')).map((alarm) => alarm.eventId)).toEqual([event.id]);
    expect(await ledgerInstants(DEBTORS[5]!)).toEqual([RECEIVED.getTime() - 62 * MINUTE, RECEIVED.getTime()]);
  });
});
