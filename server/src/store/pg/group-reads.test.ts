import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkRecord, type ChainHead } from '@gestiona/core/evidence-chain';
import type { ContactEvent, SyncEvent, User } from '@gestiona/core/sync';
import { loadResources } from '../../content/load-resources.ts';
import { useTestBackend } from '../../fixtures/backends.ts';
import { decisionEvent, interactionEvent } from '../../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../../fixtures/portfolio.ts';
import { DEFAULT_RESOURCES_DIR } from '../../paths.ts';
import { sha256Hex } from '../chain-check.ts';
import type { IngestItem, IngestOutcome, ServerStore } from '../types.ts';

const SEEDED = new Date('2026-12-01T13:00:00.000Z');
const RECEIVED = new Date('2026-12-07T23:00:00.000Z');
const DEBTORS = ['CC-71000001', 'CC-71000002', 'CC-71000003'];
/** Not in the portfolio, so its events are rejected. */
const UNKNOWN_DEBTOR = 'CC-79999999';
const WORKSTATIONS = ['ws-1', 'ws-2'];

/** One generated step of a workstation's stream. */
interface Step {
  /** `late-decision`: a decision and the contact placed under it, the contact sent first. */
  kind: 'decision' | 'interaction' | 'resend' | 'lost-decision' | 'late-decision';
  /** The interaction's code: an attempt (NC), a conversation (RN), or a dispute (RC), which records a hold. */
  code: 'NC' | 'RN' | 'RC';
  debtor: number;
  /** Minutes after 07:00 in Bogotá on the run's day; a second conversation with one person that day raises a violation. */
  minute: number;
  workstation: number;
  /** Which earlier event a resend repeats. */
  pick: number;
}

const stepArbitrary: fc.Arbitrary<Step> = fc.record({
  kind: fc.constantFrom<Step['kind']>('decision', 'decision', 'interaction', 'interaction', 'resend', 'lost-decision', 'late-decision'),
  code: fc.constantFrom<Step['code']>('NC', 'RN', 'RN', 'RN', 'RC'),
  debtor: fc.nat({ max: DEBTORS.length }),
  minute: fc.nat({ max: 11 * 60 }),
  workstation: fc.nat({ max: WORKSTATIONS.length - 1 }),
  pick: fc.nat(),
});

/**
 * The group ingest takes its reads from statements made before the first event (`group-reads.ts`,
 * `sqlite-group-read.ts`). Whatever the group holds, it must store, reject and alarm exactly as the
 * same events ingested one per transaction, which always read the database.
 */
