/**
 * Re-runs the compliance gate on the server for each stored contact (an interaction, or a decision
 * that allowed one) inside the ingest transaction, and raises a `violation` alarm when the server
 * blocks what the workstation went ahead with. At most one violation is raised per decision,
 * whether its decision event or its interaction event arrives first. A contact with impossible
 * instants (after its receipt, far from its event's time, typified before dialed) raises one
 * `clock` alarm, and is still stored and re-evaluated.
 */
import type { GateDecision } from '@gestiona/core/compliance/types';
import type { ContactEvent } from '@gestiona/core/sync';
import { clockAlarmMessage, contactClockProblems, isAfterReceipt } from '../compliance/contact-clock.ts';
import { reevaluateContact, violationMessage } from '../compliance/reevaluate.ts';
import type { Logger } from '../logger.ts';
import { ledgerInstantOf } from './events.ts';
import type { Tables } from './tables.ts';

export interface Reevaluation {
  decision: GateDecision;
  /** Id of the raised violation alarm, or null when the server allows the contact or one was already raised. */
  alarmId: number | null;
}

/**
 * Re-evaluates under the rule pack in force at the contact's instant, or at the receipt when the
 * instant lies after it (the instant the ledger counts, see `ledgerInstantOf`). Returns null when
 * the event is not a contact the workstation went ahead with, when no rule pack is published yet,
 * or when the contact's instant is outside the years the gate evaluates (that raises a `clock`
 * alarm instead).
 */
export async function reevaluateEvent(tables: Tables, event: ContactEvent, receivedAt: Date, logger?: Logger): Promise<Reevaluation | null> {
  const reported = contactOf(event);
  if (reported === null) return null;
  const contact = isAfterReceipt(reported.at, receivedAt) ? { ...reported, at: receivedAt.toISOString() } : reported;
  const clockAlarmId = await checkContactClock(tables, event, reported, contact.at, receivedAt, logger);

  // The pack in force at the contact, not the latest: a pack published later must not turn an
  // earlier lawful contact into a violation.
  const inForce = await tables.rulePacks.inForceAt(new Date(contact.at));
  if (inForce === null) {
    logger?.warn({ eventId: event.id }, 're-evaluate contact: skipped, no rule pack published');
    return null;
  }
  const person = await tables.facts.person(event.payload.debtorId, event.payload.personId, new Date(contact.at));
  if (person === null) return null;

  const excluded = event.type === 'interaction.recorded' ? [event.payload.interactionId] : await tables.facts.interactionsOfDecision(contact.decisionId);
  const history = await tables.facts.personLedger(event.payload.personId, new Date(contact.at), excluded);
  let decision: GateDecision;
  try {
    decision = reevaluateContact(
      {
        at: contact.at,
        personId: event.payload.personId,
        channel: event.payload.channel,
        role: person.role,
        contactPoint: await tables.facts.contactPoint(event.payload.contactPointId),
        history,
        personFacts: person.facts,
      },
      inForce.pack,
    );
  } catch (error) {
    // The gate evaluates only years 1984 to 9997. An instant outside them comes from a wrong clock,
    // and throwing here would make the workstation resend the event forever.
    if (!(error instanceof RangeError)) throw error;
    // One clock alarm per event: the one raised above already names the impossible instants.
    const alarmId = clockAlarmId ?? (await raiseClockAlarm(tables, event, contact, receivedAt));
    logger?.warn({ eventId: event.id, alarmId, workstationId: event.workstationId, err: error }, 're-evaluate contact: instant out of range');
    return null;
  }
  if (decision.allowed || (await tables.alarms.hasViolation(contact.decisionId))) return { decision, alarmId: null };

  const agent = await tables.users.get(event.agentId);
  const workstationVersion =
    event.type === 'decision.recorded' ? event.payload.decision.rulePackVersion : await tables.facts.decisionRulePackVersion(contact.decisionId);
  const message = violationMessage(
    {
      at: contact.at,
      channel: event.payload.channel,
      role: person.role,
      personName: person.fullName,
      debtorId: event.payload.debtorId,
      debtorName: (await tables.facts.debtorName(event.payload.debtorId)) ?? event.payload.debtorId,
      agentName: agent?.fullName ?? event.agentId,
      workstationId: event.workstationId,
    },
    decision,
    { inForceSince: inForce.publishedAt, workstationVersion },
  );
  const alarmId = await tables.alarms.insert({
    kind: 'violation',
    workstationId: event.workstationId,
    agentId: event.agentId,
    debtorId: event.payload.debtorId,
    eventId: event.id,
    decisionId: contact.decisionId,
    detail: {
      rules: decision.rules,
      reasons: decision.reasons,
      at: contact.at,
      personId: event.payload.personId,
      contactPointId: event.payload.contactPointId,
      channel: event.payload.channel,
      rulePackVersion: decision.rulePackVersion,
      workstationRulePackVersion: workstationVersion,
      historySize: history.length,
    },
    message,
    createdAt: receivedAt,
  });
  logger?.warn({ eventId: event.id, alarmId, workstationId: event.workstationId, debtorId: event.payload.debtorId, rules: decision.rules }, 're-evaluate contact: violation');
  return { decision, alarmId };
}

