/** Lower-cases and strips accents so that "Peña", "PENA" and "pena" find the same debtor. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Escapes LIKE wildcards so that user input matches literally (used with `ESCAPE '\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/**
 * Reduces a typed document number to what is stored, so that "1.045.377.293", "CE 174799" and
 * "900123456-7" find their debtor: the document type prefix, dots, spaces and dashes are dropped.
 * Returns null when the text is not a document number (no digit, or other characters).
 */
export function documentForSearch(text: string): string | null {
  const bare = text
    .trim()
    .toUpperCase()
    .replace(/^(CC|CE|NIT|PA|TI)(?=[\s.:#-]|\d)[\s.:#-]*/, '')
    .replace(/[\s.-]/g, '');
  return /^[0-9A-Z]+$/.test(bare) && /\d/.test(bare) ? bare : null;
}
