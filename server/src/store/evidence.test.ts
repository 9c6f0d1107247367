import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainHashInput, linkRecord, type ChainHead } from '@gestiona/core/evidence-chain';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { loadResources } from '../content/load-resources.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import { sha256Hex } from './chain-check.ts';
import type { AlarmRecord, ServerStore } from './types.ts';

type DecisionEvent = Extract<SyncEvent, { type: 'decision.recorded' }>;

/** Friday 4 December 2026, a working day. */
const FRIDAY = new Date('2026-12-04T09:00:00-05:00');
const MINUTE = 60_000;
/** When the server receives the events: after every instant they carry, as a real push comes after the contact. */
const RECEIVED = new Date('2026-12-10T12:00:00-05:00');
const DEBTORS = ['CC-61000001', 'CC-61000002', 'CC-61000003', 'CC-61000004'];

/** Decision events of one workstation, chained the way the workstation chains them. */
function chainedDecisions(base: Omit<EventTarget, 'seq' | 'at'>, count: number, firstSeq = 1): DecisionEvent[] {
  const events: DecisionEvent[] = [];
  let head: ChainHead | null = null;
  for (let n = 0; n < count; n += 1) {
    const at = new Date(FRIDAY.getTime() + n * MINUTE).toISOString();
    const event = decisionEvent({ ...base, seq: firstSeq + n, at }) as DecisionEvent;
    const link = linkRecord(event.payload, head, sha256Hex);
    events.push({ ...event, payload: { ...event.payload, chain: link } });
    head = { index: link.index, hash: link.hash };
  }
  return events;
}

/** Recomputes a decision's hash after a change, as a tamperer who knows the hashing rules would. */
function rehash(event: DecisionEvent): DecisionEvent {
  const { chain, ...content } = event.payload;
  if (chain === undefined) throw new Error('rehash needs a chained decision');
  return { ...event, payload: { ...event.payload, chain: { ...chain, hash: sha256Hex(chainHashInput(chain.index, chain.prevHash, content)) } } };
}

