/**
 * Reads and validates a creditor's payments file with the portfolio file's conventions: semicolon
 * CSV (UTF-8 or Windows-1252) or XLSX, dates dd/mm/aaaa, amounts with decimal comma, and every
 * problem reported with its line, column and value. Whether each obligation exists is checked
 * later, against the database.
 */
import { debtorKey } from '@gestiona/core/domain';
import { obligationId } from '../import/ids.ts';
import { ProblemList, type ImportProblem } from '../import/problems.ts';
import { readTable, type Table } from '../import/read-table.ts';
import { RowReader } from '../import/row-reader.ts';
import { normalizeHeader } from '../import/text.ts';
import { parseAmountCents, parseDate, parseDocNumber, parseDocType, parseText, type Parsed } from '../import/values.ts';
import { PAYMENT_COLUMN_SPECS, PAYMENT_COLUMNS } from './columns.ts';

/** One payment as the file gives it. */
export interface ParsedPayment {
  line: number;
  debtorId: string;
  docNumber: string;
  obligationId: string;
  creditor: string;
  obligationNumber: string;
  /** `YYYY-MM-DD`. */
  paidOn: string;
  amountCents: number;
  reference: string;
}

export type PaymentsBuildResult =
  | { ok: true; payments: ParsedPayment[]; encoding: Table['encoding'] }
  | { ok: false; problems: ImportProblem[]; total: number };

export interface PaymentsBuildOptions {
  /** Creditor for rows whose `entidad` cell is empty or absent. */
  defaultCreditor: string | null;
  /** Bogotá date of the import (`YYYY-MM-DD`); a payment dated after it is rejected. */
  today: string;
}

export async function buildPayments(fileName: string, bytes: Uint8Array, options: PaymentsBuildOptions): Promise<PaymentsBuildResult> {
  const read = await readTable(fileName, bytes);
  if (!read.ok) return { ok: false, problems: read.problems, total: read.problems.length };
  const { table } = read;

  const defaultCreditor = options.defaultCreditor?.trim() || null;
  const headerProblems: ImportProblem[] = [];
  const index = headerIndex(table, defaultCreditor !== null, headerProblems);
  if (headerProblems.length > 0) return { ok: false, problems: headerProblems, total: headerProblems.length };
  if (table.rows.length === 0) {
    const problem = { line: table.headerLine, column: null, value: null, message: 'El archivo solo tiene el encabezado. Agregue al menos un pago.' };
    return { ok: false, problems: [problem], total: 1 };
  }

  const problems = new ProblemList();
  const payments: ParsedPayment[] = [];
  const firstLines = new Map<string, number>();
  for (const row of table.rows) {
    const reader = new RowReader(row, index, problems);
    const parsed = parsePaymentRow(reader, problems, defaultCreditor, options.today);
    if (parsed === null) continue;

    const key = `${parsed.creditor}\u0000${parsed.reference}`;
    const firstLine = firstLines.get(key);
    if (firstLine !== undefined) {
      reader.report(PAYMENT_COLUMNS.reference, parsed.reference, `está repetida: la misma referencia de ${parsed.creditor} ya aparece en la línea ${firstLine}. Cada pago lleva su propia referencia.`);
      continue;
    }
    firstLines.set(key, row.line);
    payments.push(parsed);
  }

  if (!problems.empty) return { ok: false, problems: problems.problems, total: problems.total };
  return { ok: true, payments, encoding: table.encoding };
}

function headerIndex(table: Table, creditorGiven: boolean, problems: ImportProblem[]): Map<string, number> {
  const known = new Set(PAYMENT_COLUMN_SPECS.map((spec) => spec.name));
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
      problem(header, `no es una columna del archivo de pagos. Use solo: ${[...known].join(', ')}.`);
      return;
    }
    if (index.has(name)) {
      problem(header, `está repetida (columnas ${index.get(name)! + 1} y ${position + 1}). Deje una sola.`);
      return;
    }
    index.set(name, position);
  });

  for (const spec of PAYMENT_COLUMN_SPECS) {
    if (!spec.required || index.has(spec.name)) continue;
    if (spec.name === PAYMENT_COLUMNS.creditor && creditorGiven) continue;
    problem(spec.name, 'falta en el encabezado. Agregue la columna: es obligatoria.');
  }
  return index;
}

function parsePaymentRow(reader: RowReader, problems: ProblemList, defaultCreditor: string | null, today: string): ParsedPayment | null {
  const before = problems.total;
  const docType = reader.required(PAYMENT_COLUMNS.docType, parseDocType);
  const docNumber = docType === undefined ? undefined : reader.required(PAYMENT_COLUMNS.docNumber, (raw) => parseDocNumber(docType, raw));
  const number = reader.required(PAYMENT_COLUMNS.obligationNumber, (raw) => parseText(raw, 50));
  let creditor: string | null | undefined = null;
  if (reader.has(PAYMENT_COLUMNS.creditor)) creditor = reader.required(PAYMENT_COLUMNS.creditor, (raw) => parseText(raw, 200));
  else if (defaultCreditor !== null) creditor = defaultCreditor;
  else reader.report(PAYMENT_COLUMNS.creditor, null, 'está vacío. Escriba la entidad acreedora o indíquela al importar (--creditor).');

  const paidOn = reader.required(PAYMENT_COLUMNS.paidOn, (raw) => notAfter(parseDate(raw), today));
  const amountCents = reader.required(PAYMENT_COLUMNS.amount, positiveAmount);
  const reference = reader.required(PAYMENT_COLUMNS.reference, (raw) => parseText(raw, 100));
  if (
    problems.total > before ||
    docType === undefined ||
    docNumber === undefined ||
    number === undefined ||
    creditor === undefined ||
    creditor === null ||
    paidOn === undefined ||
    amountCents === undefined ||
    reference === undefined
  ) {
    return null;
  }
  return {
    line: reader.line,
    debtorId: debtorKey(docType, docNumber),
    docNumber,
    obligationId: obligationId(creditor, number),
    creditor,
    obligationNumber: number,
    paidOn,
    amountCents,
    reference,
  };
}

function notAfter(date: Parsed<string>, today: string): Parsed<string> {
  if (date.ok && date.value > today) return { ok: false, message: 'es una fecha futura. Escriba la fecha en que la entidad recibió el pago (dd/mm/aaaa).' };
  return date;
}

function positiveAmount(raw: string): Parsed<number> {
  const amount = parseAmountCents(raw);
  if (amount.ok && amount.value === 0) return { ok: false, message: 'es cero. Escriba el valor que se pagó, mayor que cero.' };
  return amount;
}
