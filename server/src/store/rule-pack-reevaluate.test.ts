import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RulePack } from '@gestiona/core/compliance/types';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { loadResources } from '../content/load-resources.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import type { AlarmRecord, ServerStore } from './types.ts';

const LEASED = new Date('2026-11-27T13:00:00.000Z');
const STARTED = new Date('2026-12-01T13:00:00.000Z');
/** Monday 7 December 2026, a working day, at 10:00 in Bogotá. */
const CONTACT_AT = '2026-12-07T10:00:00-05:00';
const DEBTOR_ID = 'CC-62000001';

describe.each(BACKEND_NAMES)('re-evaluation under the pack in force on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let admin: User;
  let agent: User;
  let factory: RulePack;

  beforeEach(async () => {
    // A month-long lease, so that contacts from before the first publication are accepted too.
    store = await backend.openStore(await backend.createDatabase(), { leaseDays: 30 });
    const items = await loadResources(DEFAULT_RESOURCES_DIR);
    factory = items.find((item) => item.key === 'rulepack')!.entry.payload as RulePack;
    await store.publishContent(items, STARTED);
    admin = await store.createUser({ username: 'admin', fullName: 'Ana Ruiz', role: 'admin', password: 'clave-segura-1' }, STARTED);
    agent = await store.createUser({ username: 'agente1', fullName: 'Laura Gómez', role: 'agent', password: 'clave-segura-1' }, STARTED);
    const row = portfolioRow({ numero_documento: DEBTOR_ID.slice(3), numero_obligacion: 'OB-1', nombre: 'Pedro Báez' });
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([row])), now: STARTED });
    await store.grantLease(DEBTOR_ID, agent.id, LEASED);
  });

  afterEach(async () => {
    await store.close();
  });

  const target = (seq: number): EventTarget => ({
    agentId: agent.id,
    workstationId: 'ws-oficina',
    debtorId: DEBTOR_ID,
    personId: DEBTOR_ID,
    contactPointId: `${DEBTOR_ID}/celular`,
    seq,
    at: CONTACT_AT,
  });

  /** Builds the decision and the call placed under it, as the workstation sends them. */
  function contactEvents(): SyncEvent[] {
    const decision = decisionEvent(target(1));
    const interaction = interactionEvent(target(2));
    if (decision.type !== 'decision.recorded' || interaction.type !== 'interaction.recorded') throw new Error('unexpected fixture types');
    return [decision, { ...interaction, payload: { ...interaction.payload, decisionId: decision.payload.decisionId } }];
  }

  async function ingest(events: readonly SyncEvent[], receivedAt: string): Promise<void> {
    for (const event of events) {
      const outcome = await store.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-oficina', receivedAt: new Date(receivedAt) });
      expect(outcome).toEqual({ status: 'stored' });
    }
  }

  async function publishMourning(at: string, dates = ['2026-12-07']): Promise<void> {
    const pack = { ...factory, version: '2026.2', extraBlockedDates: dates };
    const publication = await store.publishRulePack({ pack, reason: 'Decreto de duelo nacional', publishedBy: admin.id, now: new Date(at) });
    expect(publication.published).toBe(true);
  }

  const violations = async (): Promise<AlarmRecord[]> => store.listAlarms({ kind: 'violation', limit: 100 });

  it('keeps an earlier lawful contact lawful after a new pack', async () => {
    await publishMourning('2026-12-07T12:00:00-05:00');
    await ingest(contactEvents(), '2026-12-07T13:00:00-05:00');
    expect(await violations()).toEqual([]);
  });

  it('raises a contact made under the old pack after a publish', async () => {
    await publishMourning('2026-12-07T08:00:00-05:00');
    await ingest(contactEvents(), '2026-12-07T14:00:00-05:00');

    const alarms = await violations();
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.detail).toMatchObject({ rules: ['R4'], rulePackVersion: '2026.2', workstationRulePackVersion: factory.version });
    expect(alarms[0]!.message).toContain('pero el servidor lo bloquea por R4');
    expect(alarms[0]!.message).toContain(`La estación decidió con el paquete de reglas ${factory.version}, pero desde el 07/12/2026 08:00 rige el paquete 2026.2`);
  });

  it('uses the first pack for a contact before any publication', async () => {
    const early = '2026-11-30T10:00:00-05:00';
    const [decision, interaction] = contactEvents();
    if (decision?.type !== 'decision.recorded' || interaction?.type !== 'interaction.recorded') throw new Error('unexpected fixture types');
    // The later pack blocks that Monday too, so evaluating the early contact under it would raise a violation.
    await publishMourning('2026-12-07T08:00:00-05:00', ['2026-11-30', '2026-12-07']);
    await ingest(
      [
        { ...decision, occurredAt: early, payload: { ...decision.payload, trustedAt: early, localAt: early } },
        { ...interaction, occurredAt: early, payload: { ...interaction.payload, dialedAt: early, typifiedAt: early, localTypifiedAt: early } },
      ],
      '2026-12-07T14:00:00-05:00',
    );
    expect(await violations()).toEqual([]);
  });
});