describe.each(BACKEND_NAMES)('compliance evidence on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let agent1: User;
  let agent2: User;

  const target = (agent: User, workstationId: string, debtorId: string, seq: number, at: string, personId = debtorId): EventTarget => ({
    agentId: agent.id,
    workstationId,
    debtorId,
    personId,
    contactPointId: `${personId}/celular`,
    seq,
    at,
  });

  async function ingestAll(events: readonly SyncEvent[], receivedAt = RECEIVED): Promise<void> {
    for (const event of events) {
      const outcome = await store.ingestEvent(event, { agentId: event.agentId, workstationId: event.workstationId, receivedAt });
      expect(outcome).toEqual({ status: 'stored' });
    }
  }

  async function alarmsOf(workstationId: string): Promise<AlarmRecord[]> {
    return (await store.listAlarms({ limit: 1000 })).filter((alarm) => alarm.workstationId === workstationId).reverse();
  }

  const chainSummary = (alarms: readonly AlarmRecord[]) => alarms.map((alarm) => ({ kind: alarm.kind, index: alarm.detail.index, problem: alarm.detail.problem }));

  beforeAll(async () => {
    store = await backend.openStore(await backend.createDatabase());
    await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), FRIDAY);
    agent1 = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, FRIDAY);
    agent2 = await store.createUser({ username: 'agente2', fullName: 'Julián Muñoz', role: 'agent', password: 'clave-segura-1' }, FRIDAY);
    const rows = DEBTORS.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}`, nombre: `Deudor Báez ${index}` }));
    await store.importPortfolio({ fileName: 'evidencia.csv', bytes: utf8(portfolioCsv(rows)), now: FRIDAY });
    for (const debtorId of DEBTORS) await store.grantLease(debtorId, agent1.id, FRIDAY);
  });

  afterAll(async () => {
    await store.close();
  });

  describe('chain verification on ingest', () => {
    it('raises nothing for an intact chain', async () => {
      await ingestAll(chainedDecisions(target(agent1, 'ws-intact', DEBTORS[0]!, 0, ''), 4));
      expect(await alarmsOf('ws-intact')).toEqual([]);
      expect((await store.listDecisionLinks('ws-intact')).map((link) => link.index)).toEqual([1, 2, 3, 4]);
    });

    it('detects an edited field', async () => {
      const events = chainedDecisions(target(agent1, 'ws-edited', DEBTORS[0]!, 0, ''), 4);
      events[1] = { ...events[1]!, payload: { ...events[1]!.payload, historySize: 7 } };
      await ingestAll(events);
      expect(chainSummary(await alarmsOf('ws-edited'))).toEqual([{ kind: 'chain-edited', index: 2, problem: 'edited' }]);
    });

    it('detects a deleted record as a gap', async () => {
      const events = chainedDecisions(target(agent1, 'ws-gap', DEBTORS[0]!, 0, ''), 4);
      await ingestAll([events[0]!, events[2]!, events[3]!]);
      const alarms = await alarmsOf('ws-gap');
      expect(chainSummary(alarms)).toEqual([{ kind: 'chain-gap', index: 2, problem: 'missing' }]);
      expect(alarms[0]!.message).toContain('Falta el registro 2');
    });

    it('detects two reordered records', async () => {
      const events = chainedDecisions(target(agent1, 'ws-reordered', DEBTORS[0]!, 0, ''), 4);
      // The tamperer swaps decisions 2 and 3 and renumbers their seqs, so they arrive as 1, 3, 2, 4.
      const third = { ...events[2]!, seq: 2 };
      const second = { ...events[1]!, seq: 3 };
      await ingestAll([events[0]!, third, second, events[3]!]);
      expect(chainSummary(await alarmsOf('ws-reordered'))).toEqual([
        { kind: 'chain-gap', index: 2, problem: 'missing' },
        { kind: 'chain-broken', index: 2, problem: 'late' },
      ]);
    });

    it('detects a changed prevHash at both links it breaks', async () => {
      const events = chainedDecisions(target(agent1, 'ws-relinked', DEBTORS[0]!, 0, ''), 4);
      events[2] = rehash({ ...events[2]!, payload: { ...events[2]!.payload, chain: { ...events[2]!.payload.chain!, prevHash: 'a'.repeat(64) } } });
      await ingestAll(events);
      // Re-hashing record 3 also changes the hash that record 4 should point to.
      expect(chainSummary(await alarmsOf('ws-relinked'))).toEqual([
        { kind: 'chain-broken', index: 3, problem: 'broken-link' },
        { kind: 'chain-broken', index: 4, problem: 'broken-link' },
      ]);
    });

    it('detects a changed prevHash left unhashed as an edit', async () => {
      const events = chainedDecisions(target(agent1, 'ws-relinked-raw', DEBTORS[0]!, 0, ''), 3);
      events[1] = { ...events[1]!, payload: { ...events[1]!.payload, chain: { ...events[1]!.payload.chain!, prevHash: 'b'.repeat(64) } } };
      await ingestAll(events);
      expect(chainSummary(await alarmsOf('ws-relinked-raw'))).toEqual([{ kind: 'chain-edited', index: 2, problem: 'edited' }]);
    });

    it('detects a replayed index', async () => {
      const events = chainedDecisions(target(agent1, 'ws-replayed', DEBTORS[0]!, 0, ''), 2);
      const other = chainedDecisions(target(agent1, 'ws-replayed', DEBTORS[0]!, 0, ''), 2, 3);
      await ingestAll([...events, other[1]!]);
      expect(chainSummary(await alarmsOf('ws-replayed'))).toEqual([{ kind: 'chain-broken', index: 2, problem: 'replayed' }]);
    });

    it('detects an unchained decision after chained ones', async () => {
      const events = chainedDecisions(target(agent1, 'ws-unchained', DEBTORS[0]!, 0, ''), 2);
      const unchained = decisionEvent(target(agent1, 'ws-unchained', DEBTORS[0]!, 3, FRIDAY.toISOString()));
      await ingestAll([...events, unchained]);
      expect(chainSummary(await alarmsOf('ws-unchained'))).toEqual([{ kind: 'chain-broken', index: null, problem: 'unchained' }]);
    });

    it('accepts unchained decisions from a workstation that never chained', async () => {
      await ingestAll([decisionEvent(target(agent1, 'ws-legacy', DEBTORS[0]!, 1, FRIDAY.toISOString()))]);
      expect(await alarmsOf('ws-legacy')).toEqual([]);
      expect(await store.countEvents()).toBeGreaterThan(0);
    });

    it('stores every tampered event', async () => {
      const stored = await store.findDecisions(DEBTORS[0]!);
      const fromTampered = stored.filter((decision) => decision.workstationId === 'ws-gap');
      expect(fromTampered).toHaveLength(3);
    });
  });

  describe('re-evaluation of contacts', () => {
    const violationsOf = async (workstationId: string) => (await alarmsOf(workstationId)).filter((alarm) => alarm.kind === 'violation');

    it('raises nothing for a lawful call', async () => {
      await ingestAll([interactionEvent(target(agent1, 'ws-lawful', DEBTORS[1]!, 1, '2026-12-04T10:00:00-05:00'))]);
      expect(await violationsOf('ws-lawful')).toEqual([]);
    });

    it('raises one violation for a Sunday dial', async () => {
      const interaction = interactionEvent(target(agent1, 'ws-sunday', DEBTORS[1]!, 2, '2026-12-06T10:00:00-05:00'));
      const decision = decisionEvent(target(agent1, 'ws-sunday', DEBTORS[1]!, 1, '2026-12-06T10:00:00-05:00')) as DecisionEvent;
      if (interaction.type !== 'interaction.recorded') throw new Error('expected an interaction');
      const linked = { ...decision, payload: { ...decision.payload, decisionId: interaction.payload.decisionId } };
      await ingestAll([linked, interaction]);

      const violations = await violationsOf('ws-sunday');
      expect(violations).toHaveLength(1);
      expect(violations[0]!.detail.rules).toEqual(['R3']);
      expect(violations[0]!.debtorId).toBe(DEBTORS[1]);
      expect(violations[0]!.agentId).toBe(agent1.id);
      expect(violations[0]!.message).toContain('R3');
      expect(violations[0]!.message).toContain('Ana María Peña');
      expect(violations[0]!.message).toContain('ws-sunday');
      expect(violations[0]!.message).toContain('06/12/2026 10:00');
    });

    it('raises one violation for a second call after a reassignment', async () => {
      const debtorId = DEBTORS[2]!;
      await ingestAll([interactionEvent(target(agent1, 'ws-first', debtorId, 1, '2026-12-09T09:00:00-05:00'))]);
      await store.reassignDebtor(debtorId, agent2.id, new Date('2026-12-09T10:00:00-05:00'));
      await ingestAll([interactionEvent(target(agent2, 'ws-second', debtorId, 1, '2026-12-09T11:00:00-05:00'))]);

      expect(await violationsOf('ws-first')).toEqual([]);
      const violations = await violationsOf('ws-second');
      expect(violations).toHaveLength(1);
      expect(violations[0]!.detail.rules).toEqual(['R5']);
      expect(violations[0]!.message).toContain('Julián Muñoz');
    });

    it('raises one violation for a call to a reference', async () => {
      const debtorId = DEBTORS[3]!;
      const snapshot = await store.getDebtorSnapshot(debtorId, FRIDAY);
      const reference = snapshot!.persons.find((person) => person.role === 'reference')!;
      const point = snapshot!.contactPoints.find((contactPoint) => contactPoint.personId === reference.id)!;
      const event = interactionEvent({ ...target(agent1, 'ws-reference', debtorId, 1, '2026-12-04T11:00:00-05:00', reference.id), contactPointId: point.id });
      await ingestAll([event]);

      const violations = await violationsOf('ws-reference');
      expect(violations).toHaveLength(1);
      expect(violations[0]!.detail.rules).toContain('R8');
      expect(violations[0]!.message).toContain('referencia personal');
    });

    it('re-evaluates an allowed decision without its interaction', async () => {
      const decision = decisionEvent(target(agent1, 'ws-decision-only', DEBTORS[0]!, 1, '2026-12-06T11:00:00-05:00'));
      await ingestAll([decision]);
      expect((await violationsOf('ws-decision-only')).map((alarm) => alarm.detail.rules)).toEqual([['R3']]);
    });

    it('raises a clock alarm for an instant out of range', async () => {
      const event = interactionEvent(target(agent1, 'ws-clock', DEBTORS[0]!, 1, FRIDAY.toISOString()));
      if (event.type !== 'interaction.recorded') throw new Error('expected an interaction');
      await ingestAll([{ ...event, payload: { ...event.payload, dialedAt: '1970-01-01T00:00:00Z' } }]);

      const alarms = await alarmsOf('ws-clock');
      expect(alarms.map((alarm) => alarm.kind)).toEqual(['clock']);
      expect(alarms[0]!.message).toContain('la marcación (31/12/1969 19:00:00) es anterior en más de 24 horas');
    });

    it('ignores a blocked decision', async () => {
      const decision = decisionEvent(target(agent1, 'ws-blocked', DEBTORS[1]!, 1, '2026-12-06T12:00:00-05:00')) as DecisionEvent;
      const blocked = { ...decision, payload: { ...decision.payload, decision: { ...decision.payload.decision, allowed: false, rules: ['R3' as const] } } };
      await ingestAll([blocked]);
      expect(await violationsOf('ws-blocked')).toEqual([]);
    });
  });

  describe('alarms', () => {
    it('filters by kind and since, newest first', async () => {
      const violations = await store.listAlarms({ kind: 'violation', limit: 100 });
      expect(violations.length).toBeGreaterThan(0);
      expect(violations.every((alarm) => alarm.kind === 'violation')).toBe(true);
      const ids = violations.map((alarm) => alarm.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));

      expect(await store.listAlarms({ since: new Date('2030-01-01T00:00:00Z'), limit: 100 })).toEqual([]);
      expect(await store.listAlarms({ limit: 2 })).toHaveLength(2);
      const forDebtor = await store.listAlarms({ debtorId: DEBTORS[3]!, limit: 100 });
      expect(forDebtor.map((alarm) => alarm.debtorId)).toEqual([DEBTORS[3]]);
    });

    it('acknowledges an alarm once', async () => {
      const [alarm] = await store.listAlarms({ limit: 1 });
      const first = await store.acknowledgeAlarm(alarm!.id, 'supervisor1', new Date('2026-12-09T08:00:00-05:00'));
      expect(first?.acknowledgedBy).toBe('supervisor1');
      expect(first?.acknowledgedAt).toBe('2026-12-09T13:00:00.000Z');
      const second = await store.acknowledgeAlarm(alarm!.id, 'admin', new Date('2026-12-10T08:00:00-05:00'));
      expect(second?.acknowledgedBy).toBe('supervisor1');
      expect(await store.acknowledgeAlarm(999_999, 'admin')).toBeNull();
    });

    it('rejects a limit below one', async () => {
      await expect(store.listAlarms({ limit: 0 })).rejects.toThrow('Límite inválido');
    });
  });
});
