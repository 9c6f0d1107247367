/**
 * Stores a validated schedule request file in one transaction. Each request becomes its person's
 * current one, the earlier one is kept as history, and every debtor file that names the person is
 * sent again to the agent who has its lease, so the workstation applies the new hours at once.
 */
import { PortfolioImportError, ProblemList } from '../import/problems.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import { REQUEST_COLUMNS } from './columns.ts';
import type { ParsedScheduleRequestFile, ScheduleRequestFileInput, ScheduleRequestImportSummary } from './types.ts';

export async function saveScheduleRequests(
  tables: Tables,
  context: WriteContext,
  parsed: ParsedScheduleRequestFile,
  file: ScheduleRequestFileInput & { sha256: string },
): Promise<ScheduleRequestImportSummary> {
  const problems = new ProblemList();
  const debtorsByRequest: string[][] = [];
  for (const request of parsed.requests) {
    const debtorIds = await tables.debtors.debtorsOfPerson(request.docType, request.docNumber);
    if (debtorIds.length === 0) {
      problems.add({
        line: request.line,
        column: REQUEST_COLUMNS.docNumber,
        value: request.docNumber,
        message: `no es titular ni codeudor en ninguna cartera importada (${request.docType} ${request.docNumber}). Revise el documento o importe primero la cartera de esa persona.`,
      });
    }
    debtorsByRequest.push(debtorIds);
  }
  if (!problems.empty) throw new PortfolioImportError(file.fileName, problems.problems, problems.total);

  const now = file.now;
  let replaced = 0;
  for (const request of parsed.requests) {
    if (await tables.debtors.scheduleRequests.replace(request, { fileName: file.fileName, sha256: file.sha256, importedBy: file.importedBy ?? null }, now)) {
      replaced += 1;
    }
  }

  let debtorsUpdated = 0;
  for (const debtorId of new Set(debtorsByRequest.flat())) {
    const lease = await tables.leases.openLease(debtorId);
    if (!lease || lease.expiresAt <= now.toISOString()) continue;
    const snapshot = await tables.debtors.snapshot(debtorId, new Date(lease.expiresAt));
    if (!snapshot) continue;
    await tables.changes.append(context, lease.agentId, { type: 'debtor.upsert', payload: snapshot }, now);
    debtorsUpdated += 1;
  }

  return {
    fileName: file.fileName,
    sha256: file.sha256,
    encoding: parsed.encoding,
    rows: parsed.rows,
    requests: parsed.requests.length,
    replaced,
    debtorsUpdated,
  };
}
