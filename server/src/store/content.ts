/** Hashes of the content last published to the feed from the resources folder, by key. */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';

export class PublishedContentTable {
  private readonly get: Statement<[string], { sha256: string }>;
  private readonly upsert: Statement<[string, string, string, number, string]>;

  constructor(db: SqliteDatabase) {
    this.get = db.prepare('SELECT sha256 FROM published_content WHERE key = ?');
    this.upsert = db.prepare(
      `INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET sha256 = excluded.sha256, version = excluded.version,
         change_seq = excluded.change_seq, published_at = excluded.published_at`,
    );
  }

  publishedHash(key: string): string | null {
    return this.get.get(key)?.sha256 ?? null;
  }

  record(key: string, sha256: string, version: string, changeSeq: number, now: Date): void {
    this.upsert.run(key, sha256, version, changeSeq, now.toISOString());
  }
}
