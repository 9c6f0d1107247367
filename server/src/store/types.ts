/**
 * The server's storage interface, implemented for SQLite and PostgreSQL by `SqlServerStore`.
 * Every method returns a promise, because PostgreSQL returns its results asynchronously.
 */
import type { Catalog } from '@gestiona/core/catalog';
import type { CatalogPublication, CatalogPublishInput, CatalogVersionRecord, CollectionHoldRecord, HoldLiftInput } from '../catalog/types.ts';
import type { ScriptPublication, ScriptPublishInput, ScriptVersionRecord } from '../scripts/types.ts';
import type { RulePack } from '@gestiona/core/compliance/types';
import type { DebtorSnapshot, DocType, LedgerEntry, Segment } from '@gestiona/core/domain';
import type { DecisionRecorded, InteractionRecorded, PromiseSnapshot, Role, SyncEvent, User } from '@gestiona/core/sync';
import type { BoardFacts, InstantRange } from '../board/board-queries.ts';
import type { ScheduleRequestFileInput, ScheduleRequestImportSummary, StoredScheduleRequest } from '../schedule-requests/types.ts';
import type { TermsFileInput, TermsImportSummary } from '../obligation-terms/import-terms.ts';
import type { PaymentsFileInput, PaymentsImportSummary } from '../payments/import-payments.ts';
import type { ReconcileSummary } from '../promises/reconcile.ts';
import type { PromiseStatusChange } from '../promises/promise-table.ts';
import type { AgentPromiseFigures } from '../promises/board-figures.ts';
import type { WorkstationState } from '../sync/workstation-state.ts';
import type { DebtorViewQuery, StoredDebtorView } from './debtor-views.ts';
import type { PurgedSessions, SessionOwner } from './session-chains.ts';
import type { SqlConnection } from './sql.ts';
import type { StrategyPreview, StrategyPublication, StrategyPublishInput, StrategyRecord, StrategyResultRow } from '../strategy/types.ts';
import type { Team, TeamSummary } from './teams.ts';
import type { Tables } from './tables.ts';
import type { WriteContext } from './write-context.ts';
import type { DisabledUser } from './users.ts';
import type { BoardDebtor, BoardReassignment } from '@gestiona/core/board';
import type { BoardDebtorQuery } from '../reassign/board-debtors.ts';
import type { BoardViewInput } from '../reassign/board-view.ts';
import type { ReassignmentInput, ReassignmentQuery } from '../reassign/reassign-operation.ts';

export type { DebtorViewQuery, StoredDebtorView } from './debtor-views.ts';
export type { PurgedSessions, SessionOwner } from './session-chains.ts';
export type { DisabledUser } from './users.ts';

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
  /** The team an agent joins or a team lead leads; default "General". Not allowed for an administrator. */
  team?: string;
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
  /** The login chain the session belongs to; absent for a session that cannot be renewed. */
  chainId?: string;
}

/** A login's chain, stored with its first session and renewal token. Token values are SHA-256 hex. */
export interface NewSessionChain {
  userId: string;
  workstationId: string;
  sessionTokenHash: string;
  sessionExpiresAt: Date;
  renewalTokenHash: string;
  renewalExpiresAt: Date;
  now: Date;
}

/** One renewal: the token presented and the session and renewal token that replace it. */
export interface SessionRenewal {
  renewalTokenHash: string;
  workstationId: string;
  nextSessionTokenHash: string;
  sessionExpiresAt: Date;
  nextRenewalTokenHash: string;
  renewalExpiresAt: Date;
  now: Date;
}

interface ChainIds {
  chainId: string;
  userId: string;
  workstationId: string;
}

/**
 * Outcome of a renewal. `reused` (a retired token presented again) and `wrong-workstation` (a token
 * presented by another workstation) revoked the token's whole chain in the same transaction.
 */
export type RenewalOutcome =
  | { status: 'renewed'; user: User; chainId: string }
  | { status: 'unknown' }
  | ({ status: 'expired' | 'revoked' | 'user-inactive' | 'reused' | 'wrong-workstation' } & ChainIds);

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
  /** Debtors of this file by segment of the strategy in force after the import, every segment listed. */
  bySegment: Record<string, number>;
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
  /**
   * When every workstation that may have held the debtor under this lease acknowledged its
   * removal; null while one has not. From then on another agent may receive the debtor.
   */
  releaseConfirmedAt: string | null;
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
  'unknown-code',
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface IngestContext {
  /** The authenticated user of the socket. */
  agentId: string;
  /** The workstation of the socket. */
  workstationId: string;
  receivedAt: Date;
}

