/**
 * Stores a payments file in one transaction and reconciles it with the promises: every obligation
 * must be in the portfolio and belong to the document given, or nothing is stored. A reference
 * the creditor sent before is skipped as a duplicate, so importing the same file again changes
 * nothing.
 */
import { PortfolioImportError, ProblemList } from '../import/problems.ts';
import type { Logger } from '../logger.ts';
import { reconcileDebtors } from '../promises/reconcile.ts';
import type { PromiseStatus, UnmatchedReason } from '../promises/rules.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import { PAYMENT_COLUMNS } from './columns.ts';
import type { ParsedPayment } from './parse-payments.ts';

export interface PaymentsFileInput {
  fileName: string;
  bytes: Uint8Array;
  /** Creditor for rows without `entidad`. */
  creditor?: string | null;
  /** Importer of the file (a username, or `cli:<os user>`). */
  importedBy?: string | null;
  now: Date;
}

export interface PaymentsImportSummary {
  importId: number;
  fileName: string;
  sha256: string;
  encoding: 'utf-8' | 'windows-1252' | 'xlsx';
  /** Data rows in the file. */
  rows: number;
  stored: number;
  /** Rows whose reference was imported before, skipped. */
  duplicates: number;
  storedCents: number;
  /** Stored payments that counted toward a promise. */
  matched: number;
  /** Stored payments that counted toward none, by reason. */
  unmatched: Record<UnmatchedReason, number>;
  /** Paid above what the matched promises were owed. */
  excessCents: number;
  /** Promises whose status changed, by their new status. */
  promisesChanged: Record<PromiseStatus, number>;
  /** Feed entries sent to the debtors' lease holders. */
  feedEntries: number;
}

export async function savePayments(
  tables: Tables,
  context: WriteContext,
  payments: readonly ParsedPayment[],
  file: PaymentsFileInput & { sha256: string; encoding: PaymentsImportSummary['encoding'] },
  logger?: Logger,
): Promise<PaymentsImportSummary> {
  const owners = await tables.obligationTerms.owners(payments.map((payment) => payment.obligationId));
  rejectUnknownObligations(payments, owners, file.fileName);

  const fresh: ParsedPayment[] = [];
  for (const payment of payments) {
    if (!(await tables.promises.hasReference(payment.creditor, payment.reference))) fresh.push(payment);
  }
  const now = file.now;
  const importId = await tables.promises.recordImport({
    fileName: file.fileName,
    sha256: file.sha256,
    rowsRead: payments.length,
    stored: fresh.length,
    duplicates: payments.length - fresh.length,
    importedBy: file.importedBy ?? null,
    importedAt: now,
  });

  const newPaymentIds = new Set<string>();
  for (const payment of fresh) {
    const id = await tables.promises.insertPayment({
      creditor: payment.creditor,
      reference: payment.reference,
      obligationId: payment.obligationId,
      debtorId: payment.debtorId,
      paidOn: payment.paidOn,
      amountCents: payment.amountCents,
      importId,
      line: payment.line,
      now,
    });
    newPaymentIds.add(id);
  }

  const reconciled = await reconcileDebtors(
    tables,
    context,
    fresh.map((payment) => payment.debtorId),
    { now, cause: 'payments-import', newPaymentIds, logger },
  );

  const unmatched: Record<UnmatchedReason, number> = { 'no-promise': 0, 'before-promise': 0, 'after-grace': 0 };
  let matched = 0;
  let excessCents = 0;
  for (const id of newPaymentIds) {
    const outcome = reconciled.payments.get(id)!;
    if (outcome.unmatched === null) matched += 1;
    else unmatched[outcome.unmatched] += 1;
    excessCents += outcome.excessCents;
  }

  return {
    importId,
    fileName: file.fileName,
    sha256: file.sha256,
    encoding: file.encoding,
    rows: payments.length,
    stored: fresh.length,
    duplicates: payments.length - fresh.length,
    storedCents: fresh.reduce((total, payment) => total + payment.amountCents, 0),
    matched,
    unmatched,
    excessCents,
    promisesChanged: reconciled.changed,
    feedEntries: reconciled.feedEntries,
  };
}

/** Rejects the file when an obligation is not in the portfolio, or belongs to another debtor than the document given. */
function rejectUnknownObligations(payments: readonly ParsedPayment[], owners: ReadonlyMap<string, string>, fileName: string): void {
  const problems = new ProblemList();
  for (const payment of payments) {
    const owner = owners.get(payment.obligationId);
    if (owner === undefined) {
      problems.add({
        line: payment.line,
        column: PAYMENT_COLUMNS.obligationNumber,
        value: payment.obligationNumber,
        message: `no existe en la cartera de ${payment.creditor}: obligación desconocida. Revise el número y la entidad, o importe primero la cartera que trae esa obligación.`,
      });
    } else if (owner !== payment.debtorId) {
      problems.add({
        line: payment.line,
        column: PAYMENT_COLUMNS.docNumber,
        value: payment.docNumber,
        message: `no es el titular de la obligación ${payment.obligationNumber} de ${payment.creditor}. Revise el documento o el número de la obligación.`,
      });
    }
  }
  if (!problems.empty) throw new PortfolioImportError(fileName, problems.problems, problems.total);
}
