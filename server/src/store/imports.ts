/** One row per imported file: name, content hash, counts, who and when. */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.ts';
import type { ImportRecord } from './types.ts';

export class ImportsTable {
  private readonly insert: Statement<[string, string, number, number, number, number, string | null, string]>;
  private readonly all: Statement<[], { id: number; file_name: string; sha256: string; debtors: number; obligations: number; imported_by: string | null; imported_at: string }>;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(
      `INSERT INTO imports (file_name, sha256, debtors, debtors_created, obligations, obligations_created, imported_by, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.all = db.prepare('SELECT * FROM imports ORDER BY id');
  }

  record(input: {
    fileName: string;
    sha256: string;
    debtors: number;
    debtorsCreated: number;
    obligations: number;
    obligationsCreated: number;
    importedBy: string | null;
    importedAt: Date;
  }): number {
    const result = this.insert.run(
      input.fileName,
      input.sha256,
      input.debtors,
      input.debtorsCreated,
      input.obligations,
      input.obligationsCreated,
      input.importedBy,
      input.importedAt.toISOString(),
    );
    return Number(result.lastInsertRowid);
  }

  list(): ImportRecord[] {
    return this.all.all().map((row) => ({
      id: row.id,
      fileName: row.file_name,
      sha256: row.sha256,
      debtors: row.debtors,
      obligations: row.obligations,
      importedBy: row.imported_by,
      importedAt: row.imported_at,
    }));
  }
}
