/**
 * `ServerStore` on top of a `StoreDriver`: the same validation, queries and operations for SQLite
 * and PostgreSQL. Every write runs in one transaction with the feed entries it produces, and feed
 * hints go out only after the commit.
 */
import type { Catalog } from '@gestiona/core/catalog';
import type { RulePack } from '@gestiona/core/compliance/types';
import { bogotaDate } from '@gestiona/core/format';
import { createHash, randomUUID } from 'node:crypto';
import { SEGMENTS, type DebtorSnapshot, type DocType, type LedgerEntry, type Segment } from '@gestiona/core/domain';
import { AppError } from '@gestiona/core/result';
import { roleSchema, type InteractionRecorded, type SyncEvent, type User } from '@gestiona/core/sync';
import { hashPassword } from '../auth/password.ts';
import { readBoardFacts, type BoardFacts, type InstantRange } from '../board/board-queries.ts';
import { buildPortfolio } from '../import/build-portfolio.ts';
import { PortfolioImportError } from '../import/problems.ts';
import { buildScheduleRequests } from '../schedule-requests/build-file.ts';
import { saveScheduleRequests } from '../schedule-requests/save.ts';
import type { ScheduleRequestFileInput, ScheduleRequestImportSummary, StoredScheduleRequest } from '../schedule-requests/types.ts';
import { saveObligationTerms, type TermsFileInput, type TermsImportSummary } from '../obligation-terms/import-terms.ts';
import { buildObligationTerms } from '../obligation-terms/parse-terms.ts';
import type { Logger } from '../logger.ts';
import type { WorkstationState } from '../sync/workstation-state.ts';
import { ingestEvent } from './ingest-operation.ts';
import { savePortfolio } from './import-operation.ts';
import * as leaseOperations from './lease-operations.ts';
import * as sessionOperations from './session-operations.ts';
import * as teamOperations from './team-operations.ts';
import { checkReportedState } from './reported-state-check.ts';
import { normalizeReason, publishAdminRulePack, publishResourceRulePack, RULE_PACK_CONTENT_KEY, validateRulePack, type ResourcePackOutcome } from './rule-pack-operation.ts';
import type { SqlConnection, StoreDriver } from './sql.ts';
import { bindTables, type Tables } from './tables.ts';
import type { Team, TeamSummary } from './teams.ts';
import type {
  AlarmQuery,
  AlarmRecord,
  DisabledUser,
  FeedHint,
  FeedPage,
  ImportRecord,
  ImportSummary,
  IngestContext,
  IngestOutcome,
  LeaseRecord,
  LeaseRunSummary,
  LiveSession,
  NewSession,
  NewSessionChain,
  NewUser,
  PortfolioFileInput,
  PublishedContent,
  RulePackPublication,
  RulePackPublishInput,
  RulePackRecord,
  RaisedAlarm,
  RejectedEventInput,
  RejectedEventRecord,
  RenewalOutcome,
  ServerStore,
  SessionOwner,
  SessionRenewal,
  StoredDebtorView,
  DebtorViewQuery,
  StoredDecision,
  StoredDecisionLink,
  StoredInteraction,
  UserCredentials,
  WorkstationRecord,
} from './types.ts';
import { WriteContext } from './write-context.ts';

export const DEFAULT_LEASE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** How often a running server calls `recordNodeAlive`. */
export const NODE_REPORT_INTERVAL_MS = 60_000;

/** A node silent for this long has stopped without closing (a crash or a kill), so its socket counts are dropped. */
const NODE_SILENCE_LIMIT_MS = 3 * NODE_REPORT_INTERVAL_MS;

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,49}$/;
const MIN_PASSWORD_LENGTH = 8;

/** Converts the `leaseDays` option to milliseconds, rejecting a length that is not positive. */
export function leaseDurationMs(leaseDays: number = DEFAULT_LEASE_DAYS): number {
  if (!(leaseDays > 0)) throw new Error(`leaseDays must be positive, got ${leaseDays}`);
  return leaseDays * DAY_MS;
}

export class SqlServerStore implements ServerStore {
  readonly nodeId = randomUUID();
  private readonly listeners = new Set<(hint: FeedHint) => void>();
  private readonly alarmListeners = new Set<(alarms: readonly RaisedAlarm[]) => void>();

  constructor(
    private readonly driver: StoreDriver,
    readonly leaseDurationMs: number,
    private readonly logger: Logger,
  ) {}

  get path(): string {
    return this.driver.location;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.alarmListeners.clear();
    await this.driver.close();
  }

