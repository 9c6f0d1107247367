/**
 * Reads a debtor id typed by a person. Screens show ids as `CE 174799` and store them as
 * `CE-174799` (`debtorKey`), and people also type `ce-174.799` or extra spaces, so every lookup of
 * a typed id goes through `normalizeDebtorId` first.
 */
import { DOC_TYPES } from './domain.ts';

const TYPED_ID = new RegExp(`^(${DOC_TYPES.join('|')})[\\s._-]*(.+)$`);

/**
 * Returns the stored form `TIPO-NÚMERO` of a typed debtor id: upper case, one hyphen after the
 * document type, and the dots and spaces of the number dropped as the portfolio import drops them.
 * Text that does not start with a known document type comes back trimmed and otherwise unchanged,
 * so the caller's "not found" message shows what the person typed.
 */
export function normalizeDebtorId(typed: string): string {
  const text = typed.trim();
  const match = TYPED_ID.exec(text.toUpperCase());
  if (match === null) return text;
  const number = match[2]!.replace(/[.\s]/g, '');
  return number === '' ? text : `${match[1]}-${number}`;
}