describe.each(['sqlite', 'postgres'] as const)('group ingest with the reads up front, on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let grouped: ServerStore;
  let alone: ServerStore;
  let agent: User;
  let seq = 0;
  /** Each run contacts on its own day, so that what a run finds in the ledger is mostly what its own group stored. */
  let run = 0;
  const heads = new Map<string, ChainHead | null>();

  beforeAll(async () => {
    const location = await backend.createDatabase();
    const seeding = await backend.openStore(location, { leaseDays: 30 });
    await seeding.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), SEEDED);
    agent = await seeding.createUser({ username: 'agente1', fullName: 'Laura Gómez', role: 'agent', password: 'clave-segura-1' }, SEEDED);
    const rows = DEBTORS.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}` }));
    await seeding.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: SEEDED });
    for (const debtorId of DEBTORS) await seeding.grantLease(debtorId, agent.id, SEEDED);
    await seeding.close();
    const copy = await backend.copyDatabase(location);
    grouped = await backend.openStore(location, { leaseDays: 30 });
    alone = await backend.openStore(copy, { leaseDays: 30 });
  });

  afterAll(async () => {
    await grouped?.close();
    await alone?.close();
  });

  /** Builds the events of the steps, chaining each workstation's decisions as the workstation does. */
  function eventsOf(steps: readonly Step[]): SyncEvent[] {
    const events: SyncEvent[] = [];
    const lastDecision = new Map<string, string>();
    for (const step of steps) {
      if (step.kind === 'resend') {
        if (events.length > 0) events.push(events[step.pick % events.length]!);
        continue;
      }
      const workstationId = WORKSTATIONS[step.workstation]!;
      const debtorId = DEBTORS[step.debtor] ?? UNKNOWN_DEBTOR;
      const at = new Date(Date.UTC(2026, 11, 2 + (run % 25), 12, step.minute)).toISOString();
      seq += 1;
      const target = { agentId: agent.id, workstationId, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, seq, at };
      if (step.kind === 'interaction') {
        const event = interactionEvent(target, { code: step.code, kind: step.code === 'NC' ? 'attempt' : 'two-way' }) as Extract<ContactEvent, { type: 'interaction.recorded' }>;
        const decisionId = lastDecision.get(`${workstationId}/${debtorId}`) ?? event.payload.decisionId;
        events.push({ ...event, payload: { ...event.payload, decisionId } });
        continue;
      }
      const event = decisionEvent(target) as Extract<ContactEvent, { type: 'decision.recorded' }>;
      const chain = linkRecord(event.payload, heads.get(workstationId) ?? null, sha256Hex);
      heads.set(workstationId, { index: chain.index, hash: chain.hash });
      lastDecision.set(`${workstationId}/${debtorId}`, event.payload.decisionId);
      // A lost decision takes its place in the chain but never arrives: the next one shows a gap.
      if (step.kind === 'decision') events.push({ ...event, payload: { ...event.payload, chain } });
      if (step.kind === 'late-decision') {
        seq += 1;
        const contact = interactionEvent({ ...target, seq }, { code: step.code, kind: step.code === 'NC' ? 'attempt' : 'two-way' }) as Extract<ContactEvent, { type: 'interaction.recorded' }>;
        events.push({ ...contact, payload: { ...contact.payload, decisionId: event.payload.decisionId } }, { ...event, payload: { ...event.payload, chain } });
      }
    }
    return events;
  }

  const itemsOf = (events: readonly SyncEvent[]): IngestItem[] =>
    events.map((event) => ({ event, context: { agentId: agent.id, workstationId: event.workstationId, receivedAt: RECEIVED } }));

  /** Reads what ingest left behind, without the ids and instants that differ between the two databases. */
  async function stateOf(store: ServerStore) {
    const alarms = (await store.listAlarms({ limit: 10_000 }))
      .map((alarm) => ({ kind: alarm.kind, eventId: alarm.eventId, decisionId: alarm.decisionId, detail: alarm.detail, message: alarm.message }))
      .sort((a, b) => `${a.eventId}${a.kind}`.localeCompare(`${b.eventId}${b.kind}`));
    const ledgers = await Promise.all(DEBTORS.map((debtorId) => store.findLedger(debtorId)));
    const links = await Promise.all(WORKSTATIONS.map((workstationId) => store.listDecisionLinks(workstationId)));
    return { alarms, ledgers, links: links.map((list) => list.map((link) => ({ ...link, receivedAt: link.receivedAt }))), events: await store.countEvents() };
  }

  it('stores, rejects and alarms as one event per transaction does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 2, maxLength: 24 }), async (steps) => {
        run += 1;
        const items = itemsOf(eventsOf(steps));
        const groupOutcomes = await grouped.ingestEvents(items);
        const aloneOutcomes: IngestOutcome[] = [];
        for (const item of items) {
          if (!('event' in item)) throw new Error('the test builds valid events only');
          aloneOutcomes.push(await alone.ingestEvent(item.event, item.context));
        }
        expect(groupOutcomes).toEqual(aloneOutcomes);
        expect(await stateOf(grouped)).toEqual(await stateOf(alone));
      }),
      { numRuns: 25 },
    );
  });

  it('answers a duplicate and a taken decision id inside one group from what the group stored', async () => {
    // A workstation and a day no other test uses, so that nothing raises an alarm and every read is the group's.
    // The day lies before RECEIVED, because a decision received before its instant raises a clock alarm.
    const target = (debtorId: string) => ({ agentId: agent.id, workstationId: 'ws-3', debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, seq: (seq += 1), at: '2026-12-01T14:00:00.000Z' });
    const decision = decisionEvent(target(DEBTORS[0]!)) as Extract<ContactEvent, { type: 'decision.recorded' }>;
    const other = decisionEvent(target(DEBTORS[1]!)) as Extract<ContactEvent, { type: 'decision.recorded' }>;
    const conflicting: SyncEvent = { ...other, payload: { ...other.payload, decisionId: decision.payload.decisionId } };
    const outcomes = await grouped.ingestEvents(itemsOf([decision, decision, conflicting]));
    expect(outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.code : outcome.status))).toEqual(['stored', 'duplicate', 'id-conflict']);
    expect(await grouped.listAlarms({ limit: 10, debtorId: DEBTORS[0]! })).not.toContainEqual(expect.objectContaining({ eventId: decision.id }));
  });
});
