/**
 * Collections domain shapes shared by the workstation and the server.
 *
 * Amounts are integer COP centavos, so that sums stay exact; instants are ISO-8601 strings
 * with an offset; calendar dates are `YYYY-MM-DD` in America/Bogota.
 */
import { z } from 'zod';

export const CHANNELS = ['voice', 'sms', 'email', 'whatsapp'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

/**
 * Channels the contact rules cover: the dialable channels of the workstation plus letters and field
 * visits, which count as contacts too. This superset is kept apart from `CHANNELS` because the
 * screens and the dialer handle only the dialable ones.
 */
export const COMPLIANCE_CHANNELS = [...CHANNELS, 'letter', 'visit'] as const;
export const complianceChannelSchema = z.enum(COMPLIANCE_CHANNELS);
export type ComplianceChannel = z.infer<typeof complianceChannelSchema>;

export const PARTY_ROLES = ['debtor', 'co-obligor', 'reference'] as const;
export const partyRoleSchema = z.enum(PARTY_ROLES);
export type PartyRole = z.infer<typeof partyRoleSchema>;

/** Counting class of a contact under the daily and weekly limits. */
export const CONTACT_KINDS = ['attempt', 'two-way'] as const;
export const contactKindSchema = z.enum(CONTACT_KINDS);
export type ContactKind = z.infer<typeof contactKindSchema>;

export const DOC_TYPES = ['CC', 'CE', 'NIT', 'PA', 'TI'] as const;
export const docTypeSchema = z.enum(DOC_TYPES);
export type DocType = z.infer<typeof docTypeSchema>;

export const PRODUCTS = [
  'credit-card',
  'consumer-loan',
  'payroll-loan',
  'vehicle',
  'mortgage',
  'microcredit',
] as const;
export const productSchema = z.enum(PRODUCTS);
export type Product = z.infer<typeof productSchema>;

/**
 * The segments of the factory-default strategy (`resources/strategy.json`), which are also the
 * days-past-due bands of `segmentation.ts`. Segments are slugs chosen by the published strategy.
 */
export const SEGMENTS = ['preventiva', 'temprana', 'media', 'tardia', 'castigada'] as const;
export type DefaultSegment = (typeof SEGMENTS)[number];
export const segmentSchema = z.string().min(1).max(60).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
export type Segment = z.infer<typeof segmentSchema>;

export const isoInstantSchema = z.iso.datetime({ offset: true });
export const isoDateSchema = z.iso.date();

/** Debtor identity as creditors send it: document type plus number, e.g. `CC-1020304050`. */
export function debtorKey(docType: DocType, docNumber: string): string {
  return `${docType}-${docNumber}`;
}

export const authorizationSchema = z.object({
  /** Source of the consent, e.g. "contrato", "formulario web", "llamada grabada". */
  source: z.string().min(1).max(200),
  grantedOn: isoDateSchema,
  /** Reference to the evidence kept by the creditor (document id, recording id). */
  evidence: z.string().min(1).max(500),
  revokedAt: isoInstantSchema.nullable(),
});
export type Authorization = z.infer<typeof authorizationSchema>;

/**
 * IANA time zone names (`Europe/Madrid`), at most 64. The gate checks each name when it evaluates, so
 * that a zone the platform does not know blocks nothing silently: it fails the evaluation.
 */
export const timeZoneListSchema = z.array(z.string().min(1).max(100)).max(64);

/** ISO 3166-1 alpha-2 country code, upper case (`ES`, `US`). */
export const countryCodeSchema = z.string().regex(/^[A-Z]{2}$/);

export const contactPointSchema = z.object({
  id: z.string().min(1).max(100),
  personId: z.string().min(1).max(100),
  channel: channelSchema,
  /** E.164 for phones (`+573001234567`), lower-case address for e-mail. */
  address: z.string().min(1).max(320),
  /** null means no authorisation on file, which blocks every contact on this point. */
  authorization: authorizationSchema.nullable(),
  /** Reason the number was flagged (wrong party, dead number), shown to the agent before dialing. */
  flagged: z.string().max(200).nullable(),
  /** Country of a phone number given in international format with a code other than +57. */
  country: countryCodeSchema.nullable().optional(),
  /** Time zones of that country: a contact on this number must fall inside the legal hours in each. */
  timeZones: timeZoneListSchema.optional(),
});
export type ContactPoint = z.infer<typeof contactPointSchema>;

/**
 * R9: a schedule request as the creditor sent it. Its shape is the gate's `scheduleRequestSchema`
 * (repeated here because the gate's types import this module), plus when the server received it.
 */
export const personScheduleRequestSchema = z.object({
  /** ISO weekdays (1 = Monday … 7 = Sunday) and Bogotá hours `HH:MM`, the end exclusive and up to `24:00`. */
  window: z.array(z.object({ days: z.array(z.number().int().min(1).max(7)), from: z.string().max(5), to: z.string().max(5) })).max(20),
  requestedOn: isoDateSchema,
  contractSignedOn: isoDateSchema,
  evidence: z.string().max(500),
  consumerInitiated: z.boolean(),
  receivedAt: isoInstantSchema,
});
export type PersonScheduleRequest = z.infer<typeof personScheduleRequestSchema>;

export const personSchema = z.object({
  id: z.string().min(1).max(100),
  role: partyRoleSchema,
  docType: docTypeSchema.nullable(),
  docNumber: z.string().max(20).nullable(),
  fullName: z.string().min(1).max(200),
  /** For co-obligors: codeudor, avalista, deudor solidario. For references: the relation given. */
  relation: z.string().max(100).nullable(),
  /** Country of residence when the file gives one other than Colombia. */
  residenceCountry: countryCodeSchema.nullable().optional(),
  /**
   * Time zones where the person lives, when not Colombia: the file's explicit zone, or every zone of
   * the country of residence. Every contact with the person must fall inside the legal hours in each.
   */
  timeZones: timeZoneListSchema.optional(),
  /** R9: the person's current schedule request, valid or not; the gate decides whether it applies. */
  scheduleRequest: personScheduleRequestSchema.nullable().optional(),
});
export type Person = z.infer<typeof personSchema>;

/** Notices kept per obligation; the credit-report rule needs at most two. */
export const MAX_CREDIT_REPORT_NOTICES = 2;

/** Collection-fee terms of one obligation, as the creditor sends them. */
export const collectionFeeTermsSchema = z.object({
  /** Fee as a percentage of the amount collected, in the schedule given to the debtor (e.g. 10 or 12.5). */
  schedulePercent: z.number().min(0).max(100),
  /** The schedule was disclosed to the debtor. */
  disclosedToDebtor: z.boolean(),
  /** The obligation is in judicial collection (cobro judicial). */
  inLitigation: z.boolean(),
});
export type CollectionFeeTerms = z.infer<typeof collectionFeeTermsSchema>;

export const obligationSchema = z.object({
  id: z.string().min(1).max(100),
  creditor: z.string().min(1).max(200),
  number: z.string().min(1).max(50),
  product: productSchema,
  /** Outstanding balance in COP centavos. */
  balanceCents: z.number().int().nonnegative(),
  /** Overdue amount in COP centavos. */
  overdueCents: z.number().int().nonnegative(),
  /** Days past due of the oldest unpaid instalment; 0 or negative means not yet due. */
  daysPastDue: z.number().int(),
  dueDate: isoDateSchema.nullable(),
  writtenOff: z.boolean(),
  /**
   * Bogotá dates on which the creditor sent the debtor a prior notice of a negative credit-bureau
   * report. Absent in snapshots from servers that do not send the creditor's terms, which reads as
   * no notice.
   */
  creditReportNotices: z.array(isoDateSchema).max(MAX_CREDIT_REPORT_NOTICES).optional(),
  /** The creditor's collection-fee terms; null or absent when the creditor sent none, so no fee may be charged. */
  collectionFeeTerms: collectionFeeTermsSchema.nullable().optional(),
});
export type Obligation = z.infer<typeof obligationSchema>;

/** One debtor with everything the workstation needs to work them, as the change feed carries it. */
export const debtorSnapshotSchema = z.object({
  id: z.string().min(1).max(100),
  docType: docTypeSchema,
  docNumber: z.string().min(1).max(20),
  fullName: z.string().min(1).max(200),
  city: z.string().max(100).nullable(),
  segment: segmentSchema,
  /** Spanish name of the segment in the published strategy; absent from servers without strategies. */
  segmentName: z.string().min(1).max(60).optional(),
  /** Champion/challenger treatment of the debtor in the segment; null when the segment has no split. */
  treatmentId: z.string().min(1).max(60).nullable().optional(),
  /** Version of the strategy set that placed the debtor in the segment. */
  strategyVersion: z.string().min(1).max(40).optional(),
  /** When the debtor entered the segment: day 0 of the timeline's `assignment` anchor. */
  assignedAt: isoInstantSchema.optional(),
  /** Higher is worked first. */
  priority: z.number(),
  scriptId: z.string().min(1).max(100),
  /** Lease end: after this instant the workstation must drop the debtor. */
  leaseUntil: isoInstantSchema,
  obligations: z.array(obligationSchema).min(1),
  persons: z.array(personSchema).min(1),
  contactPoints: z.array(contactPointSchema),
});
export type DebtorSnapshot = z.infer<typeof debtorSnapshotSchema>;

/**
 * One contact or attempt counted toward the legal limits of a person. Letters and visits come only
 * from the server's channel dispatcher. A workstation built before they joined the ledger rejects
 * such an entry as invalid, so its feed stops there until the workstation is updated.
 */
export const ledgerEntrySchema = z.object({
  id: z.string().min(1).max(100),
  debtorId: z.string().min(1).max(100),
  personId: z.string().min(1).max(100),
  channel: complianceChannelSchema,
  kind: contactKindSchema,
  at: isoInstantSchema,
  /**
   * The strategy activity occurrence that a send of the server's channel dispatcher carried out, so
   * that the desk's plan shows it as done. It is absent from every other entry. It is also absent
   * when a send reaches a desk later, with the debtor's lease.
   */
  activity: z.object({ activityId: z.string().min(1).max(100), occurrenceDate: isoDateSchema }).optional(),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
