/** Hashes of the content last published to the feed from the resources folder, by key. */
import type { SqlConnection } from './sql.ts';

export class PublishedContentTable {
  constructor(private readonly sql: SqlConnection) {}

  async publishedHash(key: string): Promise<string | null> {
    const row = await this.sql.get<{ sha256: string }>('SELECT sha256 FROM published_content WHERE key = ?', [key]);
    return row?.sha256 ?? null;
  }

  async record(key: string, sha256: string, version: string, changeSeq: number, now: Date): Promise<void> {
    await this.sql.run(
      `INSERT INTO published_content (key, sha256, version, change_seq, published_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET sha256 = excluded.sha256, version = excluded.version,
         change_seq = excluded.change_seq, published_at = excluded.published_at`,
      [key, sha256, version, changeSeq, now.toISOString()],
    );
  }
}