/**
 * One item of a group ingested in one transaction (`ServerStore.ingestEvents`): an event to store,
 * or a pushed value that failed the event schema, kept aside as rejected in the group's order.
 */
export type IngestItem = { event: SyncEvent; context: IngestContext } | { invalid: RejectedEventInput & { code: 'invalid-event' } };

export interface GroupCommitLimits {
  /** Groups run at once: 1 with SQLite's single writer, more with a pool of PostgreSQL connections. */
  groupsAtOnce: number;
  /** Events per group (one transaction); a larger push batch is split into parts committed in order. */
  maxGroupEvents: number;
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
  entry: { type: 'catalog.set' | 'script.set' | 'rulepack.set' | 'strategy.set'; payload: unknown };
}

/** `resources`: the factory default in `resources/rule-pack.json`; `admin`: published by an administrator. */
export type RulePackSource = 'resources' | 'admin';

/** One publication of a rule pack, as the history keeps it. */
export interface RulePackRecord {
  id: number;
  version: string;
  pack: RulePack;
  /** SHA-256 (hex) of the `rulepack.set` feed entry that carried the pack. */
  sha256: string;
  source: RulePackSource;
  /** The administrator who published it; null for the resources file. */
  publishedBy: Pick<User, 'id' | 'username' | 'fullName'> | null;
  /** ISO instant (UTC) from which the pack is in force. */
  publishedAt: string;
  /** Reason for the publication, e.g. "Decreto de duelo nacional"; null when none was given. */
  reason: string | null;
  /** Seq of the feed entry that carried it. */
  changeSeq: number;
}

export interface RulePackPublishInput {
  /** The pack as received; `parseRulePack` validates it. */
  pack: unknown;
  reason?: string | null;
  /** Id of the administrator who publishes it. */
  publishedBy: string;
  now: Date;
}

export interface RulePackPublication {
  /** False when the pack is the one already in force, so nothing was written. */
  published: boolean;
  /** The pack in force after the call. */
  current: RulePackRecord;
  /** The pack in force before the call; null when there was none. */
  previous: RulePackRecord | null;
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

/** An alarm just committed, as the store hands it to its `onAlarmRaised` listeners. */
export interface RaisedAlarm {
  id: number;
  kind: AlarmKind;
  workstationId: string;
  /** The agent whose workstation or contact raised it; the hint goes to the leads of their team. */
  agentId: string;
}

export interface AlarmQuery {
  /** Only alarms created at or after this instant. */
  since?: Date;
  kind?: AlarmKind;
  /** Only alarms about this debtor. */
  debtorId?: string;
  /** Only alarms of the agents in the teams that this team lead (user id) leads. */
  ledBy?: string;
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
  /** Calls the listener after each commit that inserted alarms, with those alarms. Returns the unsubscribe function. */
  onAlarmRaised(listener: (alarms: readonly RaisedAlarm[]) => void): () => void;

  createUser(input: NewUser, now?: Date): Promise<User>;
  findCredentials(username: string): Promise<UserCredentials | null>;
  getUser(userId: string): Promise<User | null>;
  findUserByUsername(username: string): Promise<User | null>;
  listUsers(): Promise<User[]>;
  createSession(session: NewSession): Promise<void>;
  /** A live session: not expired, of an active user, and in no revoked chain. */
  findSession(tokenHash: string, now: Date): Promise<LiveSession | null>;
  /** Opens a login's chain with its first session and renewal token in one transaction; returns the chain id. */
  openSessionChain(input: NewSessionChain): Promise<string>;
  /** Retires the presented renewal token and issues the next session and renewal token, in one transaction. */
  renewSession(input: SessionRenewal): Promise<RenewalOutcome>;
  /** Deletes sessions and renewal tokens that expired more than `EXPIRED_SESSION_RETENTION_MS` before `now`, and chains left empty. */
  purgeExpiredSessions(now: Date): Promise<PurgedSessions>;
  /** Revokes the chain of the session (or expires a session without one); null when no session has that hash. */
  revokeSession(tokenHash: string, now: Date): Promise<SessionOwner | null>;
  /** Enables or disables a login; a disabled user can neither log in nor renew. Returns false for an unknown username. */
  setUserActive(username: string, active: boolean): Promise<boolean>;
  /** Disables a login and, in the same transaction, ends its live sessions and revokes its renewal chains; null for an unknown username. */
  disableUser(username: string, now: Date): Promise<DisabledUser | null>;

