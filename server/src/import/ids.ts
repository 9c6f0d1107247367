/**
 * Stable ids for what an import creates, so that a re-import of the same debtor updates rows in
 * place and keeps what work on them added (flags, revocations, ledger entries by person id).
 * Contact point ids name the column, not the address, so phone numbers never end up in ids or logs.
 */
import { createHash } from 'node:crypto';
import { debtorKey, type DocType } from '@gestiona/core/domain';

export function coObligorId(debtorId: string, docType: DocType, docNumber: string): string {
  return `${debtorId}/codeudor/${debtorKey(docType, docNumber)}`;
}

export function referenceId(debtorId: string, slot: number): string {
  return `${debtorId}/referencia${slot}`;
}

export function contactPointId(personId: string, column: string): string {
  return `${personId}/${column}`;
}

/** Obligation numbers are unique per creditor only; the id hashes both so it stays short and fixed. */
export function obligationId(creditor: string, number: string): string {
  const digest = createHash('sha256').update(`${creditor}\u0000${number}`).digest('hex');
  return `ob-${digest.slice(0, 24)}`;
}
