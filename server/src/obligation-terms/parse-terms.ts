/**
 * Reads and validates an obligation-terms file with the portfolio file's conventions: semicolon CSV
 * (UTF-8 or Windows-1252) or XLSX, dates dd/mm/aaaa, and every problem reported with its line,
 * column and value. Whether each obligation exists is checked later, against the database.
 */
import { obligationId } from '../import/ids.ts';
import { readCreditor, readCreditorFile } from '../import/creditor-file.ts';
import type { ProblemList, ImportProblem } from '../import/problems.ts';
import type { Table } from '../import/read-table.ts';
import type { RowReader } from '../import/row-reader.ts';
import { parseDate, parseText, parseYesNo, type Parsed } from '../import/values.ts';
import { TERMS_COLUMN_SPECS, TERMS_COLUMNS } from './columns.ts';

/** One obligation's terms as the file gives them. */
export interface ParsedTerms {
  line: number;
  obligationId: string;
  creditor: string;
  number: string;
  /** `YYYY-MM-DD`, oldest first; at most two. */
  notices: string[];
  /** null when the file gives no fee schedule for the obligation. */
  fee: { basisPoints: number; disclosedToDebtor: boolean; inLitigation: boolean } | null;
}

export type TermsBuildResult =
  | { ok: true; terms: ParsedTerms[]; encoding: Table['encoding'] }
  | { ok: false; problems: ImportProblem[]; total: number };

export interface TermsBuildOptions {
  /** Creditor for rows whose `entidad` cell is empty or absent. */
  defaultCreditor: string | null;
  /** Bogotá date of the import (`YYYY-MM-DD`); a notice dated after it is rejected. */
  today: string;
}

export async function buildObligationTerms(fileName: string, bytes: Uint8Array, options: TermsBuildOptions): Promise<TermsBuildResult> {
  const defaultCreditor = options.defaultCreditor?.trim() || null;
  const read = await readCreditorFile<ParsedTerms>(fileName, bytes, defaultCreditor !== null, {
    columns: TERMS_COLUMN_SPECS,
    creditorColumn: TERMS_COLUMNS.creditor,
    label: 'archivo de avisos y gastos de cobranza',
    emptyMessage: 'El archivo solo tiene el encabezado. Agregue al menos una obligación.',
    parseRow: (reader, problems) => parseTermsRow(reader, problems, defaultCreditor, options.today),
    rowKey: (terms) => terms.obligationId,
    reportRepeated: (reader, terms, firstLine) =>
      reader.report(TERMS_COLUMNS.obligationNumber, terms.number, `está repetida: la misma obligación de ${terms.creditor} ya aparece en la línea ${firstLine}. Deje una sola fila por obligación.`),
  });
  return read.ok ? { ok: true, terms: read.items, encoding: read.encoding } : read;
}

function parseTermsRow(reader: RowReader, problems: ProblemList, defaultCreditor: string | null, today: string): ParsedTerms | null {
  const before = problems.total;
  const number = reader.required(TERMS_COLUMNS.obligationNumber, (raw) => parseText(raw, 50));
  const creditor = readCreditor(reader, TERMS_COLUMNS.creditor, defaultCreditor);

  const notices = parseNotices(reader, today);
  const fee = parseFee(reader);
  if (problems.total > before || number === undefined || creditor === undefined || notices === undefined || fee === undefined) {
    return null;
  }
  return { line: reader.line, obligationId: obligationId(creditor, number), creditor, number, notices, fee };
}

/** Parses the one or two notice dates. The second needs the first and must fall on a later day. */
function parseNotices(reader: RowReader, today: string): string[] | undefined {
  const notBeforeToday = (raw: string): Parsed<string> => {
    const date = parseDate(raw);
    if (date.ok && date.value > today) return { ok: false, message: 'es una fecha futura. Escriba la fecha en que el aviso ya se envió (dd/mm/aaaa).' };
    return date;
  };
  const first = reader.optional(TERMS_COLUMNS.firstNotice, notBeforeToday);
  const second = reader.optional(TERMS_COLUMNS.secondNotice, notBeforeToday);
  if (first === undefined || second === undefined) return undefined;
  if (second === null) return first === null ? [] : [first];

  const secondRaw = reader.raw(TERMS_COLUMNS.secondNotice);
  if (first === null) {
    reader.report(TERMS_COLUMNS.secondNotice, secondRaw, `hay un segundo aviso sin primero. Escriba la fecha del primer aviso en "${TERMS_COLUMNS.firstNotice}".`);
    return undefined;
  }
  if (second <= first) {
    reader.report(
      TERMS_COLUMNS.secondNotice,
      secondRaw,
      `no es posterior al primer aviso (${reader.raw(TERMS_COLUMNS.firstNotice)}). El segundo aviso debe enviarse otro día, después del primero.`,
    );
    return undefined;
  }
  return [first, second];
}

/** Parses the fee schedule. The percentage decides whether there is one, and the two sí/no columns need it. */
function parseFee(reader: RowReader): ParsedTerms['fee'] | undefined {
  const basisPoints = reader.optional(TERMS_COLUMNS.feePercent, parsePercentBasisPoints);
  const disclosed = reader.optional(TERMS_COLUMNS.feeDisclosed, parseYesNo);
  const litigation = reader.optional(TERMS_COLUMNS.inLitigation, parseYesNo);
  if (basisPoints === undefined || disclosed === undefined || litigation === undefined) return undefined;

  if (basisPoints === null) {
    if (disclosed === true) {
      reader.report(TERMS_COLUMNS.feeDisclosed, reader.raw(TERMS_COLUMNS.feeDisclosed), `dice que la tabla se informó, pero falta el porcentaje en "${TERMS_COLUMNS.feePercent}". Escríbalo.`);
      return undefined;
    }
    return null;
  }
  return { basisPoints, disclosedToDebtor: disclosed ?? false, inLitigation: litigation ?? false };
}

/** `10`, `12,5` or `12,5 %` to hundredths of a percent; the decimal comma as in the rest of the file. */
export function parsePercentBasisPoints(raw: string): Parsed<number> {
  const text = raw.trim().replace(/\s*%$/, '');
  const match = /^(\d{1,3})(?:,(\d{1,2}))?$/.exec(text);
  if (!match) return { ok: false, message: 'no es un porcentaje válido. Escriba un número de 0 a 100 con coma decimal, p. ej. 10 o 12,5.' };
  const basisPoints = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (basisPoints > 10_000) return { ok: false, message: 'es mayor que 100. Escriba un porcentaje de 0 a 100.' };
  return { ok: true, value: basisPoints };
}
