/**
 * The worklist's one-line legal status of a debtor: can the agent contact them right now, and if
 * not, when. It summarises the gate's decisions over the debtor's own authorised contact points.
 */
import { formatSlot } from '@gestiona/core/format';
import type { GateDecision, RuleId } from '@gestiona/core/compliance/types';
import type { WorklistItem } from '@gestiona/core/ipc';

export type LegalStatus = Pick<WorklistItem, 'legalStatus' | 'statusText' | 'nextAllowedAt'>;

/** Rules about the hours: R1–R4 on the Bogotá calendar and the person's own clock, and the hours the person asked for (R9). */
const WINDOW_RULES: ReadonlySet<RuleId> = new Set(['R1', 'R2', 'R3', 'R4', 'R9']);

export function summarizeLegalStatus(decisions: readonly GateDecision[], nowIso: string, noPointText = 'Sin canal autorizado'): LegalStatus {
  if (decisions.length === 0) {
    return { legalStatus: 'blocked', statusText: noPointText, nextAllowedAt: null };
  }

  const nextAllowedAt = earliest(decisions.map((decision) => decision.nextAllowedAt));
  if (decisions.some((decision) => decision.allowed)) {
    return { legalStatus: 'contactable', statusText: 'Contactable', nextAllowedAt };
  }

  // The point that opens first explains the status; ties keep the order of the contact points.
  const first = [...decisions].sort((a, b) => compareNullableInstants(a.nextAllowedAt, b.nextAllowedAt))[0]!;
  const slot = first.nextAllowedAt === null ? null : formatSlot(first.nextAllowedAt, nowIso);

  if (first.rules.includes('R5')) {
    return { legalStatus: 'contacted-today', statusText: slot ? `Ya contactado hoy — próximo: ${slot}` : 'Ya contactado hoy', nextAllowedAt };
  }
  if (first.rules.some((rule) => WINDOW_RULES.has(rule))) {
    return { legalStatus: 'outside-hours', statusText: slot ? `Fuera de horario — abre ${slot}` : 'Fuera de horario', nextAllowedAt };
  }

  const reason = first.reasons[0]?.message ?? 'Contacto bloqueado';
  return { legalStatus: 'blocked', statusText: slot ? `${reason} — próximo: ${slot}` : reason, nextAllowedAt };
}

function earliest(instants: ReadonlyArray<string | null>): string | null {
  let best: string | null = null;
  for (const instant of instants) {
    if (instant !== null && (best === null || Date.parse(instant) < Date.parse(best))) best = instant;
  }
  return best;
}

function compareNullableInstants(a: string | null, b: string | null): number {
  if (a === null) return b === null ? 0 : 1;
  if (b === null) return -1;
  return Date.parse(a) - Date.parse(b);
}
