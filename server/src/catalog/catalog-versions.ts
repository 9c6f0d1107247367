/** The history of published typification catalogs: every version, who published it, when and why. */
import { catalogSchema } from '@gestiona/core/catalog';
import type { SqlConnection } from '../store/sql.ts';
import type { CatalogSource, CatalogVersionRecord } from './types.ts';

interface CatalogVersionRow {
  id: number;
  version: string;
  catalog: string;
  sha256: string;
  source: CatalogSource;
  published_by: string | null;
  username: string | null;
  full_name: string | null;
  published_at: string;
  reason: string | null;
  change_seq: number;
}

export interface NewCatalogVersion {
  version: string;
  /** The catalog as JSON text, exactly as the feed entry carries it. */
  catalogJson: string;
  sha256: string;
  source: CatalogSource;
  publishedBy: string | null;
  publishedAt: Date;
  reason: string | null;
  changeSeq: number;
}

const SELECT_RECORD = `SELECT catalog_versions.*, users.username, users.full_name
  FROM catalog_versions LEFT JOIN users ON users.id = catalog_versions.published_by`;

function toRecord(row: CatalogVersionRow): CatalogVersionRecord {
  return {
    id: Number(row.id),
    version: row.version,
    catalog: catalogSchema.parse(JSON.parse(row.catalog)),
    sha256: row.sha256,
    source: row.source,
    publishedBy: row.published_by === null ? null : { id: row.published_by, username: row.username ?? row.published_by, fullName: row.full_name ?? row.published_by },
    publishedAt: row.published_at,
    reason: row.reason,
    changeSeq: Number(row.change_seq),
  };
}

export class CatalogVersionsTable {
  constructor(private readonly sql: SqlConnection) {}

  async insert(record: NewCatalogVersion): Promise<void> {
    await this.sql.run(
      `INSERT INTO catalog_versions (version, catalog, sha256, source, published_by, published_at, reason, change_seq)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [record.version, record.catalogJson, record.sha256, record.source, record.publishedBy, record.publishedAt.toISOString(), record.reason, record.changeSeq],
    );
  }

  /** Newest first, by publication order. */
  async list(limit?: number): Promise<CatalogVersionRecord[]> {
    const rows = await this.sql.all<CatalogVersionRow>(
      `${SELECT_RECORD} ORDER BY catalog_versions.id DESC${limit === undefined ? '' : ' LIMIT ?'}`,
      limit === undefined ? [] : [limit],
    );
    return rows.map(toRecord);
  }

  async current(): Promise<CatalogVersionRecord | null> {
    return (await this.list(1))[0] ?? null;
  }

  async hashesOfVersion(version: string): Promise<{ sha256: string; publishedAt: string }[]> {
    return this.sql.all<{ sha256: string; publishedAt: string }>(
      'SELECT sha256, published_at AS "publishedAt" FROM catalog_versions WHERE version = ? ORDER BY id',
      [version],
    );
  }

  async hasAdminPublication(): Promise<boolean> {
    return (await this.sql.get<{ id: number }>("SELECT id FROM catalog_versions WHERE source = 'admin' LIMIT 1")) !== undefined;
  }
}
