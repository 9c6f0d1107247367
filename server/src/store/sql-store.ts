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
import { roleSchema, type InteractionRecorded, type PromiseSnapshot, type SyncEvent, type User } from '@gestiona/core/sync';
import { hashPassword } from '../auth/password.ts';
import { readBoardFacts, type BoardFacts, type InstantRange } from '../board/board-queries.ts';
import { buildPortfolio } from '../import/build-portfolio.ts';
import { PortfolioImportError } from '../import/problems.ts';
import { buildScheduleRequests } from '../schedule-requests/build-file.ts';
import { saveScheduleRequests } from '../schedule-requests/save.ts';
import type { ScheduleRequestFileInput, ScheduleRequestImportSummary, StoredScheduleRequest } from '../schedule-requests/types.ts';
import { saveObligationTerms, type TermsFileInput, type TermsImportSummary } from '../obligation-terms/import-terms.ts';
import { buildObligationTerms } from '../obligation-terms/parse-terms.ts';
import { savePayments, type PaymentsFileInput, type PaymentsImportSummary } from '../payments/import-payments.ts';
import { buildPayments } from '../payments/parse-payments.ts';
import { sweepLapsedPromises, type ReconcileSummary } from '../promises/reconcile.ts';
import type { PromiseStatusChange } from '../promises/promise-table.ts';
import { loadPromiseBoardFigures, type AgentPromiseFigures } from '../promises/board-figures.ts';
import type { Logger } from '../logger.ts';
import type { WorkstationState } from '../sync/workstation-state.ts';
import { ingestEvent, ingestEventGroup } from './ingest-operation.ts';
import { savePortfolio } from './import-operation.ts';
import * as leaseOperations from './lease-operations.ts';
import { searchBoardDebtors, type BoardDebtorQuery } from '../reassign/board-debtors.ts';
import { recordBoardView, type BoardViewInput } from '../reassign/board-view.ts';
import { listReassignments, requestReassignments, type ReassignmentInput, type ReassignmentQuery } from '../reassign/reassign-operation.ts';
import type { BoardDebtor, BoardReassignment } from '@gestiona/core/board';
import * as sessionOperations from './session-operations.ts';
import * as teamOperations from './team-operations.ts';
import { checkReportedState } from './reported-state-check.ts';
import { CATALOG_CONTENT_KEY, publishAdminCatalog, publishResourceCatalog, validateCatalog } from '../catalog/catalog-operation.ts';
import { liftHolds } from '../catalog/holds.ts';
import type { CatalogPublication, CatalogPublishInput, CatalogVersionRecord, CollectionHoldRecord, HoldLiftInput } from '../catalog/types.ts';
import { normalizeReason, publishAdminRulePack, publishResourceRulePack, RULE_PACK_CONTENT_KEY, validateRulePack, type ResourcePackOutcome } from './rule-pack-operation.ts';
import type { SqlConnection, StoreDriver } from './sql.ts';
import { bindTables, type Tables } from './tables.ts';
import { LED_AGENT_IDS_SQL, type Team, type TeamSummary } from './teams.ts';
import type {
  AlarmQuery,
  AlarmRecord,
  DisabledUser,
  FeedHint,
  FeedPage,
  GroupCommitLimits,
  ImportRecord,
  ImportSummary,
  IngestContext,
  IngestItem,
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
  PurgedSessions,
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
import * as strategyOperations from '../strategy/strategy-operation.ts';
import { strategyResults } from '../strategy/results.ts';
import { StrategyVersionsTable } from '../strategy/strategy-versions.ts';
import type { StrategyPreview, StrategyPublication, StrategyPublishInput, StrategyRecord, StrategyResultRow } from '../strategy/types.ts';
import { publishAdminScript, publishResourceScript, SCRIPT_CONTENT_PREFIX, validateScript } from '../scripts/script-operation.ts';
import { ScriptVersionsTable } from '../scripts/script-versions.ts';
import type { ScriptPublication, ScriptPublishInput, ScriptVersionRecord } from '../scripts/types.ts';

export const DEFAULT_LEASE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** How often a running server calls `recordNodeAlive`. */
export const NODE_REPORT_INTERVAL_MS = 60_000;

/** A node silent for this long has stopped without closing (a crash or a kill), so its socket counts are dropped. */
const NODE_SILENCE_LIMIT_MS = 3 * NODE_REPORT_INTERVAL_MS;

/**
 * Time an expired session or renewal token stays in the database, so a security review can still
 * see who was signed in on which workstation last month. A retired renewal token presented again
 * after this no longer revokes its chain, but it is long expired and refused anyway.
 */
export const EXPIRED_SESSION_RETENTION_MS = 30 * DAY_MS;

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,49}$/;
const MIN_PASSWORD_LENGTH = 8;

