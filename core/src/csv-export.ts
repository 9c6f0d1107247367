/**
 * The one CSV writer for files that staff open in Excel. Fields are separated by `;`, because Excel
 * in a Colombian locale uses `,` as the decimal separator. The file is UTF-8 with a byte order mark,
 * so Excel does not read it as Windows-1252, with CRLF line endings and quoting per RFC 4180.
 *
 * Text that starts with `=`, `+`, `-`, `@`, a tab, a carriage return or NUL gets a single quote
 * before it, as OWASP ASVS 5.0 requirement 1.2.10 requires. A spreadsheet then shows a debtor's
 * name or an alarm message from a hostile file as text instead of running it as a formula.
 * Numbers are cells of their own kind. The writer formats them itself, so a negative amount stays
 * `-1234,5`.
 */

/** One cell. Text is written as text, a number with a decimal comma, and null as an empty field. */
export type CsvCell = string | number | null;

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';
export const CSV_LINE_END = '\r\n';

/** First characters that get the quote: the formula signs, and tab, carriage return and NUL. */
const FORMULA_STARTS = new Set(['=', '+', '-', '@', '\t', '\r', '\0']);

/** A field needs quotes when it contains the separator, a quote or a line break. */
const NEEDS_QUOTES = /[;"\r\n]/;

/** Prefixes a single quote to text that starts with one of `FORMULA_STARTS`. */
export function neutraliseFormula(text: string): string {
  return text.length > 0 && FORMULA_STARTS.has(text[0]!) ? `'${text}` : text;
}

/**
 * Formats a finite number with a decimal comma and no grouping or exponent, as Excel in es-CO
 * reads it back as a number. Throws on NaN and infinities, which no export should contain.
 */
export function formatCsvNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`CSV export: the number ${String(value)} cannot be written; pass a finite number or null.`);
  // -0 would print as "-0", which Excel reads as 0 anyway.
  const plain = (value === 0 ? 0 : value).toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  return plain.replace('.', ',');
}

/** Encodes one cell: numbers formatted, text neutralised and then quoted when RFC 4180 requires it. */
export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return formatCsvNumber(cell);
  const text = neutraliseFormula(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Encodes one record, without its line end. */
export function csvRecord(cells: readonly CsvCell[]): string {
  return cells.map(csvField).join(CSV_SEPARATOR);
}

/**
 * Builds a whole file: the BOM, the header, then one record per row, each ending in CRLF.
 * Throws when a row has a different number of cells from the header, because Excel would shift
 * every later column of that row under the wrong heading.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [csvRecord(header)];
  rows.forEach((row, index) => {
    if (row.length !== header.length) {
      throw new RangeError(`CSV export: row ${index + 1} has ${row.length} cells but the header has ${header.length}.`);
    }
    lines.push(csvRecord(row));
  });
  return CSV_BOM + lines.map((line) => line + CSV_LINE_END).join('');
}
