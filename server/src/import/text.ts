/** Text normalisation shared by the portfolio readers and validators. */

/**
 * Composes accents (NFC), trims and collapses inner whitespace. NFC matters because a name typed
 * on a Mac may arrive decomposed ("n" + combining tilde), and "Peña" must compare equal either way.
 */
export function cleanText(raw: string): string {
  return raw.normalize('NFC').replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Lower case without accents, for matching headers and codes written by hand ("Días mora" → "dias mora"). */
export function foldText(raw: string): string {
  return cleanText(raw)
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** Header as the column set names it: folded, with spaces and dashes as underscores. */
export function normalizeHeader(raw: string): string {
  return foldText(raw).replace(/[\s-]+/g, '_');
}
