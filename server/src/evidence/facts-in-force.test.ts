import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { loadResources } from '../content/load-resources.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import type { StoredScheduleRequest } from '../schedule-requests/types.ts';
import type { RulePackRecord, ServerStore } from '../store/types.ts';
import { buildDebtorEvidence } from './build-evidence.ts';
import { rulePackInForceAt, scheduleRequestAt } from './facts-in-force.ts';
import type { DebtorEvidence } from './types.ts';

const DEBTOR = 'CC-1020304050';
/** Monday 30 November 2026: the resources pack, the portfolio and the first schedule request arrive. */
const MONDAY = new Date('2026-11-30T08:00:00-05:00');
/** Tuesday 1 December, 09:00: a weekday call inside R1. */
const TUESDAY_CALL = '2026-12-01T09:00:00-05:00';
/** Wednesday 2 December, 20:00: outside R1, lawful only under the person's request for weekdays until 21:00. */
const WEDNESDAY_EVENING_CALL = '2026-12-02T20:00:00-05:00';
/** Thursday 3 December: the calendar correction blocks 1 December, and a creditor-initiated request replaces the person's. */
const THURSDAY = new Date('2026-12-03T08:00:00-05:00');
const EXPORT_AT = new Date('2026-12-04T10:00:00-05:00');

const REQUEST_HEADER = 'tipo_documento;numero_documento;dias;desde;hasta;fecha_solicitud;fecha_contrato;evidencia;iniciativa';

const requestsFile = (initiative: 'consumidor' | 'acreedor') =>
  utf8(`${REQUEST_HEADER}\r\nCC;1020304050;L-V;07:00;21:00;03/02/2026;10/06/2025;SOL-2026-0042;${initiative}\r\n`);

describe.each(BACKEND_NAMES)('evidence under the facts in force on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let agent: User;
  let evidence: DebtorEvidence;
  let firstVersion: string;

  beforeAll(async () => {
    store = await backend.openStore(await backend.createDatabase());
    await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), MONDAY);
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, MONDAY);
    const admin = await store.createUser({ username: 'admin', fullName: 'Administración', role: 'admin', password: 'clave-segura-1' }, MONDAY);
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([portfolioRow()])), now: MONDAY });
    await store.grantLease(DEBTOR, agent.id, MONDAY);
    await store.importScheduleRequests({ fileName: 'horarios.csv', bytes: requestsFile('consumidor'), importedBy: 'prueba', now: MONDAY });

    const target = (seq: number, at: string): EventTarget => ({ agentId: agent.id, workstationId: 'ws-1', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq, at });
    let seq = 0;
    for (const at of [TUESDAY_CALL, WEDNESDAY_EVENING_CALL]) {
      const decision = decisionEvent(target(++seq, at)) as Extract<SyncEvent, { type: 'decision.recorded' }>;
      const interaction = interactionEvent(target(++seq, at)) as Extract<SyncEvent, { type: 'interaction.recorded' }>;
      const linked = { ...interaction, payload: { ...interaction.payload, decisionId: decision.payload.decisionId } };
      for (const event of [decision, linked]) expect(await store.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-1', receivedAt: new Date(at) })).toEqual({ status: 'stored' });
    }

    const factory = (await store.currentContent()).rulePack!;
    firstVersion = factory.version;
    await store.publishRulePack({ pack: { ...factory, version: '2026.7', extraBlockedDates: ['2026-12-01'] }, reason: 'Duelo nacional', publishedBy: admin.id, now: THURSDAY });
    await store.importScheduleRequests({ fileName: 'horarios-2.csv', bytes: requestsFile('acreedor'), importedBy: 'prueba', now: THURSDAY });

    evidence = (await buildDebtorEvidence(store, DEBTOR, EXPORT_AT))!;
  });

  afterAll(async () => {
    await store.close();
  });

  it('names the pack in force at export', () => {
    expect(evidence.rulePackVersion).toBe('2026.7');
  });

  it('keeps a contact before the correction lawful', () => {
    const contact = evidence.contacts.find((candidate) => candidate.dialedAt.iso === TUESDAY_CALL)!;
    expect(contact.serverDecision?.allowed).toBe(true);
    expect(contact.serverDecision?.rules).toEqual([]);
    expect(contact.serverDecision?.rulePackVersion).toBe(firstVersion);
  });

  it('judges an evening call under the request then current', () => {
    const contact = evidence.contacts.find((candidate) => candidate.dialedAt.iso === WEDNESDAY_EVENING_CALL)!;
    expect(contact.serverDecision?.allowed).toBe(true);
    expect(contact.serverDecision?.rules).toEqual([]);
  });

  it('agrees with the ingest alarms', () => {
    expect(evidence.alarms.filter((alarm) => alarm.kind === 'violation')).toEqual([]);
  });
});

describe('rulePackInForceAt', () => {
  const record = (id: number, version: string, publishedAt: string) => ({ id, version, publishedAt }) as RulePackRecord;
  // Listed newest first, as the store returns them.
  const history = [record(3, 'c', '2026-12-10T00:00:00Z'), record(2, 'b', '2026-12-05T00:00:00Z'), record(1, 'a', '2026-12-01T00:00:00Z')];

  it.each([
    { at: '2026-11-01T00:00:00Z', version: 'a', why: 'before the first publication' },
    { at: '2026-12-01T00:00:00Z', version: 'a', why: 'at the first publication' },
    { at: '2026-12-04T23:59:59Z', version: 'a', why: 'just before the second' },
    { at: '2026-12-05T00:00:00Z', version: 'b', why: 'at the second' },
    { at: '2027-01-01T00:00:00Z', version: 'c', why: 'after the last' },
  ])('picks $version $why', ({ at, version }) => {
    expect(rulePackInForceAt(history, new Date(at))?.version).toBe(version);
  });

  it('returns null without publications', () => {
    expect(rulePackInForceAt([], new Date())).toBeNull();
  });
});

describe('scheduleRequestAt', () => {
  const request = (id: number, evidence: string, receivedAt: string, replacedAt: string | null) =>
    ({ id, evidence, receivedAt, replacedAt, window: [], requestedOn: '2026-01-01', contractSignedOn: '2025-01-01', consumerInitiated: true }) as unknown as StoredScheduleRequest;
  const history = [request(1, 'first', '2026-12-01T08:00:00-05:00', '2026-12-03T08:00:00-05:00'), request(2, 'second', '2026-12-03T08:00:00-05:00', null)];

  it.each([
    { at: '2026-11-30T12:00:00-05:00', evidence: null, why: 'before any request' },
    { at: '2026-12-02T20:00:00-05:00', evidence: 'first', why: 'while the first was current' },
    { at: '2026-12-03T08:00:00-05:00', evidence: 'second', why: 'at the replacement' },
    { at: '2026-12-09T08:00:00-05:00', evidence: 'second', why: 'after the replacement' },
  ])('returns $evidence $why', ({ at, evidence }) => {
    expect(scheduleRequestAt(history, new Date(at))?.evidence ?? null).toBe(evidence);
  });
});
