/** One row per imported file: name, content hash, counts, who and when. */
import type { SqlConnection } from './sql.ts';
import type { ImportRecord } from './types.ts';

interface ImportRow {
  id: number;
  file_name: string;
  sha256: string;
  debtors: number;
  obligations: number;
  imported_by: string | null;
  imported_at: string;
}

export class ImportsTable {
  constructor(private readonly sql: SqlConnection) {}

  async record(input: {
    fileName: string;
    sha256: string;
    debtors: number;
    debtorsCreated: number;
    obligations: number;
    obligationsCreated: number;
    importedBy: string | null;
    importedAt: Date;
  }): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      `INSERT INTO imports (file_name, sha256, debtors, debtors_created, obligations, obligations_created, imported_by, imported_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        input.fileName,
        input.sha256,
        input.debtors,
        input.debtorsCreated,
        input.obligations,
        input.obligationsCreated,
        input.importedBy,
        input.importedAt.toISOString(),
      ],
    );
    return row!.id;
  }

  async list(): Promise<ImportRecord[]> {
    const rows = await this.sql.all<ImportRow>('SELECT * FROM imports ORDER BY id');
    return rows.map((row) => ({
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
