/**
 * The compliance evidence of one debtor, as exported for a complaint before the SFC or the SIC.
 * Instants are ISO-8601 in Bogotá time (`-05:00`), each with its `dd/mm/aaaa HH:mm` text.
 */
import type { GateFinding, RuleId } from '@gestiona/core/compliance/types';
import type { Channel, ContactKind, DocType, PartyRole, Product, Segment } from '@gestiona/core/domain';
import type { ChainProblemKind } from '@gestiona/core/evidence-chain';
import type { AlarmKind } from '../store/types.ts';

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
  /** The agent's note, as text. */
  note: string | null;
  /** The workstation's gate decision for this contact, or null when the server never received it. */
  workstationDecision: EvidenceWorkstationDecision | null;
  /** The server's own evaluation, with its current rule pack and the fleet-wide ledger; null before any rule pack was published. */
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

export interface DebtorEvidence {
  exportedAt: EvidenceInstant;
  /** Version of the rule pack the server's re-evaluation used, or null before any was published. */
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
  alarms: EvidenceAlarm[];
  chains: EvidenceChain[];
}
