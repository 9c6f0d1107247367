/**
 * The compliance evidence of one debtor, as exported for a complaint before the SFC or the SIC.
 * Instants are ISO-8601 in Bogotá time (`-05:00`), each with its `dd/mm/aaaa HH:mm` text.
 */
import type { GateFinding, RuleId } from '@gestiona/core/compliance/types';
import type { Channel, ContactKind, DocType, PartyRole, Product, Segment } from '@gestiona/core/domain';
import type { ChainProblemKind } from '@gestiona/core/evidence-chain';
import type { AlarmKind } from '../store/types.ts';
import type { EvidenceScriptPath } from '../scripts/script-path-evidence.ts';

export interface EvidenceInstant {
  /** ISO-8601 with the Bogotá offset. */
  iso: string;
  /** `dd/mm/aaaa HH:mm`, Bogotá. */
  text: string;
}

export interface EvidenceDecision {
  allowed: boolean;
  rules: RuleId[];
  reasons: GateFinding[];
  rulePackVersion: string;
  evaluatedAt: EvidenceInstant;
}

export interface EvidenceWorkstationDecision extends EvidenceDecision {
  decisionId: string;
  eventId: string;
  workstationId: string;
  agentId: string;
  agentName: string;
  personName: string;
  contactPointId: string;
  channel: Channel;
  channelLabel: string;
  /** The workstation's trusted time and its own clock when it decided. */
  trustedAt: EvidenceInstant;
  localAt: EvidenceInstant;
  clockOffsetMs: number;
  /** The decision's chain index, or null for a decision sent without a chain link. */
  chainIndex: number | null;
}

export interface EvidenceContact {
  interactionId: string;
  eventId: string;
  channel: Channel;
  channelLabel: string;
  dialedAt: EvidenceInstant;
  typifiedAt: EvidenceInstant;
  agentId: string;
  agentName: string;
  workstationId: string;
  personId: string;
  personName: string;
  personRole: PartyRole;
  contactPointId: string;
  code: string;
  /** The code's label in the current catalog, or the code itself when the catalog no longer has it. */
  codeLabel: string;
  kind: ContactKind;
  /** When the agent confirmed the right party before discussing the debt (R12); null when not recorded. */
  identityConfirmedAt: EvidenceInstant | null;
  /** The agent's note, as text. */
  note: string | null;
  /** The script path the agent walked in this contact, checked by the workstation against the script; absent when none was walked. */
  scriptPath?: EvidenceScriptPath;
  /** The workstation's gate decision for this contact, or null when the server never received it. */
  workstationDecision: EvidenceWorkstationDecision | null;
  /**
   * The server's own evaluation with the fleet-wide ledger, under the rule pack and the schedule
   * request in force at the contact's instant; null before any rule pack was published.
   */
  serverDecision: EvidenceDecision | null;
}

export interface EvidenceAuthorization {
  contactPointId: string;
  personName: string;
  personRole: PartyRole;
  channel: Channel;
  channelLabel: string;
  address: string;
  /** Null when no authorisation is on file, which blocks every contact on that point. */
  source: string | null;
  grantedOn: string | null;
  evidence: string | null;
  revokedAt: EvidenceInstant | null;
  flagged: string | null;
}

export interface EvidenceAlarm {
  id: number;
  kind: AlarmKind;
  kindLabel: string;
  workstationId: string;
  agentId: string;
  eventId: string | null;
  message: string;
  detail: Record<string, unknown>;
  createdAt: EvidenceInstant;
  acknowledgedAt: EvidenceInstant | null;
  acknowledgedBy: string | null;
}

export interface EvidenceChain {
  workstationId: string;
  /** Number of chained decisions the server stored from this workstation, about any debtor. */
  chainedDecisions: number;
  /** Decisions of this workstation stored without a chain link. */
  unchainedDecisions: number;
  ok: boolean;
  headIndex: number | null;
  problem: { kind: ChainProblemKind; index: number; message: string } | null;
}

/** One obligation's prior notices of a credit-bureau report (R14) and collection-fee terms (R15). */
export interface EvidenceObligationTerms {
  creditor: string;
  number: string;
  /** Bogotá dates (`YYYY-MM-DD`) of the notices sent, oldest first. */
  notices: string[];
  /** The notices as `dd/mm/aaaa`, or "Ninguno". */
  noticesText: string;
  /** R14 at export time; null before any rule pack was published, because the minimum wage comes from it. */
  creditReport: {
    requiredNotices: 1 | 2;
    allowed: boolean;
    /** First Bogotá date (`YYYY-MM-DD`) on which the report is or was allowed; null while notices are missing. */
    allowedFrom: string | null;
    text: string;
  } | null;
  /** The creditor's fee terms and R15 at export time; null when the creditor sent none. */
  collectionFee: {
    schedulePercent: number;
    disclosedToDebtor: boolean;
    inLitigation: boolean;
    allowed: boolean;
    text: string;
  } | null;
}

/** A collection fee an agent recorded in a typification. */
export interface EvidenceCollectionFee {
  interactionId: string;
  code: string;
  /** ISO instant of the dial. */
  dialedAt: string;
  feeCents: number;
  feeText: string;
}

/** One view of the debtor's file on a workstation (Ley 1581 accountability). */
export interface EvidenceFileView {
  eventId: string;
  viewedAt: EvidenceInstant;
  agentId: string;
  agentName: string;
  workstationId: string;
  /** Whether the agent held the debtor's lease at that instant; a view without one also raised an alarm. */
  leased: boolean;
  /** The workstation's reason for a view outside the lease, as Spanish text; null when none was sent. */
  reasonText: string | null;
  localAt: EvidenceInstant;
  clockOffsetMs: number;
}

export interface DebtorEvidence {
  exportedAt: EvidenceInstant;
  /** Version of the rule pack in force at export time, or null before any was published. Each contact names the version it was re-evaluated under. */
  rulePackVersion: string | null;
  debtor: {
    id: string;
    docType: DocType;
    docNumber: string;
    fullName: string;
    city: string | null;
    segment: Segment;
    obligations: {
      creditor: string;
      number: string;
      product: Product;
      productLabel: string;
      balanceCents: number;
      balanceText: string;
      overdueCents: number;
      overdueText: string;
      daysPastDue: number;
    }[];
    persons: { id: string; fullName: string; role: PartyRole; roleLabel: string; relation: string | null }[];
  };
  contacts: EvidenceContact[];
  /** Decisions with no stored contact: blocked attempts, and allowed ones whose interaction never arrived. */
  attemptsWithoutContact: EvidenceWorkstationDecision[];
  authorizations: EvidenceAuthorization[];
  /** Avisos de reporte y gastos de cobranza. */
  obligationTerms: EvidenceObligationTerms[];
  collectionFees: EvidenceCollectionFee[];
  alarms: EvidenceAlarm[];
  chains: EvidenceChain[];
  /** Consultas del expediente: every stored view of the debtor's file, oldest first. */
  fileViews: EvidenceFileView[];
}
