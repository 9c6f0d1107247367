/** The `schedule_requests` table: every R9 request received, by the person's document, with its history. */
import { toBogotaIso } from '@gestiona/core/format';
import type { DocType, PersonScheduleRequest } from '@gestiona/core/domain';
import type { SqlConnection } from '../store/sql.ts';
import type { ParsedScheduleRequest, RequestWindow, StoredScheduleRequest } from './types.ts';

interface RequestRow {
  id: number;
  doc_type: DocType;
  doc_number: string;
  windows: string;
  requested_on: string;
  contract_signed_on: string;
  evidence: string;
  consumer_initiated: number;
  file_name: string;
  line: number;
  imported_by: string | null;
  received_at: string;
  replaced_at: string | null;
}

export class ScheduleRequestsTable {
  constructor(private readonly sql: SqlConnection) {}

  /** Returns the person's current request as the feed carries it, or null when none was received. */
  async current(docType: DocType, docNumber: string): Promise<PersonScheduleRequest | null> {
    const row = await this.sql.get<RequestRow>('SELECT * FROM schedule_requests WHERE doc_type = ? AND doc_number = ? AND replaced_at IS NULL', [
      docType,
      docNumber,
    ]);
    return row === undefined ? null : toPersonRequest(row);
  }

  /**
   * Returns the request that was the person's current one at `at`: received by then and not yet
   * replaced. The server re-evaluates a contact with it, because the workstation could have no later one.
   */
  async currentAt(docType: DocType, docNumber: string, at: Date): Promise<PersonScheduleRequest | null> {
    const instant = at.toISOString();
    const row = await this.sql.get<RequestRow>(
      `SELECT * FROM schedule_requests WHERE doc_type = ? AND doc_number = ? AND received_at <= ? AND (replaced_at IS NULL OR replaced_at > ?)
       ORDER BY id DESC LIMIT 1`,
      [docType, docNumber, instant, instant],
    );
    return row === undefined ? null : toPersonRequest(row);
  }

  /** Returns every request of the person, oldest first. */
  async history(docType: DocType, docNumber: string): Promise<StoredScheduleRequest[]> {
    const rows = await this.sql.all<RequestRow>('SELECT * FROM schedule_requests WHERE doc_type = ? AND doc_number = ? ORDER BY id', [docType, docNumber]);
    return rows.map((row) => ({
      ...toPersonRequest(row),
      id: row.id,
      docType: row.doc_type,
      docNumber: row.doc_number,
      fileName: row.file_name,
      line: row.line,
      importedBy: row.imported_by,
      replacedAt: row.replaced_at === null ? null : toBogotaIso(row.replaced_at),
    }));
  }

  /** Stores a request as the person's current one; returns whether it replaced an earlier one. */
  async replace(request: ParsedScheduleRequest, file: { fileName: string; sha256: string; importedBy: string | null }, now: Date): Promise<boolean> {
    const at = now.toISOString();
    const replaced = await this.sql.run('UPDATE schedule_requests SET replaced_at = ? WHERE doc_type = ? AND doc_number = ? AND replaced_at IS NULL', [
      at,
      request.docType,
      request.docNumber,
    ]);
    await this.sql.run(
      `INSERT INTO schedule_requests (doc_type, doc_number, windows, requested_on, contract_signed_on, evidence, consumer_initiated,
                                      file_name, sha256, line, imported_by, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        request.docType,
        request.docNumber,
        JSON.stringify(request.window),
        request.requestedOn,
        request.contractSignedOn,
        request.evidence,
        request.consumerInitiated ? 1 : 0,
        file.fileName,
        file.sha256,
        request.line,
        file.importedBy,
        at,
      ],
    );
    return replaced > 0;
  }
}

function toPersonRequest(row: RequestRow): PersonScheduleRequest {
  return {
    window: JSON.parse(row.windows) as RequestWindow[],
    requestedOn: row.requested_on,
    contractSignedOn: row.contract_signed_on,
    evidence: row.evidence,
    consumerInitiated: row.consumer_initiated === 1,
    receivedAt: toBogotaIso(row.received_at),
  };
}
