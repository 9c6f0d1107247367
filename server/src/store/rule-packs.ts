/** The history of published rule packs: every version, who published it, when and why. */
import { rulePackSchema, type RulePack } from '@gestiona/core/compliance/types';
import type { SqlConnection } from './sql.ts';
import type { RulePackRecord, RulePackSource } from './types.ts';

interface RulePackRow {
  id: number;
  version: string;
  pack: string;
  sha256: string;
  source: RulePackSource;
  published_by: string | null;
  username: string | null;
  full_name: string | null;
  published_at: string;
  reason: string | null;
  change_seq: number;
}

export interface NewRulePackRecord {
  version: string;
  /** The pack as JSON text, exactly as the feed entry carries it. */
  packJson: string;
  sha256: string;
  source: RulePackSource;
  publishedBy: string | null;
  publishedAt: Date;
  reason: string | null;
  changeSeq: number;
}

const SELECT_RECORD = `SELECT rule_packs.*, users.username, users.full_name
  FROM rule_packs LEFT JOIN users ON users.id = rule_packs.published_by`;

// Ingest looks up the pack in force for every event, and parsing and validating its JSON each time
// was a tenth of the sync flush. Published packs never change, so each text is parsed once; the
// result is frozen because every caller shares it.
const PARSED_PACK_LIMIT = 32;
const parsedPacks = new Map<string, RulePack>();

function parsePack(text: string): RulePack {
  const cached = parsedPacks.get(text);
  if (cached !== undefined) return cached;
  const pack = deepFreeze(rulePackSchema.parse(JSON.parse(text)));
  if (parsedPacks.size >= PARSED_PACK_LIMIT) parsedPacks.clear();
  parsedPacks.set(text, pack);
  return pack;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function toRecord(row: RulePackRow): RulePackRecord {
  return {
    id: row.id,
    version: row.version,
    pack: parsePack(row.pack),
    sha256: row.sha256,
    source: row.source,
    publishedBy: row.published_by === null ? null : { id: row.published_by, username: row.username ?? row.published_by, fullName: row.full_name ?? row.published_by },
    publishedAt: row.published_at,
    reason: row.reason,
    changeSeq: row.change_seq,
  };
}

export class RulePacksTable {
  constructor(private readonly sql: SqlConnection) {}

  async insert(record: NewRulePackRecord): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO rule_packs (version, pack, sha256, source, published_by, published_at, reason, change_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        record.version,
        record.packJson,
        record.sha256,
        record.source,
        record.publishedBy,
        record.publishedAt.toISOString(),
        record.reason,
        record.changeSeq,
      ],
    );
    return row!.id;
  }

  /** Newest first, by publication order. */
  async list(limit?: number): Promise<RulePackRecord[]> {
    const rows = await this.sql.all<RulePackRow>(`${SELECT_RECORD} ORDER BY rule_packs.id DESC${limit === undefined ? '' : ' LIMIT ?'}`, limit === undefined ? [] : [limit]);
    return rows.map(toRecord);
  }

  /** Returns the last published pack, or null before the first publication. */
  async current(): Promise<RulePackRecord | null> {
    return (await this.list(1))[0] ?? null;
  }

  /** Returns the hash of each earlier publication of a version, to reject reusing the version with other content. */
  async hashesOfVersion(version: string): Promise<{ sha256: string; publishedAt: string }[]> {
    return this.sql.all<{ sha256: string; publishedAt: string }>('SELECT sha256, published_at AS "publishedAt" FROM rule_packs WHERE version = ? ORDER BY id', [version]);
  }

  /** Returns the most recent publication by an administrator, or null while only the resources file has published. */
  async latestAdminPublication(): Promise<RulePackRecord | null> {
    const row = await this.sql.get<RulePackRow>(`${SELECT_RECORD} WHERE rule_packs.source = 'admin' ORDER BY rule_packs.id DESC LIMIT 1`);
    return row === undefined ? null : toRecord(row);
  }

  /**
   * Returns the pack in force at an instant: the last one published at or before it. An instant
   * before the first publication gets the first pack, because a workstation that had not synced
   * yet used the shipped default, which is the resources file the server published first.
   */
  async inForceAt(at: Date): Promise<RulePackRecord | null> {
    const row =
      (await this.sql.get<RulePackRow>(`${SELECT_RECORD} WHERE rule_packs.published_at <= ? ORDER BY rule_packs.published_at DESC, rule_packs.id DESC LIMIT 1`, [
        at.toISOString(),
      ])) ?? (await this.sql.get<RulePackRow>(`${SELECT_RECORD} ORDER BY rule_packs.published_at, rule_packs.id LIMIT 1`));
    return row === undefined ? null : toRecord(row);
  }

  /** Returns whether the user exists, is active and is an administrator. */
  async isActiveAdmin(userId: string): Promise<boolean> {
    const row = await this.sql.get<{ role: string; active: number }>('SELECT role, active FROM users WHERE id = ?', [userId]);
    return row !== undefined && row.role === 'admin' && row.active === 1;
  }
}
