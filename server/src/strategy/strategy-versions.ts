/** The history of published strategy sets: every version, who published it, when, why and how many debtors moved. */
import { strategySetSchema } from '@gestiona/core/strategy/schema';
import type { SqlConnection } from '../store/sql.ts';
import type { StrategyRecord, StrategySource } from './types.ts';

interface StrategyRow {
  id: number | string;
  version: string;
  strategy: string;
  sha256: string;
  source: StrategySource;
  published_by: string | null;
  username: string | null;
  full_name: string | null;
  published_at: string;
  reason: string | null;
  change_seq: number | string;
  debtors: number | string;
  moved: number | string;
}

export interface NewStrategyRecord {
  version: string;
  strategyJson: string;
  sha256: string;
  source: StrategySource;
  publishedBy: string | null;
  publishedAt: Date;
  reason: string | null;
  changeSeq: number;
  debtors: number;
  moved: number;
}

const SELECT_RECORD = `SELECT strategy_versions.*, users.username, users.full_name
  FROM strategy_versions LEFT JOIN users ON users.id = strategy_versions.published_by`;

function toRecord(row: StrategyRow): StrategyRecord {
  return {
    id: Number(row.id),
    version: row.version,
    strategy: strategySetSchema.parse(JSON.parse(row.strategy)),
    sha256: row.sha256,
    source: row.source,
    publishedBy: row.published_by === null ? null : { id: row.published_by, username: row.username ?? row.published_by, fullName: row.full_name ?? row.published_by },
    publishedAt: row.published_at,
    reason: row.reason,
    changeSeq: Number(row.change_seq),
    debtors: Number(row.debtors),
    moved: Number(row.moved),
  };
}

export class StrategyVersionsTable {
  constructor(private readonly sql: SqlConnection) {}

  async insert(record: NewStrategyRecord): Promise<void> {
    await this.sql.run(
      `INSERT INTO strategy_versions (version, strategy, sha256, source, published_by, published_at, reason, change_seq, debtors, moved)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        record.version,
        record.strategyJson,
        record.sha256,
        record.source,
        record.publishedBy,
        record.publishedAt.toISOString(),
        record.reason,
        record.changeSeq,
        record.debtors,
        record.moved,
      ],
    );
  }

  /** Newest first, by publication order. */
  async list(limit?: number): Promise<StrategyRecord[]> {
    const rows = await this.sql.all<StrategyRow>(`${SELECT_RECORD} ORDER BY strategy_versions.id DESC${limit === undefined ? '' : ' LIMIT ?'}`, limit === undefined ? [] : [limit]);
    return rows.map(toRecord);
  }

  /** Returns the set in force, or null before the first publication. */
  async current(): Promise<StrategyRecord | null> {
    return (await this.list(1))[0] ?? null;
  }

  async hashesOfVersion(version: string): Promise<{ sha256: string; publishedAt: string }[]> {
    return this.sql.all<{ sha256: string; publishedAt: string }>('SELECT sha256, published_at AS "publishedAt" FROM strategy_versions WHERE version = ? ORDER BY id', [version]);
  }

  async hasAdminPublication(): Promise<boolean> {
    return (await this.sql.get("SELECT id FROM strategy_versions WHERE source = 'admin' LIMIT 1")) !== undefined;
  }
}
