/**
 * Inputs and outputs of the compliance gate. The gate itself lives in `gate.ts`; everything here is
 * data, so a decision can be stored, synced and re-evaluated on the server byte for byte.
 */
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { complianceChannelSchema, contactKindSchema, isoDateSchema, isoInstantSchema, partyRoleSchema } from '../domain.ts';

export const RULE_IDS = ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15', 'R16'] as const;
export const ruleIdSchema = z.enum(RULE_IDS);
export type RuleId = z.infer<typeof ruleIdSchema>;

/** Defined in `domain.ts` because the contact ledger records letters and visits too. */
export { COMPLIANCE_CHANNELS, complianceChannelSchema, type ComplianceChannel } from '../domain.ts';

/**
 * Monthly minimum wage (SMMLV) of 2026 in COP centavos: $1.750.905, set by Decreto 1469 de 2025. The
 * Consejo de Estado suspended that decree on 13 February 2026, and the transitory Decreto 0159 de 2026
 * of 19 February 2026 kept the same value.
 *
 * NOTE: the value is confirmed from press reports of both decrees, not from the text in the Diario
 * Oficial. Publish the official value in the rule pack (`monthlyMinimumWageCents`) each January.
 */
export const MONTHLY_MINIMUM_WAGE_2026_CENTS = 175_090_500;

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
  /**
   * Monthly minimum wage in COP centavos. R14 needs two prior notices for debts at or below 15 % of it.
   * Packs written before this field existed get the 2026 value.
   */
  monthlyMinimumWageCents: z.number().int().positive().default(MONTHLY_MINIMUM_WAGE_2026_CENTS),
});
export type RulePack = z.infer<typeof rulePackSchema>;

export const gateHistoryEntrySchema = z.object({
  at: isoInstantSchema,
  channel: complianceChannelSchema,
  kind: contactKindSchema,
  /** An exempt message under R10 (no collection content); R5 and R6 do not count it. */
  exempt: z.boolean().optional(),
});
export type GateHistoryEntry = z.infer<typeof gateHistoryEntrySchema>;

/** `HH:MM`, 24-hour Bogotá wall-clock time. */
const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'debe ser una hora HH:MM entre 00:00 y 23:59');

/** `HH:MM` or `24:00` for a window that runs to midnight. */
const clockEndSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'debe ser una hora HH:MM entre 00:00 y 24:00');

/** One window of a consumer's schedule request: the ISO weekdays (1 = Monday … 7 = Sunday) and the hours. */
export const scheduleWindowSchema = z.object({
  days: z.array(z.number().int().min(1).max(7)),
  /** First minute in which a contact may start, Bogotá time. */
  from: clockTimeSchema,
  /** End of the window, exclusive, Bogotá time. */
  to: clockEndSchema,
});
export type ScheduleWindow = z.infer<typeof scheduleWindowSchema>;

/**
 * R9: the person's own request to be contacted at other hours. The gate checks that it is
 * consumer-initiated, dated after the contract and not after the contact, carries evidence and has at
 * least one window. The gate ignores a request that fails these checks and reports why in a warning.
 * The schema accepts such requests so that they can be stored and shown.
 */
export const scheduleRequestSchema = z.object({
  window: z.array(scheduleWindowSchema),
  /** Date of the separate instrument in which the person asked for these hours. */
  requestedOn: isoDateSchema,
  contractSignedOn: isoDateSchema,
  /** Reference to the signed request kept by the creditor (document id, recording id). */
  evidence: z.string().max(500),
  consumerInitiated: z.boolean(),
});
export type ScheduleRequest = z.infer<typeof scheduleRequestSchema>;

export const EXEMPTION_REASONS = ['transaction-confirmation', 'fraud-alert', 'savings-information', 'requested-information'] as const;
export const exemptionReasonSchema = z.enum(EXEMPTION_REASONS);
export type ExemptionReason = z.infer<typeof exemptionReasonSchema>;

/** R10: a message sent as exempt from the contact limits, with its reason. */
export const exemptionSchema = z.object({
  reason: exemptionReasonSchema,
  /** Whether the text mentions the debt, a payment request or any other collection matter. */
  hasCollectionContent: z.boolean(),
});
export type Exemption = z.infer<typeof exemptionSchema>;

/** Credit types for which R13 lets a field visit happen, given the explicit flag. */
export const VISIT_CREDIT_TYPES = ['microcredit', 'development', 'agricultural'] as const;
export const visitCreditTypeSchema = z.enum(VISIT_CREDIT_TYPES);
export type VisitCreditType = z.infer<typeof visitCreditTypeSchema>;

/** IANA time zone name that luxon (and so the platform's ICU data) recognises, e.g. `Europe/Madrid`. */
export const timeZoneNameSchema = z
  .string()
  .max(100)
  .refine((name) => IANAZone.isValidZone(name), 'debe ser un nombre de zona horaria IANA, p. ej. "Europe/Madrid"');

/** More zones than any country has (Russia has 11, the United States about 30 with its territories). */
export const MAX_PERSON_TIME_ZONES = 64;

/** One proposed contact with one person, plus that person's contact history on every channel. */
export const gateRequestSchema = z.object({
  at: isoInstantSchema,
  channel: complianceChannelSchema,
  party: partyRoleSchema,
  /** The channel and address carry an unrevoked authorisation from this person. */
  authorized: z.boolean(),
  history: z.array(gateHistoryEntrySchema),
  /** R9: the person's own schedule request, when one is on file. */
  scheduleRequest: scheduleRequestSchema.optional(),
  /** R10: set when the message claims an exemption from R1–R6. */
  exemption: exemptionSchema.optional(),
  /** R13: the credit type of the obligation a field visit is about, when it is one that allows visits. */
  creditType: visitCreditTypeSchema.optional(),
  /** R13: the creditor explicitly allows field visits for this obligation. */
  visitAllowedFlag: z.boolean().optional(),
  /**
   * Time zone of a person who lives abroad. When set and not America/Bogota, the contact must also
   * fall inside the legal hours on the person's own clock and calendar day.
   */
  personTimeZone: timeZoneNameSchema.optional(),
  /**
   * Every time zone the person may be in, when there is more than one: a country that spans several
   * zones (United States, Mexico, Spain with the Canary Islands) or a foreign number of a person who
   * lives elsewhere. The contact must fall inside the legal hours in each of them, as well as in
   * `personTimeZone`. America/Bogota entries add nothing.
   */
  personTimeZones: z.array(timeZoneNameSchema).max(MAX_PERSON_TIME_ZONES).optional(),
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
  /** Findings that do not block: the last-dial margin before a window closes, an ignored R9 request, an accepted R10 exemption. */
  warnings: z.array(gateFindingSchema),
  /** Earliest instant (ISO, -05:00) at which the same contact would be allowed; null if never. */
  nextAllowedAt: isoInstantSchema.nullable(),
  rulePackVersion: z.string(),
  /** The instant the decision was evaluated for (the request's `at`). */
  evaluatedAt: isoInstantSchema,
});
export type GateDecision = z.infer<typeof gateDecisionSchema>;
