/**
 * Collection holds: a dispute (`pause-collection`) pauses collection of a debtor, a deceased debtor
 * (`stop-strategy`) stops the strategy. The workstation takes the debtor out of the call queue and
 * refuses to dial it while a hold lasts; the server records the hold at ingest and a team lead or an
 * administrator lifts it.
 */
import { z } from 'zod';
import type { Effect } from './catalog.ts';
import { isoInstantSchema } from './domain.ts';

export const HOLD_KINDS = ['dispute', 'stopped'] as const;
export const holdKindSchema = z.enum(HOLD_KINDS);
export type HoldKind = z.infer<typeof holdKindSchema>;

export const collectionHoldSchema = z.object({
  kind: holdKindSchema,
  /** When the typification that started it was saved (trusted time). */
  since: isoInstantSchema,
  /** The catalog code that started it, e.g. `RC`. */
  code: z.string().min(1).max(10),
});
export type CollectionHold = z.infer<typeof collectionHoldSchema>;

/** Feed payload: the holds in force for a debtor now; an empty list lifts every hold. */
export const holdSetSchema = z.object({
  debtorId: z.string().min(1).max(100),
  holds: z.array(collectionHoldSchema).max(HOLD_KINDS.length),
});
export type HoldSet = z.infer<typeof holdSetSchema>;

/** Returns the hold kind an effect starts, or null for effects that start none. */
export function holdKindOf(effect: Effect): HoldKind | null {
  if (effect === 'pause-collection') return 'dispute';
  if (effect === 'stop-strategy') return 'stopped';
  return null;
}

/** Spanish reason shown instead of the debtor's legal status while the hold lasts, e.g. in the worklist. */
export function holdReason(hold: CollectionHold, formatDate: (iso: string) => string): string {
  return hold.kind === 'stopped'
    ? `Estrategia detenida: titular fallecido (${hold.code}, ${formatDate(hold.since)}). No se puede contactar.`
    : `Cobro en pausa por reclamación (${hold.code}, ${formatDate(hold.since)}). No se puede contactar hasta que un supervisor levante la pausa.`;
}

/** Returns the hold shown to the agent: a stopped strategy outranks a dispute. */
export function mainHold(holds: readonly CollectionHold[]): CollectionHold | null {
  return holds.find((hold) => hold.kind === 'stopped') ?? holds[0] ?? null;
}
