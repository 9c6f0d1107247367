/**
 * Inputs and outputs of the compliance gate. The gate itself lives in `gate.ts`; everything here is
 * data, so a decision can be stored, synced and re-evaluated on the server byte for byte.
 */
import { z } from 'zod';
import { channelSchema, contactKindSchema, isoDateSchema, isoInstantSchema, partyRoleSchema } from '../domain.ts';

export const RULE_IDS = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R16'] as const;
export const ruleIdSchema = z.enum(RULE_IDS);
export type RuleId = z.infer<typeof ruleIdSchema>;

/** Versioned rule settings, distributed by the server through the change feed. */
export const rulePackSchema = z.object({
  version: z.string().min(1).max(50),
  /**
   * `every-attempt` counts every outbound attempt toward R5/R6 (the default reading);
   * `two-way-only` counts only two-way contacts (the SFC advisory reading).
   */
  countsAsContact: z.enum(['every-attempt', 'two-way-only']),
  /** Minutes before a window closes in which a dial is allowed with a warning. */
  lastDialMarginMinutes: z.number().int().min(0).max(120),
  /** Extra dates on which every contact is blocked (civic days, days of mourning). */
  extraBlockedDates: z.array(isoDateSchema),
  /** Corrections to the computed holiday calendar: dates to add as holidays, dates to remove. */
  calendarCorrections: z.object({
    add: z.array(z.object({ date: isoDateSchema, name: z.string().min(1).max(200) })),
    remove: z.array(isoDateSchema),
  }),
});
export type RulePack = z.infer<typeof rulePackSchema>;

export const gateHistoryEntrySchema = z.object({
  at: isoInstantSchema,
  channel: channelSchema,
  kind: contactKindSchema,
});
export type GateHistoryEntry = z.infer<typeof gateHistoryEntrySchema>;

/** One proposed contact with one person, plus that person's contact history on every channel. */
export const gateRequestSchema = z.object({
  at: isoInstantSchema,
  channel: channelSchema,
  party: partyRoleSchema,
  /** The channel and address carry an unrevoked authorisation from this person. */
  authorized: z.boolean(),
  history: z.array(gateHistoryEntrySchema),
});
export type GateRequest = z.infer<typeof gateRequestSchema>;

export const gateFindingSchema = z.object({
  rule: ruleIdSchema,
  /** Spanish (es-CO) text shown to the agent. */
  message: z.string(),
});
export type GateFinding = z.infer<typeof gateFindingSchema>;

export const gateDecisionSchema = z.object({
  allowed: z.boolean(),
  /** Rules that block the contact; empty when allowed. */
  rules: z.array(ruleIdSchema),
  reasons: z.array(gateFindingSchema),
  /** Findings that do not block, e.g. the last-dial margin before a window closes. */
  warnings: z.array(gateFindingSchema),
  /** Earliest instant (ISO, -05:00) at which the same contact would be allowed; null if never. */
  nextAllowedAt: isoInstantSchema.nullable(),
  rulePackVersion: z.string(),
  /** The instant the decision was evaluated for (the request's `at`). */
  evaluatedAt: isoInstantSchema,
});
export type GateDecision = z.infer<typeof gateDecisionSchema>;