/** Converts the `leaseDays` option to milliseconds, rejecting a length that is not positive. */
export function leaseDurationMs(leaseDays: number = DEFAULT_LEASE_DAYS): number {
  if (!(leaseDays > 0)) throw new Error(`leaseDays must be positive, got ${leaseDays}`);
  return leaseDays * DAY_MS;
}

/**
 * SQLite has one writer, so one group at a time. better-sqlite3 is synchronous, so a group blocks
 * the event loop while it runs. A group is therefore kept to one full push batch (200 events), an
 * estimated 140 ms at the 0.7 ms of CPU per event that the restart storm bench measured.
 */
const SQLITE_GROUP_COMMIT: GroupCommitLimits = { groupsAtOnce: 1, maxGroupEvents: 200 };

/**
 * PostgreSQL: one group at a time, of at most one full push batch, as on SQLite. Groups run at
 * SERIALIZABLE, and PostgreSQL checks their conflicts per index page and, past 32 locks on one
 * relation (the default `max_pred_locks_per_relation`), per relation. So two groups that store
 * events of different debtors still abort each other, because each inserts into index pages the
 * other read. With 8 groups of 16 events at once, a storm of 40,000 events rolled back 12,666
 * transactions against 18,022 commits, and with one group at a time it rolled back 3 against
 * 2,835 (`scripts/bench-storm.ts --workstations 200`, see docs/benchmarks.md). One group at a
 * time stored about 2,800 events/s on that data, several times the storm's drain rate.
 * NOTE: several server nodes on one database still run one group each at once, and those abort
 * each other as before.
 */
