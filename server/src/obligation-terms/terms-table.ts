/** The creditor's R14 notices and R15 fee terms per obligation, and the record of each terms file. */
import type { CollectionFeeTerms } from '@gestiona/core/domain';
import type { SqlConnection } from '../store/sql.ts';
import type { ParsedTerms } from './parse-terms.ts';

interface TermsRow {
  obligation_id: string;
  first_notice_on: string | null;
  second_notice_on: string | null;
  fee_basis_points: number | null;
  fee_disclosed: number | null;
  in_litigation: number | null;
}

/** One obligation's terms as stored, in the snapshot's shape. */
export interface StoredObligationTerms {
  creditReportNotices: string[];
  collectionFeeTerms: CollectionFeeTerms | null;
}

export class ObligationTermsTable {
  constructor(private readonly sql: SqlConnection) {}

  /** Obligation id → debtor id, for the obligations of `ids` that exist. */
  async owners(ids: readonly string[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    for (const id of ids) {
      const row = await this.sql.get<{ debtor_id: string }>('SELECT debtor_id FROM obligations WHERE id = ?', [id]);
      if (row) owners.set(id, row.debtor_id);
    }
    return owners;
  }

  async recordImport(input: { fileName: string; sha256: string; obligations: number; importedBy: string | null; importedAt: Date }): Promise<number> {
    const row = await this.sql.get<{ id: number }>(
      'INSERT INTO obligation_terms_imports (file_name, sha256, obligations, imported_by, imported_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
      [input.fileName, input.sha256, input.obligations, input.importedBy, input.importedAt.toISOString()],
    );
    return Number(row!.id);
  }

  /** Replaces the obligation's terms with the file's; returns whether anything changed. */
  async save(terms: ParsedTerms, importId: number, now: Date): Promise<boolean> {
    const before = await this.get(terms.obligationId);
    const fee = terms.fee;
    await this.sql.run(
      `INSERT INTO obligation_terms (obligation_id, first_notice_on, second_notice_on, fee_basis_points, fee_disclosed, in_litigation, import_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (obligation_id) DO UPDATE SET first_notice_on = excluded.first_notice_on, second_notice_on = excluded.second_notice_on,
         fee_basis_points = excluded.fee_basis_points, fee_disclosed = excluded.fee_disclosed, in_litigation = excluded.in_litigation,
         import_id = excluded.import_id, updated_at = excluded.updated_at`,
      [
        terms.obligationId,
        terms.notices[0] ?? null,
        terms.notices[1] ?? null,
        fee?.basisPoints ?? null,
        fee === null ? null : Number(fee.disclosedToDebtor),
        fee === null ? null : Number(fee.inLitigation),
        importId,
        now.toISOString(),
      ],
    );
    const after = await this.get(terms.obligationId);
    return JSON.stringify(before) !== JSON.stringify(after);
  }

  /** Returns the terms of one obligation, with no notices and no fee terms when the creditor sent none. */
  async get(obligationId: string): Promise<StoredObligationTerms> {
    const row = await this.sql.get<TermsRow>('SELECT * FROM obligation_terms WHERE obligation_id = ?', [obligationId]);
    return row === undefined ? { creditReportNotices: [], collectionFeeTerms: null } : toStoredTerms(row);
  }

  /** Terms of every obligation of the debtor that has them, by obligation id. */
  async forDebtor(debtorId: string): Promise<Map<string, StoredObligationTerms>> {
    const rows = await this.sql.all<TermsRow>(
      `SELECT obligation_terms.* FROM obligation_terms JOIN obligations ON obligations.id = obligation_terms.obligation_id
       WHERE obligations.debtor_id = ?`,
      [debtorId],
    );
    return new Map(rows.map((row) => [row.obligation_id, toStoredTerms(row)]));
  }
}

function toStoredTerms(row: TermsRow): StoredObligationTerms {
  const notices = [row.first_notice_on, row.second_notice_on].filter((date): date is string => date !== null);
  const collectionFeeTerms =
    row.fee_basis_points === null
      ? null
      : { schedulePercent: Number(row.fee_basis_points) / 100, disclosedToDebtor: Number(row.fee_disclosed) === 1, inLitigation: Number(row.in_litigation) === 1 };
  return { creditReportNotices: notices, collectionFeeTerms };
}
