/**
 * The server's storage interface, implemented for SQLite and PostgreSQL by `SqlServerStore`.
 * Every method returns a promise, because PostgreSQL returns its results asynchronously.
 */
import type { Catalog } from '@gestiona/core/catalog';
import type { RulePack } from '@gestiona/core/compliance/types';
import type { DebtorSnapshot, LedgerEntry, Segment } from '@gestiona/core/domain';
import type { DecisionRecorded, InteractionRecorded, Role, SyncEvent, User } from '@gestiona/core/sync';
import type { BoardFacts, InstantRange } from '../board/board-queries.ts';
import type { WorkstationState } from '../sync/workstation-state.ts';

/** Feeds that received new entries: those of these agents, or every feed when `global` is set. */
export interface FeedHint {
  agentIds: readonly string[];
  global: boolean;
}

export interface NewUser {
  username: string;
  fullName: string;
  role: Role;
  /** Plain password; only its scrypt hash is stored. */
  password: string;
}

export interface UserCredentials {
  user: User;
  passwordHash: string;
  active: boolean;
}

export interface NewSession {
  tokenHash: string;
  userId: string;
  workstationId: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface LiveSession {
  user: User;
  workstationId: string;
  /** ISO instant. */
  expiresAt: string;
}

export interface PortfolioFileInput {
  fileName: string;
  bytes: Uint8Array;
  /** Creditor for rows without `entidad`. */
  creditor?: string | null;
  /** Importer of the file (a username, or `cli:<os user>`). */
  importedBy?: string | null;
  now: Date;
}

export interface ImportSummary {
  importId: number;
  fileName: string;
  sha256: string;
  encoding: 'utf-8' | 'windows-1252' | 'xlsx';
  rows: number;
  debtors: number;
  debtorsCreated: number;
  obligations: number;
  obligationsCreated: number;
  /** Debtors of this file by segment after the import. */
  bySegment: Record<Segment, number>;
}

export interface ImportRecord {
  id: number;
  fileName: string;
  sha256: string;
  debtors: number;
  obligations: number;
  importedBy: string | null;
  importedAt: string;
}

export type LeaseReleaseReason = 'released' | 'expired' | 'renewed' | 'reassigned';

export interface LeaseRecord {
  id: number;
  debtorId: string;
  agentId: string;
  /** ISO instants (UTC). */
  grantedAt: string;
  expiresAt: string;
  releasedAt: string | null;
  releaseReason: LeaseReleaseReason | null;
}

export interface LeaseRunSummary {
  granted: number;
  expired: number;
  /** Open leases per agent id after the run. */
  perAgent: Record<string, number>;
}

export type IngestOutcome = { status: 'stored' } | { status: 'duplicate' } | { status: 'rejected'; code: RejectionCode; reason: string };

export const REJECTION_CODES = [
  'invalid-event',
  'wrong-agent',
  'wrong-workstation',
  'unknown-debtor',
  'unknown-person',
  'not-leased',
  'id-conflict',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface IngestContext {
  /** The authenticated user of the socket. */
  agentId: string;
  /** The workstation of the socket. */
  workstationId: string;
  receivedAt: Date;
}

export interface RejectedEventInput {
  eventId: string | null;
  agentId: string;
  workstationId: string;
  code: RejectionCode;
  reason: string;
  raw: unknown;
  receivedAt: Date;
}

export interface RejectedEventRecord {
  id: number;
  eventId: string | null;
  agentId: string;
  workstationId: string;
  code: RejectionCode;
  reason: string;
  raw: string;
  receivedAt: string;
}

export interface PublishedContent {
  /** `catalog`, `rulepack` or `script:<id>`. */
  key: string;
  version: string;
  entry: { type: 'catalog.set' | 'script.set' | 'rulepack.set'; payload: unknown };
}

export interface FeedPage {
  entries: { seq: number; type: string; payload: unknown }[];
  cursor: number;
  hasMore: boolean;
}

export interface WorkstationRecord {
  id: string;
  agentId: string;
  /** Whether any running server node has a socket of this workstation open. */
  connected: boolean;
  lastSeenAt: string;
  state: WorkstationState | null;
  stateReportedAt: string | null;
}

export const ALARM_KINDS = ['chain-gap', 'chain-broken', 'chain-edited', 'violation', 'clock'] as const;
/**
 * `chain-gap`: decisions missing from a workstation's chain. `chain-broken`: a link that does not
 * point to the previous decision, a replayed or late index, or an unchained decision after chained
 * ones. `chain-edited`: a decision whose hash does not match its content. `violation`: the server's
 * re-evaluation blocks a contact that the workstation went ahead with. `clock`: the workstation's
 * clock could not be trusted.
 */
export type AlarmKind = (typeof ALARM_KINDS)[number];

export interface NewAlarm {
  kind: AlarmKind;
  workstationId: string;
  agentId: string;
  debtorId: string | null;
  eventId: string | null;
  decisionId: string | null;
  /** Machine-readable facts behind the alarm (chain indexes, rule ids), stored as JSON. */
  detail: Record<string, unknown>;
  /** Spanish (es-CO) text for the team lead. */
  message: string;
  createdAt: Date;
}

export interface AlarmRecord {
  id: number;
  kind: AlarmKind;
  workstationId: string;
  agentId: string;
  debtorId: string | null;
  eventId: string | null;
  decisionId: string | null;
  detail: Record<string, unknown>;
  message: string;
  /** ISO instants (UTC). */
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export interface AlarmQuery {
  /** Only alarms created at or after this instant. */
  since?: Date;
  kind?: AlarmKind;
  /** Only alarms about this debtor. */
  debtorId?: string;
  /** Maximum number of alarms returned, newest first. */
  limit: number;
}

/** The chain link of one stored decision, as the server received it. */
export interface StoredDecisionLink {
  eventId: string;
  workstationId: string;
  workstationSeq: number;
  decisionId: string;
  index: number;
  prevHash: string;
  hash: string;
  receivedAt: string;
}

export interface StoredDecision {
  eventId: string;
  workstationId: string;
  agentId: string;
  payload: DecisionRecorded;
}

export interface StoredInteraction {
  eventId: string;
  workstationId: string;
  agentId: string;
  payload: InteractionRecorded;
}

export interface ServerStore {
  readonly path: string;
  /** Lease length given to every grant and renewal, in milliseconds. */
  readonly leaseDurationMs: number;
  close(): Promise<void>;
  schemaVersion(): Promise<number>;
  /** Calls the listener after each commit that wrote feed entries. Returns the unsubscribe function. */
  onFeedChange(listener: (hint: FeedHint) => void): () => void;

  createUser(input: NewUser, now?: Date): Promise<User>;
  findCredentials(username: string): Promise<UserCredentials | null>;
  getUser(userId: string): Promise<User | null>;
  findUserByUsername(username: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  createSession(session: NewSession): Promise<void>;
  findSession(tokenHash: string, now: Date): Promise<LiveSession | null>;

  /** Validates and stores a whole file in one transaction; throws `PortfolioImportError` with every problem and stores nothing. */
  importPortfolio(input: PortfolioFileInput): Promise<ImportSummary>;
  listImports(): Promise<ImportRecord[]>;
  countDebtors(): Promise<number>;
  countObligations(): Promise<number>;
  countDebtorsBySegment(): Promise<Record<Segment, number>>;
  /** The debtor as the feed carries it, with the given lease end. */
  getDebtorSnapshot(debtorId: string, leaseUntil: Date): Promise<DebtorSnapshot | null>;

  /** Expires due leases, then leases every unleased debtor, balancing by count across active agents. */
  leaseUnassigned(now: Date): Promise<LeaseRunSummary>;
  grantLease(debtorId: string, agentId: string, now: Date): Promise<LeaseRecord>;
  releaseLease(debtorId: string, now: Date, reason?: 'released' | 'reassigned'): Promise<LeaseRecord | null>;
  reassignDebtor(debtorId: string, agentId: string, now: Date): Promise<LeaseRecord>;
  expireLeases(now: Date): Promise<number>;
  /** Renews the agent's leases that have less than half their length left. */
  renewLeases(agentId: string, now: Date): Promise<number>;
  activeLease(debtorId: string, now: Date): Promise<LeaseRecord | null>;
  leaseHistory(debtorId: string): Promise<LeaseRecord[]>;
  listActiveLeases(now: Date, agentId?: string): Promise<LeaseRecord[]>;

  /** Writes a feed entry for each item whose content changed since it was last published. */
  publishContent(items: readonly PublishedContent[], now: Date): Promise<string[]>;
  pullFeed(agentId: string, after: number, limit: number): Promise<FeedPage>;
  countChanges(): Promise<number>;

  /** Stores one event and its projections exactly once, or keeps it aside as rejected. */
  ingestEvent(event: SyncEvent, context: IngestContext): Promise<IngestOutcome>;
  rejectEvent(input: RejectedEventInput): Promise<void>;
  countEvents(): Promise<number>;
  countRejectedEvents(): Promise<number>;
  listRejectedEvents(): Promise<RejectedEventRecord[]>;
  findInteractions(debtorId: string): Promise<InteractionRecorded[]>;
  findLedger(debtorId: string): Promise<LedgerEntry[]>;
  /** Stored `decision.recorded` payloads of a debtor, oldest first, with the event that carried each. */
  findDecisions(debtorId: string): Promise<StoredDecision[]>;
  /** Stored interactions of a debtor, by dial time, with the event that carried each. */
  findInteractionEvents(debtorId: string): Promise<StoredInteraction[]>;
  /** Every decision a workstation sent, about any debtor, in its seq order: the input of its chain verification. */
  findWorkstationDecisions(workstationId: string): Promise<StoredDecision[]>;
  /** The rule pack and typification catalog last published to the workstations, each null before the first publication. */
  currentContent(): Promise<{ rulePack: RulePack | null; catalog: Catalog | null }>;
  /** The person's contacts from every workstation up to `until`, without the given ledger ids. */
  findPersonLedger(personId: string, until: Date, excludedIds: readonly string[]): Promise<LedgerEntry[]>;

  /** Alarms newest first. */
  listAlarms(query: AlarmQuery): Promise<AlarmRecord[]>;
  /** Marks an alarm as seen by a user; returns null when no alarm has that id. Acknowledging twice keeps the first. */
  acknowledgeAlarm(id: number, by: string, now?: Date): Promise<AlarmRecord | null>;
  /** The stored chain links of a workstation, in chain index order. */
  listDecisionLinks(workstationId: string): Promise<StoredDecisionLink[]>;

  /** Identifies this store's server node in the socket counts; random for each open store. */
  readonly nodeId: string;
  /**
   * Records that this node is running and drops the socket counts of nodes that stopped
   * reporting (with SQLite, of every other node). The server calls it at start and every minute.
   */
  recordNodeAlive(now: Date): Promise<void>;
  /** Drops this node's socket counts; the server calls it when it stops. */
  removeNode(): Promise<void>;
  /** Counts one more socket of the workstation on this node. */
  workstationConnected(workstationId: string, agentId: string, now: Date): Promise<void>;
  workstationDisconnected(workstationId: string, now: Date): Promise<void>;
  recordWorkstationState(workstationId: string, state: WorkstationState, now: Date): Promise<void>;
  listWorkstations(): Promise<WorkstationRecord[]>;

  /** Reads the team lead's board facts for one day in one snapshot; `promiseCodes` are the codes that create a promise. */
  readBoardFacts(day: InstantRange, promiseCodes: readonly string[], now: Date): Promise<BoardFacts>;
}
