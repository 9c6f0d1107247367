/**
 * Reads and validates a creditor's payments file with the portfolio file's conventions: semicolon
 * CSV (UTF-8 or Windows-1252) or XLSX, dates dd/mm/aaaa, amounts with decimal comma, and every
 * problem reported with its line, column and value. Whether each obligation exists is checked
 * later, against the database.
 */
import { debtorKey } from '@gestiona/core/domain';
import { obligationId } from '../import/ids.ts';
import { readCreditor, readCreditorFile } from '../import/creditor-file.ts';
import type { ProblemList, ImportProblem } from '../import/problems.ts';
import type { Table } from '../import/read-table.ts';
import type { RowReader } from '../import/row-reader.ts';
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
  const defaultCreditor = options.defaultCreditor?.trim() || null;
  const read = await readCreditorFile<ParsedPayment>(fileName, bytes, defaultCreditor !== null, {
    columns: PAYMENT_COLUMN_SPECS,
    creditorColumn: PAYMENT_COLUMNS.creditor,
    label: 'archivo de pagos',
    emptyMessage: 'El archivo solo tiene el encabezado. Agregue al menos un pago.',
    parseRow: (reader, problems) => parsePaymentRow(reader, problems, defaultCreditor, options.today),
    rowKey: (payment) => `${payment.creditor}\u0000${payment.reference}`,
    reportRepeated: (reader, payment, firstLine) =>
      reader.report(PAYMENT_COLUMNS.reference, payment.reference, `está repetida: la misma referencia de ${payment.creditor} ya aparece en la línea ${firstLine}. Cada pago lleva su propia referencia.`),
  });
  return read.ok ? { ok: true, payments: read.items, encoding: read.encoding } : read;
}

function parsePaymentRow(reader: RowReader, problems: ProblemList, defaultCreditor: string | null, today: string): ParsedPayment | null {
  const before = problems.total;
  const docType = reader.required(PAYMENT_COLUMNS.docType, parseDocType);
  const docNumber = docType === undefined ? undefined : reader.required(PAYMENT_COLUMNS.docNumber, (raw) => parseDocNumber(docType, raw));
  const number = reader.required(PAYMENT_COLUMNS.obligationNumber, (raw) => parseText(raw, 50));
  const creditor = readCreditor(reader, PAYMENT_COLUMNS.creditor, defaultCreditor);

  const paidOn = reader.required(PAYMENT_COLUMNS.paidOn, (raw) => notAfter(parseDate(raw), today));
  const amountCents = reader.required(PAYMENT_COLUMNS.amount, positiveAmount);
  const reference = reader.required(PAYMENT_COLUMNS.reference, (raw) => parseText(raw, 100));
  if (
    problems.total > before ||
    docType === undefined ||
    docNumber === undefined ||
    number === undefined ||
    creditor === undefined ||
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
