/** Collects the compliance evidence of one debtor from the store, for the JSON and PDF exports. */
import type { Catalog } from '@gestiona/core/catalog';
import type { GateDecision, RulePack } from '@gestiona/core/compliance/types';
import type { DebtorSnapshot, Person } from '@gestiona/core/domain';
import { chainedRecordOf, verifyChain, type ChainedRecord } from '@gestiona/core/evidence-chain';
import { formatCop, formatDateTime, toBogotaIso } from '@gestiona/core/format';
import { alarmKindLabel, channelLabel, partyRoleLabel, productLabel } from '../compliance/labels.ts';
import { reevaluateContact } from '../compliance/reevaluate.ts';
import type { StoredScheduleRequest } from '../schedule-requests/types.ts';
import { sha256Hex } from '../store/chain-check.ts';
import { fileViewsEvidence } from './file-views-evidence.ts';
import { scriptPathDescriber } from '../scripts/script-path-evidence.ts';
import { rulePackInForceAt, scheduleRequestAt } from './facts-in-force.ts';
import { collectionFeesCharged, obligationTermsEvidence } from './obligation-terms-evidence.ts';
import type { AlarmRecord, RulePackRecord, ServerStore, StoredDecision, StoredInteraction } from '../store/types.ts';
import type { DebtorEvidence, EvidenceAlarm, EvidenceChain, EvidenceContact, EvidenceDecision, EvidenceInstant, EvidenceWorkstationDecision } from './types.ts';

/** Alarms of one debtor included in an export; a debtor with more is a case for the alarm list itself. */
const MAX_EXPORTED_ALARMS = 10_000;

export const evidenceInstant = (instant: string | Date): EvidenceInstant => {
  const iso = toBogotaIso(instant);
  return { iso, text: formatDateTime(iso) };
};

/** Returns null when the debtor does not exist. */
export async function buildDebtorEvidence(store: ServerStore, debtorId: string, now: Date): Promise<DebtorEvidence | null> {
  // The lease end is not part of the evidence; any instant gives the same snapshot otherwise.
  const snapshot = await store.getDebtorSnapshot(debtorId, now);
  if (snapshot === null) return null;

  const { rulePack, catalog } = await store.currentContent();
  const interactions = await store.findInteractionEvents(debtorId);
  const decisions = await store.findDecisions(debtorId);
  const agentNames = new Map((await store.listUsers()).map((user) => [user.id, user.fullName]));
  const persons = new Map(snapshot.persons.map((person) => [person.id, person]));

  const decisionsById = new Map(decisions.map((decision) => [decision.payload.decisionId, decision]));
  const describeDecision = (decision: StoredDecision) => workstationDecision(decision, agentNames, persons);

  const history = await factsHistory(store, snapshot);
  const contacts: EvidenceContact[] = [];
  const describeScriptPath = scriptPathDescriber(store);
  for (const interaction of interactions) {
    const decision = decisionsById.get(interaction.payload.decisionId);
    const dialedAt = new Date(interaction.payload.dialedAt);
    // A history that is still empty (no publication recorded yet) falls back to the pack published now.
    const packAtContact = history.rulePacks.length === 0 ? rulePack : (rulePackInForceAt(history.rulePacks, dialedAt)?.pack ?? null);
    const serverDecision = packAtContact === null ? null : await reevaluate(store, snapshot, interaction, packAtContact, history.scheduleRequests);
    const contact = contactEvidence(interaction, decision === undefined ? null : describeDecision(decision), serverDecision, agentNames, persons, catalog);
    const scriptPath = await describeScriptPath(interaction.payload);
    contacts.push(scriptPath === null ? contact : { ...contact, scriptPath });
  }
  const contactDecisionIds = new Set(interactions.map((interaction) => interaction.payload.decisionId));
  const attemptsWithoutContact = decisions.filter((decision) => !contactDecisionIds.has(decision.payload.decisionId)).map(describeDecision);

  const workstations = [...new Set([...interactions.map((item) => item.workstationId), ...decisions.map((item) => item.workstationId)])].sort();
  const chains: EvidenceChain[] = [];
  for (const workstationId of workstations) chains.push(verifyWorkstationChain(workstationId, await store.findWorkstationDecisions(workstationId)));

  const alarms = (await store.listAlarms({ debtorId, limit: MAX_EXPORTED_ALARMS })).reverse().map(alarmEvidence);
  const fileViews = fileViewsEvidence(await store.findDebtorViews({ debtorId }), agentNames);

  return {
    exportedAt: evidenceInstant(now),
    rulePackVersion: rulePack?.version ?? null,
    debtor: debtorEvidence(snapshot),
    contacts,
    attemptsWithoutContact,
    authorizations: snapshot.contactPoints.map((point) => {
      const person = persons.get(point.personId);
      return {
        contactPointId: point.id,
        personName: person?.fullName ?? point.personId,
        personRole: person?.role ?? 'reference',
        channel: point.channel,
        channelLabel: channelLabel(point.channel),
        address: point.address,
        source: point.authorization?.source ?? null,
        grantedOn: point.authorization?.grantedOn ?? null,
        evidence: point.authorization?.evidence ?? null,
        revokedAt: point.authorization?.revokedAt ? evidenceInstant(point.authorization.revokedAt) : null,
        flagged: point.flagged,
      };
    }),
    obligationTerms: obligationTermsEvidence(snapshot, interactions, rulePack, now),
    collectionFees: collectionFeesCharged(interactions),
    alarms,
    chains,
    fileViews,
  };
}

