/**
 * Checks the instants of a contact event against the server's receipt time and against each other,
 * and writes the Spanish text of the `clock` alarm that the re-evaluation raises for them.
 */
import type { ContactEvent } from '@gestiona/core/sync';
import { DateTime } from 'luxon';

/**
 * Longest time an instant may lie after its receipt before the server calls it impossible.
 * Workstations stamp contacts with trusted time: their clock plus the offset measured against this
 * server. By default they stop dialing when that offset passes 5 minutes (`DEFAULT_MAX_CLOCK_OFFSET_MS`
 * in main/clock.ts), so a later instant means a wrong or edited clock, not drift.
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * How far a typification or a decision may lie from the event's `occurredAt`. The workstation sets
 * both from the same clock reading, so any gap beyond the tolerance means the event was edited.
 */
export const SAME_READING_TOLERANCE_MS = FUTURE_TOLERANCE_MS;

/**
 * How long before the typification a dial may lie. A wrap-up may stay pending for hours before
 * the agent saves it, so the gap can be long.
 * NOTE: chosen as one day, and no workstation rule enforces it, so a wrap-up left open for longer
 * raises a clock alarm for an honest event.
 */
export const MAX_DIAL_TO_TYPIFY_MS = 24 * 60 * 60_000;

export type InstantField = 'occurredAt' | 'dialedAt' | 'typifiedAt' | 'trustedAt';

export type ClockProblem =
  | { kind: 'after-receipt'; field: InstantField; at: string }
  | { kind: 'far-from-occurred'; field: InstantField; at: string }
  | { kind: 'typified-before-dialed'; dialedAt: string; typifiedAt: string };

/** Returns whether `instant` lies later than the receipt plus `FUTURE_TOLERANCE_MS`. */
export function isAfterReceipt(instant: string, receivedAt: Date): boolean {
  return Date.parse(instant) > receivedAt.getTime() + FUTURE_TOLERANCE_MS;
}

/** Returns the clock problems of a contact event, in a fixed order; empty when its instants are plausible. */
export function contactClockProblems(event: ContactEvent, receivedAt: Date): ClockProblem[] {
  const problems: ClockProblem[] = [];
  const occurredMs = Date.parse(event.occurredAt);
  const instants: Array<[InstantField, string]> =
    event.type === 'interaction.recorded'
      ? [
          ['occurredAt', event.occurredAt],
          ['dialedAt', event.payload.dialedAt],
          ['typifiedAt', event.payload.typifiedAt],
        ]
      : [
          ['occurredAt', event.occurredAt],
          ['trustedAt', event.payload.trustedAt],
        ];
  for (const [field, at] of instants) {
    if (isAfterReceipt(at, receivedAt)) problems.push({ kind: 'after-receipt', field, at });
  }

  if (event.type === 'decision.recorded') {
    const trustedAt = event.payload.trustedAt;
    if (Math.abs(Date.parse(trustedAt) - occurredMs) > SAME_READING_TOLERANCE_MS) problems.push({ kind: 'far-from-occurred', field: 'trustedAt', at: trustedAt });
    return problems;
  }

  const { dialedAt, typifiedAt } = event.payload;
  if (Math.abs(Date.parse(typifiedAt) - occurredMs) > SAME_READING_TOLERANCE_MS) problems.push({ kind: 'far-from-occurred', field: 'typifiedAt', at: typifiedAt });
  // A dial after the event's time shows as a typification before the dial (or far from the event), so it is not reported twice.
  const dialedMs = Date.parse(dialedAt);
  if (occurredMs - dialedMs > MAX_DIAL_TO_TYPIFY_MS) problems.push({ kind: 'far-from-occurred', field: 'dialedAt', at: dialedAt });
  if (Date.parse(typifiedAt) < dialedMs) problems.push({ kind: 'typified-before-dialed', dialedAt, typifiedAt });
  return problems;
}

const FIELD_LABELS: Record<InstantField, string> = {
  occurredAt: 'la hora del evento',
  dialedAt: 'la marcación',
  typifiedAt: 'la tipificación',
  trustedAt: 'la decisión',
};

/** Formats an instant as `dd/mm/aaaa HH:mm:ss` in Bogotá; seconds matter when two instants are compared. */
export function bogotaSeconds(iso: string): string {
  const instant = DateTime.fromISO(iso, { zone: 'America/Bogota' });
  return instant.isValid ? instant.toFormat('dd/MM/yyyy HH:mm:ss') : iso;
}

const minutes = (milliseconds: number): number => milliseconds / 60_000;

function problemText(problem: ClockProblem, occurredAt: string, receivedAt: Date): string {
  switch (problem.kind) {
    case 'after-receipt':
      return `${FIELD_LABELS[problem.field]} (${bogotaSeconds(problem.at)}) es posterior en más de ${minutes(FUTURE_TOLERANCE_MS)} minutos a la recepción en el servidor (${bogotaSeconds(receivedAt.toISOString())})`;
    case 'far-from-occurred':
      return problem.field === 'dialedAt'
        ? `la marcación (${bogotaSeconds(problem.at)}) es anterior en más de ${MAX_DIAL_TO_TYPIFY_MS / 3_600_000} horas a la hora del evento (${bogotaSeconds(occurredAt)})`
        : `${FIELD_LABELS[problem.field]} (${bogotaSeconds(problem.at)}) difiere en más de ${minutes(SAME_READING_TOLERANCE_MS)} minutos de la hora del evento (${bogotaSeconds(occurredAt)})`;
    case 'typified-before-dialed':
      return `la tipificación (${bogotaSeconds(problem.typifiedAt)}) es anterior a la marcación (${bogotaSeconds(problem.dialedAt)})`;
  }
}

export interface ClockAlarmSubject {
  event: ContactEvent;
  agentName: string;
  receivedAt: Date;
  /** The instant at which the contact was re-evaluated and, for an interaction, entered in the ledger. */
  countedAt: string;
}

/** Writes the alarm message: which event, agent, workstation and debtor, each problem, and what the server did with the contact. */
export function clockAlarmMessage(subject: ClockAlarmSubject, problems: readonly ClockProblem[]): string {
  const { event } = subject;
  const eventLabel = event.type === 'interaction.recorded' ? 'la gestión' : 'la decisión de contacto';
  const details = problems.map((problem) => problemText(problem, event.occurredAt, subject.receivedAt)).join('; ');
  const counted =
    event.type === 'interaction.recorded'
      ? `El contacto quedó guardado y cuenta en el historial del deudor el ${bogotaSeconds(subject.countedAt)}.`
      : `La decisión quedó guardada y se reevaluó con la hora ${bogotaSeconds(subject.countedAt)}.`;
  return (
    `La estación ${event.workstationId} (agente ${subject.agentName}) envió ${eventLabel} ${event.id} del deudor ${event.payload.debtorId} ` +
    `con horas imposibles: ${details}. ${counted} El reloj de la estación no es confiable. Revise la estación.`
  );
}
