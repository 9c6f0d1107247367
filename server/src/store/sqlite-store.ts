/**
 * The SQLite implementation of `ServerStore`: one file, WAL journal, every write in one
 * transaction with the feed entries it produces, and feed hints sent only after the commit.
 */
import { createHash } from 'node:crypto';
import { SEGMENTS, type DebtorSnapshot, type LedgerEntry, type Segment } from '@gestiona/core/domain';
import { AppError } from '@gestiona/core/result';
import { roleSchema, type InteractionRecorded, type SyncEvent, type User } from '@gestiona/core/sync';
import { hashPassword } from '../auth/password.ts';
import { buildPortfolio } from '../import/build-portfolio.ts';
import { PortfolioImportError } from '../import/problems.ts';
import type { Logger } from '../logger.ts';
import type { WorkstationState } from '../sync/workstation-state.ts';
import { openDatabase, schemaVersion, type SqliteDatabase } from './database.ts';
import { ingestEvent } from './ingest-operation.ts';
import { savePortfolio } from './import-operation.ts';
import * as leaseOperations from './lease-operations.ts';
import { prepareTables, type Tables } from './tables.ts';
import type {
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
  UserCredentials,
  WorkstationRecord,
} from './types.ts';
import { WriteContext } from './write-context.ts';

export const DEFAULT_LEASE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface OpenStoreOptions {
  dbPath: string;
  logger: Logger;
  /** Lease length in days (default 7); fractions are allowed. */
  leaseDays?: number;
}

export async function openServerStore(options: OpenStoreOptions): Promise<ServerStore> {
  const leaseDays = options.leaseDays ?? DEFAULT_LEASE_DAYS;
  if (!(leaseDays > 0)) throw new Error(`leaseDays must be positive, got ${leaseDays}`);

  const { db, migration } = openDatabase(options.dbPath);
  if (migration.from !== migration.to) {
    options.logger.info({ dbPath: options.dbPath, from: migration.from, to: migration.to }, 'migrate database: done');
  }
  return new SqliteServerStore(options.dbPath, db, prepareTables(db, leaseDays * DAY_MS), options.logger);
}

const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,49}$/;
const MIN_PASSWORD_LENGTH = 8;

class SqliteServerStore implements ServerStore {
  private readonly listeners = new Set<(hint: FeedHint) => void>();
  readonly leaseDurationMs: number;

  constructor(
    readonly path: string,
    private readonly db: SqliteDatabase,
    private readonly tables: Tables,
    private readonly logger: Logger,
  ) {
    this.leaseDurationMs = tables.leaseDurationMs;
    tables.workstations.resetConnections();
  }

  async close(): Promise<void> {
    this.listeners.clear();
    if (this.db.open) this.db.close();
  }

  async schemaVersion(): Promise<number> {
    return schemaVersion(this.db);
  }

