/**
 * The server's own run of the compliance gate over a contact a workstation reports. The server
 * trusts no workstation, so it decides again with its rule pack, the fleet-wide ledger and the
 * authorisations it has on file. A contact that the server blocks but the workstation placed
 * becomes a `violation` alarm.
 */
import { evaluateGate } from '@gestiona/core/compliance/gate';
import { personGateFacts } from '@gestiona/core/compliance/person-facts';
import type { GateDecision, GateHistoryEntry, RulePack } from '@gestiona/core/compliance/types';
import type { Channel, LedgerEntry, PartyRole, Person } from '@gestiona/core/domain';
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import { channelLabel, partyRoleLabel } from './labels.ts';

/** The contact point as the server stores it. */
export interface KnownContactPoint {
  personId: string;
  channel: Channel;
  /** Whether an authorisation (source, date, evidence) is on file. */
  hasAuthorization: boolean;
  /** ISO instant of the revocation, when revoked. */
  revokedAt: string | null;
  /** Zones of a foreign number's country; empty for a Colombian number or an e-mail address. */
  timeZones: readonly string[];
}

export interface ReevaluationInput {
  /** When the contact started: the interaction's `dialedAt` or the decision's `trustedAt`. */
  at: string;
  personId: string;
  channel: Channel;
  /** The person's role in the debtor's file; null when the person is unknown. */
  role: PartyRole;
  /** The contact point the workstation used; null when the server has no such point. */
  contactPoint: KnownContactPoint | null;
  /** The person's contacts across the fleet, without the contact being re-evaluated. */
  history: readonly LedgerEntry[];
  /** The person's time zones and R9 request in force at `at`; absent when the server has neither. */
  personFacts?: Pick<Person, 'timeZones' | 'scheduleRequest'>;
}

/**
 * Returns whether the channel and address were authorised at `at`. A point that belongs to another
 * person or channel than the contact counts as unauthorised, as does a revocation at or before `at`.
 */
export function authorizedAt(point: KnownContactPoint | null, personId: string, channel: Channel, at: string): boolean {
  if (point === null || !point.hasAuthorization) return false;
  if (point.personId !== personId || point.channel !== channel) return false;
  return point.revokedAt === null || Date.parse(point.revokedAt) > Date.parse(at);
}

/** Runs the gate on the server's facts about the contact. Contacts after `at` are left out, because they cannot make `at` unlawful. */
export function reevaluateContact(input: ReevaluationInput, pack: RulePack): GateDecision {
  const atMs = Date.parse(input.at);
  const history: GateHistoryEntry[] = input.history
    .filter((entry) => entry.personId === input.personId && Date.parse(entry.at) <= atMs)
    .map((entry) => ({ at: toBogotaIso(entry.at), channel: entry.channel, kind: entry.kind }));

  return evaluateGate(
    {
      at: toBogotaIso(input.at),
      channel: input.channel,
      party: input.role,
      authorized: authorizedAt(input.contactPoint, input.personId, input.channel, input.at),
      history,
      ...personGateFacts(input.personFacts ?? null, input.contactPoint === null ? null : { timeZones: [...input.contactPoint.timeZones] }),
    },
    pack,
  );
}

export interface ViolationSubject {
  at: string;
  channel: Channel;
  role: PartyRole;
  personName: string;
  debtorId: string;
  debtorName: string;
  agentName: string;
  workstationId: string;
}

/** The rule packs behind a violation: the one in force at the contact's instant, and the one the workstation decided with. */
export interface ViolationPacks {
  /** ISO instant from which the server's pack is in force. */
  inForceSince: string;
  /** The version the workstation's decision names; null when its decision has not reached the server. */
  workstationVersion: string | null;
}

/**
 * Spanish text of a violation alarm: who contacted whom, when, and which rules the server applied.
 * When the workstation decided under another rule pack than the one in force (an office that was
 * offline when a new pack was published), the text names both versions.
 */
export function violationMessage(subject: ViolationSubject, decision: GateDecision, packs?: ViolationPacks): string {
  const reasons = decision.reasons.map((finding) => finding.message).join(' ');
  const debtor = `${subject.debtorName} (${subject.debtorId})`;
  const recipient = subject.role === 'debtor' ? `al deudor ${debtor}` : `a ${subject.personName}, ${partyRoleLabel(subject.role)} del deudor ${debtor}`;
  const text = (
    `El agente ${subject.agentName} en la estación ${subject.workstationId} contactó por ${channelLabel(subject.channel)} ${recipient} ` +
    `el ${formatDateTime(subject.at)}, pero el servidor lo bloquea por ${decision.rules.join(', ')}: ${reasons}`
  ).trim();
  if (packs === undefined || packs.workstationVersion === null || packs.workstationVersion === decision.rulePackVersion) return text;
  return (
    `${text} La estación decidió con el paquete de reglas ${packs.workstationVersion}, pero desde el ${formatDateTime(packs.inForceSince)} ` +
    `rige el paquete ${decision.rulePackVersion}, que es el que aplica el servidor.`
  );
}