  /** Validates and stores a whole file in one transaction; throws `PortfolioImportError` with every problem and stores nothing. */
  importPortfolio(input: PortfolioFileInput): Promise<ImportSummary>;
  /** R9 schedule requests of debtors and co-obligors already imported; all-or-nothing like a portfolio. */
  importScheduleRequests(input: ScheduleRequestFileInput): Promise<ScheduleRequestImportSummary>;
  /** Every schedule request received for the person, oldest first. */
  listScheduleRequests(docType: DocType, docNumber: string): Promise<StoredScheduleRequest[]>;
  listImports(): Promise<ImportRecord[]>;
  /** Validates an obligation-terms file (R14 notices, R15 fee terms) and stores it in one transaction; throws `PortfolioImportError` with every problem and stores nothing. */
  importObligationTerms(input: TermsFileInput): Promise<TermsImportSummary>;
  /** Validates a creditor's payments file, stores its new payments and reconciles them with the promises in one transaction; throws `PortfolioImportError` with every problem and stores nothing. */
  importPayments(input: PaymentsFileInput): Promise<PaymentsImportSummary>;
  /** Judges the promises whose grace days ended without full payment, as of `now`. */
  sweepPromises(now: Date): Promise<ReconcileSummary>;
  /** The debtor's promises and agreements with their current status, oldest first. */
  debtorPromises(debtorId: string): Promise<PromiseSnapshot[]>;
  /** Every status change of one promise, oldest first. */
  promiseHistory(promiseId: string): Promise<PromiseStatusChange[]>;
  /** Promise instalments due and promises broken on a Bogotá day (`YYYY-MM-DD`), per agent. */
  promiseBoardFigures(day: string): Promise<AgentPromiseFigures[]>;
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

  /**
   * Writes a feed entry for each item whose content changed since it was last published. The rule
   * pack goes through the rule-pack history, and is skipped once an administrator has published one.
   */
  publishContent(items: readonly PublishedContent[], now: Date): Promise<string[]>;
  pullFeed(agentId: string, after: number, limit: number): Promise<FeedPage>;
  /**
   * Validates a rule pack (every invalid field named in Spanish, calendar dates checked) and publishes
   * it for an active administrator: history row, `rulepack.set` feed entry and `published_content`
   * in one transaction, then a hint to every feed. Throws `AppError` (`invalid-input`, `forbidden`,
   * or `conflict` when the version was published before with other content).
   */
  publishRulePack(input: RulePackPublishInput): Promise<RulePackPublication>;
  /** Published rule packs, newest first; at most `limit` of them when given. */
  listRulePacks(limit?: number): Promise<RulePackRecord[]>;
  /**
   * Publishes a strategy set for an administrator (server/src/strategy): validates it, re-segments
   * every debtor and writes the history, the `strategy.set` entry and the changed snapshots in one
   * transaction. `conflict` for a version reused with other content.
   */
  publishStrategy(input: StrategyPublishInput): Promise<StrategyPublication>;
  /** Debtors that would move from each segment to each other under a set, without storing anything. */
  previewStrategy(strategy: unknown, now: Date): Promise<StrategyPreview>;
  /** Published strategy sets, newest first. */
  listStrategies(limit?: number): Promise<StrategyRecord[]>;
  /** Per segment and treatment: debtors, contacts, right-party contacts, promises and amount promised. */
  strategyResults(): Promise<StrategyResultRow[]>;
  /** Validates and publishes a typification catalog for an administrator (history, `catalog.set` feed entry, one transaction). */
  publishCatalog(input: CatalogPublishInput): Promise<CatalogPublication>;
  /** Published catalogs, newest first. */
  listCatalogVersions(limit?: number): Promise<CatalogVersionRecord[]>;
  /**
   * Validates a call script (schema and `checkScript`; `ScriptRejected` names each step and text)
   * and publishes it for an active administrator: history row, `script.set` feed entry and
   * `published_content` in one transaction, then a hint to every feed. `conflict` for a version
   * reused with other content.
   */
  publishScript(input: ScriptPublishInput): Promise<ScriptPublication>;
  /** The version in force of every published script, by script id. */
  listScripts(): Promise<ScriptVersionRecord[]>;
  /** One script's publications, newest first. */
  scriptHistory(scriptId: string): Promise<ScriptVersionRecord[]>;
  /** A given published version of a script, or null. */
  scriptVersion(scriptId: string, version: string): Promise<ScriptVersionRecord | null>;
  /** Collection holds in force, or one debtor's whole hold history. */
  listCollectionHolds(query?: { debtorId?: string }): Promise<CollectionHoldRecord[]>;
  /** Lifts a debtor's holds for a team lead or an administrator and tells the lease holder's desk. */
  liftCollectionHolds(input: HoldLiftInput): Promise<CollectionHoldRecord[]>;
  /** The last feed seq of a catalog or hold entry, for the watch that hints sockets after a command-line change. */
  catalogFeedHead(): Promise<number>;
  countChanges(): Promise<number>;