  schemaVersion(): Promise<number> {
    return this.driver.schemaVersion();
  }

  onFeedChange(listener: (hint: FeedHint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onAlarmRaised(listener: (alarms: readonly RaisedAlarm[]) => void): () => void {
    this.alarmListeners.add(listener);
    return () => this.alarmListeners.delete(listener);
  }

  /** Runs one statement-level read or write with the tables bound to a plain connection. */
  private connect<T>(work: (tables: Tables) => Promise<T>): Promise<T> {
    return this.driver.connect((sql) => work(this.bind(sql)));
  }

  /** Runs `work` in one transaction, then notifies listeners of the feeds that grew. */
  private async write<T>(work: (tables: Tables, context: WriteContext) => Promise<T>): Promise<T> {
    let context = new WriteContext();
    let tables: Tables | null = null;
    const result = await this.driver.transaction((sql) => {
      // A fresh context and tables per attempt, because the driver may run `work` again after a conflict.
      context = new WriteContext();
      tables = this.bind(sql);
      return work(tables, context);
    });

    const raised = (tables as Tables | null)?.alarms.raised ?? [];
    if (raised.length > 0) this.notifyAlarms(raised);

    if (context.touched) {
      const hint: FeedHint = { agentIds: [...context.agentIds], global: context.global };
      for (const listener of this.listeners) {
        try {
          listener(hint);
        } catch (error) {
          this.logger.error({ err: error }, 'send feed hint: listener failed');
        }
      }
    }
    return result;
  }

  private notifyAlarms(raised: readonly RaisedAlarm[]): void {
    for (const listener of this.alarmListeners) {
      try {
        listener(raised);
      } catch (error) {
        this.logger.error({ err: error, alarms: raised.length }, 'send alarm hint: listener failed');
      }
    }
  }

  private bind(sql: SqlConnection): Tables {
    return bindTables(sql, this.leaseDurationMs);
  }

  async createUser(input: NewUser, now: Date = new Date()): Promise<User> {
    const username = input.username.trim().toLowerCase();
    const fullName = input.fullName.normalize('NFC').trim();
    if (!USERNAME_PATTERN.test(username)) {
      throw new AppError('invalid-input', `Usuario inválido: "${input.username}". Use de 3 a 50 letras minúsculas, dígitos, punto, guion o guion bajo.`);
    }
    if (fullName.length === 0 || fullName.length > 200) {
      throw new AppError('invalid-input', 'Nombre inválido: escriba el nombre completo (hasta 200 caracteres).');
    }
    if (!roleSchema.safeParse(input.role).success) {
      throw new AppError('invalid-input', `Rol inválido: "${input.role}". Use agent, team-lead o admin.`);
    }
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      throw new AppError('invalid-input', `La contraseña debe tener al menos ${MIN_PASSWORD_LENGTH} caracteres.`);
    }

    const passwordHash = await hashPassword(input.password);
    return this.write(async (tables) => {
      if (await tables.users.findByUsername(username)) throw new AppError('conflict', `El usuario "${username}" ya existe.`);
      const user = await tables.users.create(username, fullName, input.role, passwordHash, now);
      await teamOperations.placeNewUser(tables, user, input.team);
      return user;
    });
  }

  findCredentials(username: string): Promise<UserCredentials | null> {
    return this.connect((tables) => tables.users.credentials(username.trim().toLowerCase()));
  }

  getUser(userId: string): Promise<User | null> {
    return this.connect((tables) => tables.users.get(userId));
  }

  findUserByUsername(username: string): Promise<User | null> {
    return this.connect((tables) => tables.users.findByUsername(username.trim().toLowerCase()));
  }

  listUsers(): Promise<User[]> {
    return this.connect((tables) => tables.users.list());
  }

  createSession(session: NewSession): Promise<void> {
    return this.connect((tables) => tables.users.createSession(session));
  }

  findSession(tokenHash: string, now: Date): Promise<LiveSession | null> {
    return this.connect((tables) => tables.users.findSession(tokenHash, now));
  }

  openSessionChain(input: NewSessionChain): Promise<string> {
    return this.write((tables) => sessionOperations.openSessionChain(tables, input));
  }

  renewSession(input: SessionRenewal): Promise<RenewalOutcome> {
    return this.write((tables) => sessionOperations.renewSession(tables, input));
  }

  revokeSession(tokenHash: string, now: Date): Promise<SessionOwner | null> {
    return this.write((tables) => sessionOperations.revokeSession(tables, tokenHash, now));
  }

  setUserActive(username: string, active: boolean): Promise<boolean> {
    return this.connect((tables) => tables.users.setActive(username.trim().toLowerCase(), active));
  }

  disableUser(username: string, now: Date): Promise<DisabledUser | null> {
    return this.write((tables) => tables.users.disable(username.trim().toLowerCase(), now));
  }

  async importPortfolio(input: PortfolioFileInput): Promise<ImportSummary> {
    const built = await buildPortfolio(input.fileName, input.bytes, { defaultCreditor: input.creditor ?? null, today: bogotaDate(input.now.toISOString()) });
    if (!built.ok) throw new PortfolioImportError(input.fileName, built.problems, built.total);

    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    return this.write((tables, context) => savePortfolio(tables, context, built.portfolio, { ...input, sha256 }));
  }

  async importObligationTerms(input: TermsFileInput): Promise<TermsImportSummary> {
    const built = await buildObligationTerms(input.fileName, input.bytes, { defaultCreditor: input.creditor ?? null, today: bogotaDate(input.now.toISOString()) });
    if (!built.ok) throw new PortfolioImportError(input.fileName, built.problems, built.total);

    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    return this.write((tables, context) => saveObligationTerms(tables, context, built.terms, { ...input, sha256, encoding: built.encoding }));
  }

  async importScheduleRequests(input: ScheduleRequestFileInput): Promise<ScheduleRequestImportSummary> {
    const built = await buildScheduleRequests(input.fileName, input.bytes, bogotaDate(input.now.toISOString()));
    if (!built.ok) throw new PortfolioImportError(input.fileName, built.problems, built.total);

    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    return this.write((tables, context) => saveScheduleRequests(tables, context, built.file, { ...input, sha256 }));
  }

  listScheduleRequests(docType: DocType, docNumber: string): Promise<StoredScheduleRequest[]> {
    return this.connect((tables) => tables.debtors.scheduleRequests.history(docType, docNumber));
  }

  listImports(): Promise<ImportRecord[]> {
    return this.connect((tables) => tables.imports.list());
  }

  async countDebtors(): Promise<number> {
    return (await this.connect((tables) => tables.debtors.totals())).debtors;
  }

  async countObligations(): Promise<number> {
    return (await this.connect((tables) => tables.debtors.totals())).obligations;
  }

  async countDebtorsBySegment(): Promise<Record<Segment, number>> {
    const counts = Object.fromEntries(SEGMENTS.map((segment) => [segment, 0])) as Record<Segment, number>;
    for (const row of await this.connect((tables) => tables.debtors.countBySegment())) counts[row.segment] = row.count;
    return counts;
  }

  getDebtorSnapshot(debtorId: string, leaseUntil: Date): Promise<DebtorSnapshot | null> {
    return this.driver.snapshot((sql) => this.bind(sql).debtors.snapshot(debtorId, leaseUntil));
  }

  leaseUnassigned(now: Date): Promise<LeaseRunSummary> {
    return this.write((tables, context) => leaseOperations.leaseUnassigned(tables, context, now));
  }

  grantLease(debtorId: string, agentId: string, now: Date): Promise<LeaseRecord> {
    return this.write((tables, context) => leaseOperations.grantLease(tables, context, debtorId, agentId, now));
  }

  releaseLease(debtorId: string, now: Date, reason: 'released' | 'reassigned' = 'released'): Promise<LeaseRecord | null> {
    return this.write((tables, context) => leaseOperations.releaseLease(tables, context, debtorId, now, reason));
  }

  reassignDebtor(debtorId: string, agentId: string, now: Date): Promise<LeaseRecord> {
    return this.write(async (tables, context) => {
      const open = await tables.leases.openLease(debtorId);
      if (open && open.agentId === agentId && open.expiresAt > now.toISOString()) return open;
      await leaseOperations.releaseLease(tables, context, debtorId, now, 'reassigned');
      return leaseOperations.grantLease(tables, context, debtorId, agentId, now);
    });
  }

  expireLeases(now: Date): Promise<number> {
    return this.write((tables, context) => leaseOperations.expireDueLeases(tables, context, now));
  }

  renewLeases(agentId: string, now: Date): Promise<number> {
    return this.write((tables, context) => leaseOperations.renewLeases(tables, context, agentId, now));
  }

  async activeLease(debtorId: string, now: Date): Promise<LeaseRecord | null> {
    const open = await this.connect((tables) => tables.leases.openLease(debtorId));
    return open && open.expiresAt > now.toISOString() ? open : null;
  }

  leaseHistory(debtorId: string): Promise<LeaseRecord[]> {
    return this.connect((tables) => tables.leases.historyOf(debtorId));
  }

  listActiveLeases(now: Date, agentId?: string): Promise<LeaseRecord[]> {
    return this.connect((tables) => (agentId === undefined ? tables.leases.allActive(now) : tables.leases.activeOf(agentId, now)));
  }

  async publishContent(items: readonly PublishedContent[], now: Date): Promise<string[]> {
    const { published, packOutcome } = await this.write(async (tables, context) => {
      const keys: string[] = [];
      let outcome: ResourcePackOutcome | null = null;
      for (const item of items) {
        if (item.key === RULE_PACK_CONTENT_KEY) {
          outcome = await publishResourceRulePack(tables, context, item.entry.payload, now);
          if (outcome.status === 'published') keys.push(item.key);
          continue;
        }
        const sha256 = createHash('sha256').update(JSON.stringify(item.entry)).digest('hex');
        if ((await tables.content.publishedHash(item.key)) === sha256) continue;
        const seq = await tables.changes.append(context, null, item.entry, now);
        await tables.content.record(item.key, sha256, item.version, seq, now);
        keys.push(item.key);
      }
      return { published: keys, packOutcome: outcome };
    });

    if (packOutcome?.status === 'skipped') {
      const { inForce, lastAdminPublication } = packOutcome;
      this.logger.info(
        {
          fileVersion: packOutcome.fileVersion,
          inForceVersion: inForce.version,
          adminVersion: lastAdminPublication.version,
          adminUsername: lastAdminPublication.publishedBy?.username,
          adminPublishedAt: lastAdminPublication.publishedAt,
        },
        'publish rule pack: resources file skipped, because an administrator published a pack and that takes precedence',
      );
    }
    return published;
  }

  async publishRulePack(input: RulePackPublishInput): Promise<RulePackPublication> {
    const pack = validateRulePack(input.pack);
    const reason = normalizeReason(input.reason);
    const publication = await this.write((tables, context) => publishAdminRulePack(tables, context, { pack, reason, publishedBy: input.publishedBy, now: input.now }));
    this.logger.info(
      { version: publication.current.version, previousVersion: publication.previous?.version, published: publication.published, userId: input.publishedBy },
      publication.published ? 'publish rule pack: done' : 'publish rule pack: unchanged, already in force',
    );
    return publication;
  }

  async listRulePacks(limit?: number): Promise<RulePackRecord[]> {
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw new AppError('invalid-input', `Límite inválido: ${limit}. Use un número entero mayor que 0.`);
    return this.connect((tables) => tables.rulePacks.list(limit));
  }

  pullFeed(agentId: string, after: number, limit: number): Promise<FeedPage> {
    return this.connect((tables) => tables.changes.pull(agentId, after, limit));
  }

  countChanges(): Promise<number> {
    return this.connect((tables) => tables.changes.total());
  }

  ingestEvent(event: SyncEvent, context: IngestContext): Promise<IngestOutcome> {
    return this.write((tables, writeContext) => ingestEvent(tables, writeContext, event, context, this.logger));
  }

  rejectEvent(input: RejectedEventInput): Promise<void> {
    return this.connect((tables) => tables.events.reject(input));
  }

  countEvents(): Promise<number> {
    return this.connect((tables) => tables.events.total());
  }

  countRejectedEvents(): Promise<number> {
    return this.connect((tables) => tables.events.totalRejected());
  }

  listRejectedEvents(): Promise<RejectedEventRecord[]> {
    return this.connect((tables) => tables.events.listRejected());
  }

  findInteractions(debtorId: string): Promise<InteractionRecorded[]> {
    return this.connect((tables) => tables.events.interactions(debtorId));
  }

  findLedger(debtorId: string): Promise<LedgerEntry[]> {
    return this.connect((tables) => tables.events.ledger(debtorId));
  }

  findDecisions(debtorId: string): Promise<StoredDecision[]> {
    return this.connect((tables) => tables.events.decisions(debtorId));
  }

  findInteractionEvents(debtorId: string): Promise<StoredInteraction[]> {
    return this.connect((tables) => tables.events.interactionEvents(debtorId));
  }

  findDebtorViews(query: DebtorViewQuery): Promise<StoredDebtorView[]> {
    return this.connect((tables) => tables.debtorViews.list(query));
  }

  findWorkstationDecisions(workstationId: string): Promise<StoredDecision[]> {
    return this.connect((tables) => tables.events.decisionsOfWorkstation(workstationId));
  }

  currentContent(): Promise<{ rulePack: RulePack | null; catalog: Catalog | null }> {
    return this.driver.snapshot(async (sql) => {
      const facts = this.bind(sql).facts;
      return { rulePack: await facts.currentRulePack(), catalog: await facts.currentCatalog() };
    });
  }

  findPersonLedger(personId: string, until: Date, excludedIds: readonly string[]): Promise<LedgerEntry[]> {
    return this.connect((tables) => tables.facts.personLedger(personId, until, excludedIds));
  }

  async listAlarms(query: AlarmQuery): Promise<AlarmRecord[]> {
    if (!Number.isSafeInteger(query.limit) || query.limit < 1) throw new AppError('invalid-input', `Límite inválido: ${query.limit}. Use un número entero mayor que 0.`);
    return this.connect((tables) => tables.alarms.list(query));
  }

  acknowledgeAlarm(id: number, by: string, now: Date = new Date()): Promise<AlarmRecord | null> {
    return this.write((tables) => tables.alarms.acknowledge(id, by, now));
  }

  listDecisionLinks(workstationId: string): Promise<StoredDecisionLink[]> {
    return this.connect((tables) => tables.decisionLinks.list(workstationId));
  }

  recordNodeAlive(now: Date): Promise<void> {
    return this.write(async (tables) => {
      await tables.nodes.touch(this.nodeId, now);
      // A SQLite file serves one node at a time, so any other node in it stopped without closing.
      const seenBefore = this.driver.singleNode ? null : new Date(now.getTime() - NODE_SILENCE_LIMIT_MS);
      const removed = await tables.nodes.removeOthers(this.nodeId, seenBefore);
      if (removed > 0) this.logger.info({ nodeId: this.nodeId, removed }, 'forget stopped server nodes: done');
    });
  }

  removeNode(): Promise<void> {
    return this.connect((tables) => tables.nodes.remove(this.nodeId));
  }

  workstationConnected(workstationId: string, agentId: string, now: Date): Promise<void> {
    return this.write(async (tables) => {
      // The node row is normally there since start; another node may have dropped it after a long pause.
      await tables.nodes.ensure(this.nodeId, now);
      await tables.workstations.connected(workstationId, agentId, this.nodeId, now);
    });
  }

  workstationDisconnected(workstationId: string, now: Date): Promise<void> {
    return this.write((tables) => tables.workstations.disconnected(workstationId, this.nodeId, now));
  }

  recordWorkstationState(workstationId: string, state: WorkstationState, now: Date, agentId: string): Promise<void> {
    return this.write(async (tables) => {
      await tables.workstations.reportState(workstationId, JSON.stringify(state), now);
      await checkReportedState(tables, { workstationId, agentId, state, reportedAt: now }, this.logger);
    });
  }

  listWorkstations(): Promise<WorkstationRecord[]> {
    return this.connect((tables) => tables.workstations.list());
  }

  readBoardFacts(day: InstantRange, promiseCodes: readonly string[], now: Date, ledBy?: string): Promise<BoardFacts> {
    return this.driver.snapshot((sql) => readBoardFacts(sql, day, promiseCodes, now, ledBy));
  }

  createTeam(name: string, now: Date = new Date()): Promise<Team> {
    return this.write((tables) => teamOperations.createTeam(tables, name, now));
  }

  listTeams(): Promise<TeamSummary[]> {
    return this.driver.snapshot((sql) => this.bind(sql).teams.list());
  }

  assignAgentToTeam(username: string, teamName: string): Promise<{ user: User; team: Team }> {
    return this.write((tables) => teamOperations.assignAgent(tables, username, teamName));
  }

  addTeamLead(username: string, teamName: string): Promise<{ user: User; team: Team }> {
    return this.write((tables) => teamOperations.addLead(tables, username, teamName));
  }

  removeTeamLead(username: string, teamName: string): Promise<{ user: User; team: Team }> {
    return this.write((tables) => teamOperations.removeLead(tables, username, teamName));
  }

  teamIdsLedBy(userId: string): Promise<string[]> {
    return this.connect((tables) => tables.teams.teamIdsLedBy(userId));
  }

  teamIdsOfAgents(agentIds: readonly string[]): Promise<string[]> {
    return this.connect((tables) => tables.teams.teamIdsOfAgents(agentIds));
  }

  isAlarmLedBy(alarmId: number, leadId: string): Promise<boolean> {
    return this.connect((tables) => tables.teams.isAlarmLedBy(alarmId, leadId));
  }

  isDebtorLedBy(debtorId: string, leadId: string): Promise<boolean> {
    return this.connect((tables) => tables.teams.isDebtorLedBy(debtorId, leadId));
  }
}
