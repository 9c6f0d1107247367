/**
 * Stores an obligation-terms file in one transaction: every obligation must already be in the
 * portfolio, or nothing is stored. The holder of a leased debtor whose terms changed gets the
 * debtor again, so the workstation locks or unlocks the report step and the fees at once.
 */
import { PortfolioImportError, ProblemList } from '../import/problems.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import { TERMS_COLUMNS } from './columns.ts';
import type { ParsedTerms } from './parse-terms.ts';

export interface TermsFileInput {
  fileName: string;
  bytes: Uint8Array;
  /** Creditor for rows without `entidad`. */
  creditor?: string | null;
  /** Importer of the file (a username, or `cli:<os user>`). */
  importedBy?: string | null;
  now: Date;
}

export interface TermsImportSummary {
  importId: number;
  fileName: string;
  sha256: string;
  encoding: 'utf-8' | 'windows-1252' | 'xlsx';
  obligations: number;
  /** Obligations whose stored terms differ from before the import. */
  changed: number;
  withNotice: number;
  withFeeSchedule: number;
  /** Leased debtors whose holder was sent the updated debtor. */
  debtorsResent: number;
}

export async function saveObligationTerms(
  tables: Tables,
  context: WriteContext,
  terms: readonly ParsedTerms[],
  file: TermsFileInput & { sha256: string; encoding: TermsImportSummary['encoding'] },
): Promise<TermsImportSummary> {
  const owners = await tables.obligationTerms.owners(terms.map((entry) => entry.obligationId));
  rejectUnknownObligations(terms, owners, file.fileName);

  const now = file.now;
  const importId = await tables.obligationTerms.recordImport({
    fileName: file.fileName,
    sha256: file.sha256,
    obligations: terms.length,
    importedBy: file.importedBy ?? null,
    importedAt: now,
  });

  const changedDebtors = new Set<string>();
  let changed = 0;
  for (const entry of terms) {
    if (await tables.obligationTerms.save(entry, importId, now)) {
      changed += 1;
      changedDebtors.add(owners.get(entry.obligationId)!);
    }
  }

  let debtorsResent = 0;
  for (const debtorId of [...changedDebtors].sort()) {
    const lease = await tables.leases.openLease(debtorId);
    if (!lease || lease.expiresAt <= now.toISOString()) continue;
    const snapshot = await tables.debtors.snapshot(debtorId, new Date(lease.expiresAt));
    if (!snapshot) continue;
    await tables.changes.append(context, lease.agentId, { type: 'debtor.upsert', payload: snapshot }, now);
    debtorsResent += 1;
  }

  return {
    importId,
    fileName: file.fileName,
    sha256: file.sha256,
    encoding: file.encoding,
    obligations: terms.length,
    changed,
    withNotice: terms.filter((entry) => entry.notices.length > 0).length,
    withFeeSchedule: terms.filter((entry) => entry.fee !== null).length,
    debtorsResent,
  };
}

function rejectUnknownObligations(terms: readonly ParsedTerms[], owners: ReadonlyMap<string, string>, fileName: string): void {
  const problems = new ProblemList();
  for (const entry of terms) {
    if (owners.has(entry.obligationId)) continue;
    problems.add({
      line: entry.line,
      column: TERMS_COLUMNS.obligationNumber,
      value: entry.number,
      message: `no existe en la cartera de ${entry.creditor}. Revise el número y la entidad, o importe primero la cartera que trae esa obligación.`,
    });
  }
  if (!problems.empty) throw new PortfolioImportError(fileName, problems.problems, problems.total);
}