  /** Stores one event and its projections exactly once, or keeps it aside as rejected. */
  ingestEvent(event: SyncEvent, context: IngestContext): Promise<IngestOutcome>;
  /**
   * Ingests the events in order in one transaction, as `ingestEvent` would one after another,
   * and commits once (group commit). Any error rolls back the whole group, so no outcome holds.
   */
  ingestEvents(items: readonly IngestItem[]): Promise<IngestOutcome[]>;
  /** How the socket server's group commit uses `ingestEvents` on this store. */
  readonly groupCommit: GroupCommitLimits;
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
  /** Stored views of a debtor's file, oldest first. */
  findDebtorViews(query: DebtorViewQuery): Promise<StoredDebtorView[]>;
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
  /**
   * Stores the workstation's latest report and, in the same transaction, raises the alarms it reveals:
   * a decision chain head behind or unlike the links the server stored, or a new clock jump.
   * `agentId` is the user of the socket that sent the report.
   */
  recordWorkstationState(workstationId: string, state: WorkstationState, now: Date, agentId: string): Promise<void>;
  listWorkstations(): Promise<WorkstationRecord[]>;

  /**
   * Reads the team lead's board facts for one day in one snapshot; `promiseCodes` are the codes that
   * create a promise. With `ledBy` (a team lead's user id) every fact covers only the agents of the
   * teams that user leads; without it, every agent.
   */
  readBoardFacts(day: InstantRange, promiseCodes: readonly string[], now: Date, ledBy?: string): Promise<BoardFacts>;
  /** Runs a read of the live board (`server/src/board`: trends, drill-down) in one snapshot. */
  readBoardView<T>(read: (sql: SqlConnection) => Promise<T>): Promise<T>;
  /** Runs a write of the live board (`server/src/board`: the desk state changes it keeps) in one transaction. */
  writeBoardView<T>(write: (sql: SqlConnection) => Promise<T>): Promise<T>;
  /**
   * Runs a step of the channel dispatcher (`server/src/channels`) in one transaction. The agents whose
   * feeds it appended to get a hint after the commit, as with every other write.
   */
  writeChannels<T>(work: (tables: Tables, context: WriteContext) => Promise<T>): Promise<T>;

  /** Creates a team; `conflict` when the name is taken. */
  createTeam(name: string, now?: Date): Promise<Team>;
  listTeams(): Promise<TeamSummary[]>;
  /** Moves an agent into a team; `not-found` for an unknown user or team, `invalid-input` for another role. */
  assignAgentToTeam(username: string, teamName: string): Promise<{ user: User; team: Team }>;
  /** Makes a team lead lead one more team; errors as for `assignAgentToTeam`. */
  addTeamLead(username: string, teamName: string): Promise<{ user: User; team: Team }>;
  /** Ends a team lead's lead of one team; `not-found` when they did not lead it. */
  removeTeamLead(username: string, teamName: string): Promise<{ user: User; team: Team }>;
  teamIdsLedBy(userId: string): Promise<string[]>;
  teamIdsOfAgents(agentIds: readonly string[]): Promise<string[]>;
  /** Returns whether the alarm was raised for an agent of a team that the user leads. */
  isAlarmLedBy(alarmId: number, leadId: string): Promise<boolean>;
  /** Returns whether the debtor is or was leased to an agent of a team that the user leads. */
  isDebtorLedBy(debtorId: string, leadId: string): Promise<boolean>;

  /**
   * Reassigns debtors to an agent from the board, all or none: closes each current lease and grants
   * the agent one that waits for its handover (`reassign/reassign-operation.ts`). Throws `AppError`
   * (`not-found`, `conflict`, `invalid-input`) naming the debtor or agent. Returns the new reassignment ids.
   */
  requestReassignments(input: ReassignmentInput): Promise<number[]>;
  /** Reassignments requested from the board, newest first, each with its state at `now`. */
  listReassignments(query: ReassignmentQuery, now: Date): Promise<BoardReassignment[]>;
  /** Debtors for the board's reassignment form, by name. */
  searchBoardDebtors(query: BoardDebtorQuery): Promise<BoardDebtor[]>;
  /** Stores a view of a debtor's timeline from the board as a `debtor.viewed` event of the viewer. */
  recordBoardView(input: BoardViewInput): Promise<void>;
  /** The ids of the agents in the teams that the team lead (user id) leads. */
  ledAgentIds(leadId: string): Promise<string[]>;
}