/** Raises a `clock` alarm when the event's instants are impossible (see `contactClockProblems`), and returns its id. */
async function checkContactClock(
  tables: Tables,
  event: ContactEvent,
  reported: { at: string; decisionId: string },
  evaluatedAt: string,
  receivedAt: Date,
  logger?: Logger,
): Promise<number | null> {
  const problems = contactClockProblems(event, receivedAt);
  if (problems.length === 0) return null;

  const agent = await tables.users.get(event.agentId);
  const countedAt = event.type === 'interaction.recorded' ? ledgerInstantOf(event.payload, receivedAt) : evaluatedAt;
  const alarmId = await tables.alarms.insert({
    kind: 'clock',
    workstationId: event.workstationId,
    agentId: event.agentId,
    debtorId: event.payload.debtorId,
    eventId: event.id,
    decisionId: reported.decisionId,
    detail: { at: reported.at, occurredAt: event.occurredAt, receivedAt: receivedAt.toISOString(), countedAt, problems },
    message: clockAlarmMessage({ event, agentName: agent?.fullName ?? event.agentId, receivedAt, countedAt }, problems),
    createdAt: receivedAt,
  });
  logger?.warn({ eventId: event.id, alarmId, workstationId: event.workstationId, problems: problems.map((problem) => problem.kind) }, 're-evaluate contact: impossible instants');
  return alarmId;
}

async function raiseClockAlarm(tables: Tables, event: ContactEvent, contact: { at: string; decisionId: string }, receivedAt: Date): Promise<number> {
  return tables.alarms.insert({
    kind: 'clock',
    workstationId: event.workstationId,
    agentId: event.agentId,
    debtorId: event.payload.debtorId,
    eventId: event.id,
    decisionId: contact.decisionId,
    detail: { at: contact.at },
    message:
      `La estación ${event.workstationId} informó un contacto con el deudor ${event.payload.debtorId} con fecha ${contact.at}, ` +
      'fuera de los años que el servidor puede evaluar (1984 a 9997): el reloj de la estación no es confiable. Revise la estación.',
    createdAt: receivedAt,
  });
}

/** Returns the instant and decision of the contact an event reports, or null for a blocked decision, after which no contact happened. */
function contactOf(event: ContactEvent): { at: string; decisionId: string } | null {
  switch (event.type) {
    case 'interaction.recorded':
      return { at: event.payload.dialedAt, decisionId: event.payload.decisionId };
    case 'decision.recorded':
      return event.payload.decision.allowed ? { at: event.payload.trustedAt, decisionId: event.payload.decisionId } : null;
  }
}
