/** Stores a validated portfolio in one transaction, so a failed file leaves the database as it was. */
import { COLUMNS } from '../import/columns.ts';
import { PortfolioImportError, ProblemList } from '../import/problems.ts';
import type { ParsedPortfolio } from '../import/types.ts';
import { resegmentDebtors, strategySetInForce } from '../strategy/resegment.ts';
import type { SqlConnection } from './sql.ts';
import type { Tables } from './tables.ts';
import type { ImportSummary, PortfolioFileInput } from './types.ts';
import type { WriteContext } from './write-context.ts';

export async function savePortfolio(
  sql: SqlConnection,
  tables: Tables,
  context: WriteContext,
  portfolio: ParsedPortfolio,
  file: PortfolioFileInput & { sha256: string },
): Promise<ImportSummary> {
  await rejectForeignObligations(tables, portfolio, file.fileName);

  const now = file.now;
  let debtorsCreated = 0;
  let obligations = 0;
  let obligationsCreated = 0;

  for (const debtor of portfolio.debtors) {
    const saved = await tables.debtors.save(debtor, now);
    if (saved.created) debtorsCreated += 1;
    obligations += debtor.obligations.length;
    obligationsCreated += saved.obligationsCreated;
  }

  // The published strategy places the file's debtors; the snapshots below carry the result.
  const set = await strategySetInForce(sql);
  const resegmented = await resegmentDebtors(
    sql,
    tables,
    context,
    portfolio.debtors.map((debtor) => debtor.id),
    now,
    { set, emit: false },
  );
  // Every segment of the strategy, in its order, zero included.
  const bySegment: Record<string, number> = Object.fromEntries(set.segments.map((segment) => [segment.id, resegmented.bySegment.get(segment.id) ?? 0]));

  for (const debtor of portfolio.debtors) {
    // The holder works from the snapshot it has, so a changed debtor is sent again under the same lease.
    const lease = await tables.leases.openLease(debtor.id);
    if (lease && lease.expiresAt > now.toISOString()) {
      const snapshot = await tables.debtors.snapshot(debtor.id, new Date(lease.expiresAt));
      if (snapshot) await tables.changes.append(context, lease.agentId, { type: 'debtor.upsert', payload: snapshot }, now);
    }
  }

  const importId = await tables.imports.record({
    fileName: file.fileName,
    sha256: file.sha256,
    debtors: portfolio.debtors.length,
    debtorsCreated,
    obligations,
    obligationsCreated,
    importedBy: file.importedBy ?? null,
    importedAt: now,
  });

  return {
    importId,
    fileName: file.fileName,
    sha256: file.sha256,
    encoding: portfolio.encoding,
    rows: portfolio.rows,
    debtors: portfolio.debtors.length,
    debtorsCreated,
    obligations,
    obligationsCreated,
    bySegment,
  };
}

/** Rejects a file that moves a creditor's obligation number to another debtor, because the number belongs to one debtor. */
async function rejectForeignObligations(tables: Tables, portfolio: ParsedPortfolio, fileName: string): Promise<void> {
  const problems = new ProblemList();
  for (const debtor of portfolio.debtors) {
    for (const obligation of debtor.obligations) {
      const owner = await tables.debtors.obligationOwnerOf(obligation.creditor, obligation.number);
      if (owner === null || owner === debtor.id) continue;
      problems.add({
        line: obligation.line,
        column: COLUMNS.obligationNumber,
        value: obligation.number,
        message: `ya está cargada para otro deudor (${owner}) de ${obligation.creditor}. Revise el documento del titular de esa obligación.`,
      });
    }
  }
  if (!problems.empty) throw new PortfolioImportError(fileName, problems.problems, problems.total);
}
