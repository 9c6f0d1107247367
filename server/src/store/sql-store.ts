/**
 * `ServerStore` on top of a `StoreDriver`: the same validation, queries and operations for SQLite
 * and PostgreSQL. Every write runs in one transaction with the feed entries it produces, and feed
 * hints go out only after the commit.
 */
import type { Catalog } from '@gestiona/core/catalog';
import type { RulePack } from '@gestiona/core/compliance/types';
import { bogotaDate } from '@gestiona/core/format';
import { createHash, randomUUID } from 'node:crypto';
import { SEGMENTS, type DebtorSnapshot, type LedgerEntry, type Segment } from '@gestiona/core/domain';
import { AppError } from '@gestiona/core/result';
import { roleSchema, type InteractionRecorded, type SyncEvent, type User } from '@gestiona/core/sync';
import { hashPassword } from '../auth/password.ts';
import { readBoardFacts, type BoardFacts, type InstantRange } from '../board/board-queries.ts';
import { buildPortfolio } from '../import/build-portfolio.ts';
import { PortfolioImportError } from '../import/problems.ts';
import type { Logger } from '../logger.ts';
import type { WorkstationState } from '../sync/workstation-state.ts';
import { ingestEvent } from './ingest-operation.ts';
import { savePortfolio } from './import-operation.ts';
import * as leaseOperations from './lease-operations.ts';
import type { SqlConnection, StoreDriver } from './sql.ts';
import { bindTables, type Tables } from './tables.ts';
import type {
  AlarmQuery,
  AlarmRecord,
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
  NewUser,
  PortfolioFileInput,
  PublishedContent,
  RejectedEventInput,
  RejectedEventRecord,
  ServerStore,
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
    await this.driver.close();
  }

  schemaVersion(): Promise<number> {
    return this.driver.schemaVersion();
  }

  onFeedChange(listener: (hint: FeedHint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs one statement-level read or write with the tables bound to a plain connection. */
  private connect<T>(work: (tables: Tables) => Promise<T>): Promise<T> {
    return this.driver.connect((sql) => work(this.bind(sql)));
  }

  /** Runs `work` in one transaction, then notifies listeners of the feeds that grew. */
  private async write<T>(work: (tables: Tables, context: WriteContext) => Promise<T>): Promise<T> {
    let context = new WriteContext();
    const result = await this.driver.transaction((sql) => {
      // A fresh context per attempt, because the driver may run `work` again after a conflict.
      context = new WriteContext();
      return work(this.bind(sql), context);
    });

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
      return tables.users.create(username, fullName, input.role, passwordHash, now);
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

  async importPortfolio(input: PortfolioFileInput): Promise<ImportSummary> {
    const built = await buildPortfolio(input.fileName, input.bytes, { defaultCreditor: input.creditor ?? null, today: bogotaDate(input.now.toISOString()) });
    if (!built.ok) throw new PortfolioImportError(input.fileName, built.problems, built.total);

    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    return this.write((tables, context) => savePortfolio(tables, context, built.portfolio, { ...input, sha256 }));
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

  publishContent(items: readonly PublishedContent[], now: Date): Promise<string[]> {
    return this.write(async (tables, context) => {
      const published: string[] = [];
      for (const item of items) {
        const sha256 = createHash('sha256').update(JSON.stringify(item.entry)).digest('hex');
        if ((await tables.content.publishedHash(item.key)) === sha256) continue;
        const seq = await tables.changes.append(context, null, item.entry, now);
        await tables.content.record(item.key, sha256, item.version, seq, now);
        published.push(item.key);
      }
      return published;
    });
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

  recordWorkstationState(workstationId: string, state: WorkstationState, now: Date): Promise<void> {
    return this.connect((tables) => tables.workstations.reportState(workstationId, JSON.stringify(state), now));
  }

  listWorkstations(): Promise<WorkstationRecord[]> {
    return this.connect((tables) => tables.workstations.list());
  }

  readBoardFacts(day: InstantRange, promiseCodes: readonly string[], now: Date): Promise<BoardFacts> {
    return this.driver.snapshot((sql) => readBoardFacts(sql, day, promiseCodes, now));
  }
}