function debtorEvidence(snapshot: DebtorSnapshot): DebtorEvidence['debtor'] {
  return {
    id: snapshot.id,
    docType: snapshot.docType,
    docNumber: snapshot.docNumber,
    fullName: snapshot.fullName,
    city: snapshot.city,
    segment: snapshot.segment,
    obligations: snapshot.obligations.map((obligation) => ({
      creditor: obligation.creditor,
      number: obligation.number,
      product: obligation.product,
      productLabel: productLabel(obligation.product),
      balanceCents: obligation.balanceCents,
      balanceText: formatCop(obligation.balanceCents),
      overdueCents: obligation.overdueCents,
      overdueText: formatCop(obligation.overdueCents),
      daysPastDue: obligation.daysPastDue,
    })),
    persons: snapshot.persons.map((person) => ({
      id: person.id,
      fullName: person.fullName,
      role: person.role,
      roleLabel: partyRoleLabel(person.role),
      relation: person.relation,
    })),
  };
}

interface FactsHistory {
  rulePacks: RulePackRecord[];
  /** Every schedule request received for each person of the debtor, by person id. */
  scheduleRequests: ReadonlyMap<string, StoredScheduleRequest[]>;
}

async function factsHistory(store: ServerStore, snapshot: DebtorSnapshot): Promise<FactsHistory> {
  const scheduleRequests = new Map<string, StoredScheduleRequest[]>();
  for (const person of snapshot.persons) {
    // References never get a schedule request: the gate never lets anyone contact them.
    if (person.role === 'reference' || person.docType === null || person.docNumber === null) continue;
    scheduleRequests.set(person.id, await store.listScheduleRequests(person.docType, person.docNumber));
  }
  return { rulePacks: await store.listRulePacks(), scheduleRequests };
}

/**
 * Re-runs the server's gate on a stored contact as ingest did, under the rule pack and the schedule
 * request in force at the contact's instant. A later calendar correction or request then does not
 * change the verdict on an earlier contact.
 */
async function reevaluate(
  store: ServerStore,
  snapshot: DebtorSnapshot,
  interaction: StoredInteraction,
  pack: RulePack,
  scheduleRequests: FactsHistory['scheduleRequests'],
): Promise<EvidenceDecision | null> {
  const { payload } = interaction;
  const person = snapshot.persons.find((candidate) => candidate.id === payload.personId);
  if (person === undefined) return null;
  const requests = scheduleRequests.get(person.id);
  const scheduleRequest = requests === undefined ? null : scheduleRequestAt(requests, new Date(payload.dialedAt));
  const point = snapshot.contactPoints.find((candidate) => candidate.id === payload.contactPointId);
  const history = await store.findPersonLedger(payload.personId, new Date(payload.dialedAt), [payload.interactionId]);

  const contactPoint =
    point === undefined
      ? null
      : {
          personId: point.personId,
          channel: point.channel,
          hasAuthorization: point.authorization !== null,
          revokedAt: point.authorization?.revokedAt ?? null,
          timeZones: point.timeZones ?? [],
        };

  let decision: GateDecision;
  try {
    decision = reevaluateContact(
      { at: payload.dialedAt, personId: payload.personId, channel: payload.channel, role: person.role, contactPoint, history, personFacts: { ...person, scheduleRequest } },
      pack,
    );
  } catch (error) {
    // An instant outside the gate's years already raised a `clock` alarm at ingest, which the export lists.
    if (error instanceof RangeError) return null;
    throw error;
  }
  return decisionEvidence(decision);
}