  onFeedChange(listener: (hint: FeedHint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `work` in one transaction, then notifies listeners of the feeds that grew. */
  private write<T>(work: (context: WriteContext) => T): T {
    const context = new WriteContext();
    const result = this.db.transaction(() => work(context))();
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
    return this.write(() => {
      if (this.tables.users.findByUsername(username)) throw new AppError('conflict', `El usuario "${username}" ya existe.`);
      return this.tables.users.create(username, fullName, input.role, passwordHash, now);
    });
  }

  async findCredentials(username: string): Promise<UserCredentials | null> {
    return this.tables.users.credentials(username.trim().toLowerCase());
  }

  async getUser(userId: string): Promise<User | null> {
    return this.tables.users.get(userId);
  }

  async findUserByUsername(username: string): Promise<User | null> {
    return this.tables.users.findByUsername(username.trim().toLowerCase());
  }

  async listUsers(): Promise<User[]> {
    return this.tables.users.list();
  }

  async createSession(session: NewSession): Promise<void> {
    this.tables.users.createSession(session);
  }

  async findSession(tokenHash: string, now: Date): Promise<LiveSession | null> {
    return this.tables.users.findSession(tokenHash, now);
  }

  async importPortfolio(input: PortfolioFileInput): Promise<ImportSummary> {
    const built = await buildPortfolio(input.fileName, input.bytes, { defaultCreditor: input.creditor ?? null });
    if (!built.ok) throw new PortfolioImportError(input.fileName, built.problems, built.total);

    const sha256 = createHash('sha256').update(input.bytes).digest('hex');
    return this.write((context) => savePortfolio(this.tables, context, built.portfolio, { ...input, sha256 }));
  }

  async listImports(): Promise<ImportRecord[]> {
    return this.tables.imports.list();
  }

  async countDebtors(): Promise<number> {
    return this.tables.debtors.totals().debtors;
  }

  async countObligations(): Promise<number> {
    return this.tables.debtors.totals().obligations;
  }

  async countDebtorsBySegment(): Promise<Record<Segment, number>> {
    const counts = Object.fromEntries(SEGMENTS.map((segment) => [segment, 0])) as Record<Segment, number>;
    for (const row of this.tables.debtors.countBySegment()) counts[row.segment] = row.count;
    return counts;
  }

  async getDebtorSnapshot(debtorId: string, leaseUntil: Date): Promise<DebtorSnapshot | null> {
    return this.tables.debtors.snapshot(debtorId, leaseUntil);
  }

  async leaseUnassigned(now: Date): Promise<LeaseRunSummary> {
    return this.write((context) => leaseOperations.leaseUnassigned(this.tables, context, now));
  }

  async grantLease(debtorId: string, agentId: string, now: Date): Promise<LeaseRecord> {
    return this.write((context) => leaseOperations.grantLease(this.tables, context, debtorId, agentId, now));
  }

  async releaseLease(debtorId: string, now: Date, reason: 'released' | 'reassigned' = 'released'): Promise<LeaseRecord | null> {
    return this.write((context) => leaseOperations.releaseLease(this.tables, context, debtorId, now, reason));
  }

  async reassignDebtor(debtorId: string, agentId: string, now: Date): Promise<LeaseRecord> {
    return this.write((context) => {
      const open = this.tables.leases.openLease(debtorId);
      if (open && open.agentId === agentId && open.expiresAt > now.toISOString()) return open;
      leaseOperations.releaseLease(this.tables, context, debtorId, now, 'reassigned');
      return leaseOperations.grantLease(this.tables, context, debtorId, agentId, now);
    });
  }

  async expireLeases(now: Date): Promise<number> {
    return this.write((context) => leaseOperations.expireDueLeases(this.tables, context, now));
  }

  async renewLeases(agentId: string, now: Date): Promise<number> {
    return this.write((context) => leaseOperations.renewLeases(this.tables, context, agentId, now));
  }

  async activeLease(debtorId: string, now: Date): Promise<LeaseRecord | null> {
    const open = this.tables.leases.openLease(debtorId);
    return open && open.expiresAt > now.toISOString() ? open : null;
  }

  async leaseHistory(debtorId: string): Promise<LeaseRecord[]> {
    return this.tables.leases.historyOf(debtorId);
  }

  async listActiveLeases(now: Date, agentId?: string): Promise<LeaseRecord[]> {
    return agentId === undefined ? this.tables.leases.allActive(now) : this.tables.leases.activeOf(agentId, now);
  }

  async publishContent(items: readonly PublishedContent[], now: Date): Promise<string[]> {
    return this.write((context) => {
      const published: string[] = [];
      for (const item of items) {
        const sha256 = createHash('sha256').update(JSON.stringify(item.entry)).digest('hex');
        if (this.tables.content.publishedHash(item.key) === sha256) continue;
        const seq = this.tables.changes.append(context, null, item.entry, now);
        this.tables.content.record(item.key, sha256, item.version, seq, now);
        published.push(item.key);
      }
      return published;
    });
  }

  async pullFeed(agentId: string, after: number, limit: number): Promise<FeedPage> {
    return this.tables.changes.pull(agentId, after, limit);
  }

  async countChanges(): Promise<number> {
    return this.tables.changes.total();
  }

  async ingestEvent(event: SyncEvent, context: IngestContext): Promise<IngestOutcome> {
    return this.write((writeContext) => ingestEvent(this.tables, writeContext, event, context));
  }

  async rejectEvent(input: RejectedEventInput): Promise<void> {
    this.tables.events.reject(input);
  }

  async countEvents(): Promise<number> {
    return this.tables.events.total();
  }

  async countRejectedEvents(): Promise<number> {
    return this.tables.events.totalRejected();
  }

  async listRejectedEvents(): Promise<RejectedEventRecord[]> {
    return this.tables.events.listRejected();
  }

  async findInteractions(debtorId: string): Promise<InteractionRecorded[]> {
    return this.tables.events.interactions(debtorId);
  }

  async findLedger(debtorId: string): Promise<LedgerEntry[]> {
    return this.tables.events.ledger(debtorId);
  }

  async workstationConnected(workstationId: string, agentId: string, now: Date): Promise<void> {
    this.tables.workstations.connected(workstationId, agentId, now);
  }

  async workstationDisconnected(workstationId: string, now: Date): Promise<void> {
    this.tables.workstations.disconnected(workstationId, now);
  }

  async recordWorkstationState(workstationId: string, state: WorkstationState, now: Date): Promise<void> {
    this.tables.workstations.reportState(workstationId, JSON.stringify(state), now);
  }

  async listWorkstations(): Promise<WorkstationRecord[]> {
    return this.tables.workstations.list();
  }
}
