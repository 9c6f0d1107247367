/** The history of published call scripts: every version of every script, who published it, when and why. */
import { scriptSchema } from '@gestiona/core/script';
import type { SqlConnection } from '../store/sql.ts';
import type { ScriptSource, ScriptVersionRecord } from './types.ts';

interface ScriptVersionRow {
  id: number;
  script_id: string;
  version: string;
  script: string;
  sha256: string;
  source: ScriptSource;
  published_by: string | null;
  username: string | null;
  full_name: string | null;
  published_at: string;
  reason: string | null;
  change_seq: number;
}

export interface NewScriptVersion {
  scriptId: string;
  version: string;
  /** The script as JSON text, exactly as the feed entry carries it. */
  scriptJson: string;
  sha256: string;
  source: ScriptSource;
  publishedBy: string | null;
  publishedAt: Date;
  reason: string | null;
  changeSeq: number;
}

const SELECT_RECORD = `SELECT script_versions.*, users.username, users.full_name
  FROM script_versions LEFT JOIN users ON users.id = script_versions.published_by`;

function toRecord(row: ScriptVersionRow): ScriptVersionRecord {
  return {
    id: Number(row.id),
    scriptId: row.script_id,
    version: row.version,
    script: scriptSchema.parse(JSON.parse(row.script)),
    sha256: row.sha256,
    source: row.source,
    publishedBy: row.published_by === null ? null : { id: row.published_by, username: row.username ?? row.published_by, fullName: row.full_name ?? row.published_by },
    publishedAt: new Date(row.published_at).toISOString(),
    reason: row.reason,
    changeSeq: Number(row.change_seq),
  };
}

export class ScriptVersionsTable {
  constructor(private readonly sql: SqlConnection) {}

  async insert(record: NewScriptVersion): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO script_versions (script_id, version, script, sha256, source, published_by, published_at, reason, change_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [record.scriptId, record.version, record.scriptJson, record.sha256, record.source, record.publishedBy, record.publishedAt.toISOString(), record.reason, record.changeSeq],
    );
    return Number(row!.id);
  }

  /** Returns one script's publications, newest first. */
  async history(scriptId: string): Promise<ScriptVersionRecord[]> {
    const rows = await this.sql.all<ScriptVersionRow>(`${SELECT_RECORD} WHERE script_versions.script_id = ? ORDER BY script_versions.id DESC`, [scriptId]);
    return rows.map(toRecord);
  }

  /** Returns the last publication of each script, by script id. */
  async currentAll(): Promise<ScriptVersionRecord[]> {
    const rows = await this.sql.all<ScriptVersionRow>(
      `${SELECT_RECORD} WHERE script_versions.id IN (SELECT MAX(id) FROM script_versions GROUP BY script_id) ORDER BY script_versions.script_id`,
    );
    return rows.map(toRecord);
  }

  async current(scriptId: string): Promise<ScriptVersionRecord | null> {
    const row = await this.sql.get<ScriptVersionRow>(`${SELECT_RECORD} WHERE script_versions.script_id = ? ORDER BY script_versions.id DESC LIMIT 1`, [scriptId]);
    return row === undefined ? null : toRecord(row);
  }

  /** A given version of a script (its last publication), or null. */
  async byVersion(scriptId: string, version: string): Promise<ScriptVersionRecord | null> {
    const row = await this.sql.get<ScriptVersionRow>(
      `${SELECT_RECORD} WHERE script_versions.script_id = ? AND script_versions.version = ? ORDER BY script_versions.id DESC LIMIT 1`,
      [scriptId, version],
    );
    return row === undefined ? null : toRecord(row);
  }

  /** Each earlier publication's hash of a script version, to reject reusing the version with other content. */
  async hashesOfVersion(scriptId: string, version: string): Promise<{ sha256: string; publishedAt: string }[]> {
    return this.sql.all<{ sha256: string; publishedAt: string }>(
      'SELECT sha256, published_at AS "publishedAt" FROM script_versions WHERE script_id = ? AND version = ? ORDER BY id',
      [scriptId, version],
    );
  }

  /** Tells whether an administrator has ever published this script, after which the resources file no longer publishes it. */
  async hasAdminPublication(scriptId: string): Promise<boolean> {
    const row = await this.sql.get<{ id: number }>("SELECT id FROM script_versions WHERE script_id = ? AND source = 'admin' LIMIT 1", [scriptId]);
    return row !== undefined;
  }
}