const decisionEvidence = (decision: GateDecision): EvidenceDecision => ({
  allowed: decision.allowed,
  rules: decision.rules,
  reasons: decision.reasons,
  rulePackVersion: decision.rulePackVersion,
  evaluatedAt: evidenceInstant(decision.evaluatedAt),
});

function workstationDecision(decision: StoredDecision, agentNames: ReadonlyMap<string, string>, persons: ReadonlyMap<string, Person>): EvidenceWorkstationDecision {
  const { payload } = decision;
  return {
    ...decisionEvidence(payload.decision),
    decisionId: payload.decisionId,
    eventId: decision.eventId,
    workstationId: decision.workstationId,
    agentId: decision.agentId,
    agentName: agentNames.get(decision.agentId) ?? decision.agentId,
    personName: persons.get(payload.personId)?.fullName ?? payload.personId,
    contactPointId: payload.contactPointId,
    channel: payload.channel,
    channelLabel: channelLabel(payload.channel),
    trustedAt: evidenceInstant(payload.trustedAt),
    localAt: evidenceInstant(payload.localAt),
    clockOffsetMs: payload.clockOffsetMs,
    chainIndex: payload.chain?.index ?? null,
  };
}

function contactEvidence(
  interaction: StoredInteraction,
  decision: EvidenceWorkstationDecision | null,
  serverDecision: EvidenceDecision | null,
  agentNames: ReadonlyMap<string, string>,
  persons: ReadonlyMap<string, Person>,
  catalog: Catalog | null,
): EvidenceContact {
  const { payload } = interaction;
  const person = persons.get(payload.personId);
  return {
    interactionId: payload.interactionId,
    eventId: interaction.eventId,
    channel: payload.channel,
    channelLabel: channelLabel(payload.channel),
    dialedAt: evidenceInstant(payload.dialedAt),
    typifiedAt: evidenceInstant(payload.typifiedAt),
    agentId: interaction.agentId,
    agentName: agentNames.get(interaction.agentId) ?? interaction.agentId,
    workstationId: interaction.workstationId,
    personId: payload.personId,
    personName: person?.fullName ?? payload.personId,
    personRole: person?.role ?? 'reference',
    contactPointId: payload.contactPointId,
    code: payload.code,
    codeLabel: catalog?.codes.find((entry) => entry.code === payload.code)?.label ?? payload.code,
    kind: payload.kind,
    identityConfirmedAt: payload.identityConfirmedAt === undefined ? null : evidenceInstant(payload.identityConfirmedAt),
    note: payload.note,
    workstationDecision: decision,
    serverDecision,
  };
}

/** Verifies a workstation's whole chain as the server stored it, with its chained decisions in index order. */
export function verifyWorkstationChain(workstationId: string, decisions: readonly StoredDecision[]): EvidenceChain {
  const records: ChainedRecord[] = [];
  let unchained = 0;
  for (const decision of decisions) {
    const record = chainedRecordOf(decision.payload);
    if (record === null) unchained += 1;
    else records.push(record);
  }
  // Sorting by index puts a reordered pair back in place, so what remains are gaps, repeats, edits and broken links.
  records.sort((a, b) => a.index - b.index);

  const result = verifyChain(records, sha256Hex);
  return {
    workstationId,
    chainedDecisions: records.length,
    unchainedDecisions: unchained,
    ok: result.ok,
    headIndex: result.ok ? (result.head?.index ?? null) : null,
    problem: result.ok ? null : result.problem,
  };
}

function alarmEvidence(alarm: AlarmRecord): EvidenceAlarm {
  return {
    id: alarm.id,
    kind: alarm.kind,
    kindLabel: alarmKindLabel(alarm.kind),
    workstationId: alarm.workstationId,
    agentId: alarm.agentId,
    eventId: alarm.eventId,
    message: alarm.message,
    detail: alarm.detail,
    createdAt: evidenceInstant(alarm.createdAt),
    acknowledgedAt: alarm.acknowledgedAt === null ? null : evidenceInstant(alarm.acknowledgedAt),
    acknowledgedBy: alarm.acknowledgedBy,
  };
}