const POSTGRES_GROUP_COMMIT: GroupCommitLimits = { groupsAtOnce: 1, maxGroupEvents: 200 };

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
  private async write<T>(work: (tables: Tables, context: WriteContext, sql: SqlConnection) => Promise<T>): Promise<T> {
    let context = new WriteContext();
    let tables: Tables | null = null;
    const result = await this.driver.transaction((sql) => {
      // A fresh context and tables per attempt, because the driver may run `work` again after a conflict.
      context = new WriteContext();
      tables = this.bind(sql);
      return work(tables, context, sql);
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

  purgeExpiredSessions(now: Date): Promise<PurgedSessions> {
    return this.write((tables) => tables.users.chains.purgeExpired(new Date(now.getTime() - EXPIRED_SESSION_RETENTION_MS)));
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
    return this.write((tables, context, sql) => savePortfolio(sql, tables, context, built.portfolio, { ...input, sha256 }));
  }

  async importObligationTerms(input: TermsFileInput): Promise<TermsImportSummary> {
    const built = await buildObligationTerms(input.fileName, input.bytes, { defaultCreditor: input.creditor ?? null, today: bogotaDate(input.now.toISOString()) });
    if (!built.ok) throw new PortfolioImportError(input.fileName, built.problems, built.total);

    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    return this.write((tables, context) => saveObligationTerms(tables, context, built.terms, { ...input, sha256, encoding: built.encoding }));
  }

  async importPayments(input: PaymentsFileInput): Promise<PaymentsImportSummary> {
    const built = await buildPayments(input.fileName, input.bytes, { defaultCreditor: input.creditor ?? null, today: bogotaDate(input.now.toISOString()) });
    if (!built.ok) throw new PortfolioImportError(input.fileName, built.problems, built.total);

    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    return this.write((tables, context) => savePayments(tables, context, built.payments, { ...input, sha256, encoding: built.encoding }, this.logger));
  }

  sweepPromises(now: Date): Promise<ReconcileSummary> {
    return this.write((tables, context) => sweepLapsedPromises(tables, context, now, this.logger));
  }

  debtorPromises(debtorId: string): Promise<PromiseSnapshot[]> {
    return this.connect((tables) => tables.promises.snapshotsOfDebtor(debtorId));
  }

  promiseHistory(promiseId: string): Promise<PromiseStatusChange[]> {
    return this.connect((tables) => tables.promises.history(promiseId));
  }

  promiseBoardFigures(day: string): Promise<AgentPromiseFigures[]> {
    return this.connect((tables) => loadPromiseBoardFigures(tables.promises.sql, day));
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
    const { published, packOutcome } = await this.write(async (tables, context, sql) => {
      const keys: string[] = [];
      let outcome: ResourcePackOutcome | null = null;
      for (const item of items) {
        if (item.key === RULE_PACK_CONTENT_KEY) {
          outcome = await publishResourceRulePack(tables, context, item.entry.payload, now);
          if (outcome.status === 'published') keys.push(item.key);
          continue;
        }
        if (item.key === strategyOperations.STRATEGY_CONTENT_KEY) {
          const strategyOutcome = await strategyOperations.publishResourceStrategy(sql, tables, context, item.entry.payload, now);
          if (strategyOutcome.status === 'published') keys.push(item.key);
          continue;
        }
        if (item.key.startsWith(SCRIPT_CONTENT_PREFIX)) {
          // A resources script is a factory default: it never replaces a script an administrator published.
          if ((await publishResourceScript(tables, new ScriptVersionsTable(sql), context, item.entry.payload, now)).status === 'published') keys.push(item.key);
          continue;
        }
        if (item.key === CATALOG_CONTENT_KEY) {
          // The resources catalog is a factory default: it never replaces an administrator's catalog.
          if ((await publishResourceCatalog(tables, context, item.entry.payload, now)).status === 'published') keys.push(item.key);
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

  async publishStrategy(input: StrategyPublishInput): Promise<StrategyPublication> {
    const set = strategyOperations.validateStrategySet(input.strategy);
    const reason = strategyOperations.normalizeReason(input.reason);
    const publication = await this.write((tables, context, sql) =>
      strategyOperations.publishAdminStrategy(sql, tables, context, { set, reason, publishedBy: input.publishedBy, now: input.now }),
    );
    this.logger.info(
      { version: publication.current.version, previousVersion: publication.previous?.version, published: publication.published, moved: publication.preview?.moved, userId: input.publishedBy },
      publication.published ? 'publish strategy: done' : 'publish strategy: unchanged, already in force',
    );
    return publication;
  }

  previewStrategy(strategy: unknown, now: Date): Promise<StrategyPreview> {
    const set = strategyOperations.validateStrategySet(strategy);
    return this.driver.snapshot((sql) => strategyOperations.previewStrategy(sql, set, now));
  }

  async listStrategies(limit?: number): Promise<StrategyRecord[]> {
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw new AppError('invalid-input', `Límite inválido: ${limit}. Use un número entero mayor que 0.`);
    return this.driver.connect((sql) => new StrategyVersionsTable(sql).list(limit));
  }

  strategyResults(): Promise<StrategyResultRow[]> {
    return this.driver.snapshot((sql) => strategyResults(sql));
  }

  async listRulePacks(limit?: number): Promise<RulePackRecord[]> {
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw new AppError('invalid-input', `Límite inválido: ${limit}. Use un número entero mayor que 0.`);
    return this.connect((tables) => tables.rulePacks.list(limit));
  }

  async publishCatalog(input: CatalogPublishInput): Promise<CatalogPublication> {
    const catalog = validateCatalog(input.catalog);
    const reason = normalizeReason(input.reason);
    const publication = await this.write((tables, context) => publishAdminCatalog(tables, context, { catalog, reason, publishedBy: input.publishedBy, now: input.now }));
    this.logger.info(
      { version: publication.current.version, previousVersion: publication.previous?.version, published: publication.published, userId: input.publishedBy },
      publication.published ? 'publish catalog: done' : 'publish catalog: unchanged, already in force',
    );
    return publication;
  }

  async publishScript(input: ScriptPublishInput): Promise<ScriptPublication> {
    const script = validateScript(input.script);
    const reason = normalizeReason(input.reason);
    const publication = await this.write((tables, context, sql) =>
      publishAdminScript(tables, new ScriptVersionsTable(sql), context, { script, reason, publishedBy: input.publishedBy, now: input.now }),
    );
    this.logger.info(
      { scriptId: script.id, version: script.version, previousVersion: publication.previous?.version, published: publication.published, userId: input.publishedBy },
      publication.published ? 'publish script: done' : 'publish script: unchanged, already in force',
    );
    return publication;
  }

  listScripts(): Promise<ScriptVersionRecord[]> {
    return this.driver.connect((sql) => new ScriptVersionsTable(sql).currentAll());
  }

  scriptHistory(scriptId: string): Promise<ScriptVersionRecord[]> {
    return this.driver.connect((sql) => new ScriptVersionsTable(sql).history(scriptId));
  }

  scriptVersion(scriptId: string, version: string): Promise<ScriptVersionRecord | null> {
    return this.driver.connect((sql) => new ScriptVersionsTable(sql).byVersion(scriptId, version));
  }

  async listCatalogVersions(limit?: number): Promise<CatalogVersionRecord[]> {
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) throw new AppError('invalid-input', `Límite inválido: ${limit}. Use un número entero mayor que 0.`);
    return this.connect((tables) => tables.catalogVersions.list(limit));
  }

  listCollectionHolds(query: { debtorId?: string } = {}): Promise<CollectionHoldRecord[]> {
    return this.connect((tables) => tables.holds.list(query));
  }

  async liftCollectionHolds(input: HoldLiftInput): Promise<CollectionHoldRecord[]> {
    const lifted = await this.write((tables, context) => liftHolds(tables, context, input));
    this.logger.info({ debtorId: input.debtorId, userId: input.liftedBy, holds: lifted.length }, 'lift collection holds: done');
    return lifted;
  }

  catalogFeedHead(): Promise<number> {
    return this.connect(async (tables) => tables.holds.feedHead());
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

  ingestEvents(items: readonly IngestItem[]): Promise<IngestOutcome[]> {
    return this.write((tables, writeContext) => ingestEventGroup(tables, writeContext, items, this.logger));
  }

  get groupCommit(): GroupCommitLimits {
    return this.driver.singleNode ? SQLITE_GROUP_COMMIT : POSTGRES_GROUP_COMMIT;
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

  readBoardView<T>(read: (sql: SqlConnection) => Promise<T>): Promise<T> {
    return this.driver.snapshot(read);
  }

  writeBoardView<T>(write: (sql: SqlConnection) => Promise<T>): Promise<T> {
    return this.driver.transaction(write);
  }

  writeChannels<T>(work: (tables: Tables, context: WriteContext) => Promise<T>): Promise<T> {
    return this.write((tables, context) => work(tables, context));
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

  requestReassignments(input: ReassignmentInput): Promise<number[]> {
    return this.write((tables, context, sql) => requestReassignments(sql, tables, context, input));
  }

  listReassignments(query: ReassignmentQuery, now: Date): Promise<BoardReassignment[]> {
    return this.driver.snapshot((sql) => listReassignments(sql, this.bind(sql), query, now));
  }

  searchBoardDebtors(query: BoardDebtorQuery): Promise<BoardDebtor[]> {
    return this.driver.snapshot((sql) => searchBoardDebtors(sql, this.bind(sql), query));
  }

  recordBoardView(input: BoardViewInput): Promise<void> {
    return this.write((tables) => recordBoardView(tables, input));
  }

  ledAgentIds(leadId: string): Promise<string[]> {
    return this.driver.connect(async (sql) => (await sql.all<{ user_id: string }>(`${LED_AGENT_IDS_SQL} ORDER BY team_members.user_id`, [leadId])).map((row) => row.user_id));
  }
}
