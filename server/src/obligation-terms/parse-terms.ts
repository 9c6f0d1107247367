/**
 * Reads and validates an obligation-terms file with the portfolio file's conventions: semicolon CSV
 * (UTF-8 or Windows-1252) or XLSX, dates dd/mm/aaaa, and every problem reported with its line,
 * column and value. Whether each obligation exists is checked later, against the database.
 */
import { obligationId } from '../import/ids.ts';
import { ProblemList, type ImportProblem } from '../import/problems.ts';
import { readTable, type Table } from '../import/read-table.ts';
import { RowReader } from '../import/row-reader.ts';
import { normalizeHeader } from '../import/text.ts';
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
  const read = await readTable(fileName, bytes);
  if (!read.ok) return { ok: false, problems: read.problems, total: read.problems.length };
  const { table } = read;

  const defaultCreditor = options.defaultCreditor?.trim() || null;
  const headerProblems: ImportProblem[] = [];
  const index = headerIndex(table, defaultCreditor !== null, headerProblems);
  if (headerProblems.length > 0) return { ok: false, problems: headerProblems, total: headerProblems.length };
  if (table.rows.length === 0) {
    const problem = { line: table.headerLine, column: null, value: null, message: 'El archivo solo tiene el encabezado. Agregue al menos una obligación.' };
    return { ok: false, problems: [problem], total: 1 };
  }

  const problems = new ProblemList();
  const terms: ParsedTerms[] = [];
  const firstLines = new Map<string, number>();
  for (const row of table.rows) {
    const reader = new RowReader(row, index, problems);
    const parsed = parseTermsRow(reader, problems, defaultCreditor, options.today);
    if (parsed === null) continue;

    const firstLine = firstLines.get(parsed.obligationId);
    if (firstLine !== undefined) {
      reader.report(TERMS_COLUMNS.obligationNumber, parsed.number, `está repetida: la misma obligación de ${parsed.creditor} ya aparece en la línea ${firstLine}. Deje una sola fila por obligación.`);
      continue;
    }
    firstLines.set(parsed.obligationId, row.line);
    terms.push(parsed);
  }

  if (!problems.empty) return { ok: false, problems: problems.problems, total: problems.total };
  return { ok: true, terms, encoding: table.encoding };
}

function headerIndex(table: Table, creditorGiven: boolean, problems: ImportProblem[]): Map<string, number> {
  const known = new Set(TERMS_COLUMN_SPECS.map((spec) => spec.name));
  const index = new Map<string, number>();
  const problem = (column: string | null, message: string) => problems.push({ line: table.headerLine, column, value: null, message });

  table.headers.forEach((header, position) => {
    const name = normalizeHeader(header);
    if (name === '') {
      if (table.rows.some((row) => (row.cells[position] ?? '').trim() !== '')) {
        problem(null, `La columna ${position + 1} no tiene encabezado pero tiene datos. Póngale nombre o bórrela.`);
      }
      return;
    }
    if (!known.has(name)) {
      problem(header, `no es una columna del archivo de avisos y gastos de cobranza. Use solo: ${[...known].join(', ')}.`);
      return;
    }
    if (index.has(name)) {
      problem(header, `está repetida (columnas ${index.get(name)! + 1} y ${position + 1}). Deje una sola.`);
      return;
    }
    index.set(name, position);
  });

  for (const spec of TERMS_COLUMN_SPECS) {
    if (!spec.required || index.has(spec.name)) continue;
    if (spec.name === TERMS_COLUMNS.creditor && creditorGiven) continue;
    problem(spec.name, 'falta en el encabezado. Agregue la columna: es obligatoria.');
  }
  return index;
}

function parseTermsRow(reader: RowReader, problems: ProblemList, defaultCreditor: string | null, today: string): ParsedTerms | null {
  const before = problems.total;
  const number = reader.required(TERMS_COLUMNS.obligationNumber, (raw) => parseText(raw, 50));
  let creditor: string | null | undefined = null;
  if (reader.has(TERMS_COLUMNS.creditor)) creditor = reader.required(TERMS_COLUMNS.creditor, (raw) => parseText(raw, 200));
  else if (defaultCreditor !== null) creditor = defaultCreditor;
  else reader.report(TERMS_COLUMNS.creditor, null, 'está vacío. Escriba la entidad acreedora o indíquela al importar (--creditor).');

  const notices = parseNotices(reader, today);
  const fee = parseFee(reader);
  if (problems.total > before || number === undefined || creditor === undefined || creditor === null || notices === undefined || fee === undefined) {
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
