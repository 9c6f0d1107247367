/**
 * Reads a creditor's side file (payments, obligation terms) with the portfolio file's conventions:
 * semicolon CSV (UTF-8 or Windows-1252) or XLSX, headers matched without regard to case, accents
 * or spaces, and every problem reported with its line, column and value. Each file kind gives its
 * columns, its row parser and what makes two rows the same.
 */
import { ProblemList, type ImportProblem } from './problems.ts';
import { readTable, type Table } from './read-table.ts';
import { RowReader } from './row-reader.ts';
import { normalizeHeader } from './text.ts';
import { parseText } from './values.ts';

export interface CreditorFileColumn {
  name: string;
  required: boolean;
}

export interface CreditorFileKind<T> {
  /** Column set of the file. */
  columns: readonly CreditorFileColumn[];
  /** Name of the creditor column, which the import may give for the whole file instead. */
  creditorColumn: string;
  /** Spanish name of the file in problems, e.g. `archivo de pagos`. */
  label: string;
  /** Spanish request when the file has a header and no rows. */
  emptyMessage: string;
  /** Parses one row, or returns null after reporting its problems. */
  parseRow(reader: RowReader, problems: ProblemList): T | null;
  /** Key that no two rows of a valid file share. */
  rowKey(item: T): string;
  /** Reports a row whose key an earlier row already has. */
  reportRepeated(reader: RowReader, item: T, firstLine: number): void;
}

export type CreditorFileResult<T> = { ok: true; items: T[]; encoding: Table['encoding'] } | { ok: false; problems: ImportProblem[]; total: number };

/** Reads the file whole: any problem in any row rejects it, so an import is all or nothing. */
export async function readCreditorFile<T>(fileName: string, bytes: Uint8Array, creditorGiven: boolean, kind: CreditorFileKind<T>): Promise<CreditorFileResult<T>> {
  const read = await readTable(fileName, bytes);
  if (!read.ok) return { ok: false, problems: read.problems, total: read.problems.length };
  const { table } = read;

  const headerProblems: ImportProblem[] = [];
  const index = headerIndex(table, creditorGiven, kind, headerProblems);
  if (headerProblems.length > 0) return { ok: false, problems: headerProblems, total: headerProblems.length };
  if (table.rows.length === 0) {
    const problem = { line: table.headerLine, column: null, value: null, message: kind.emptyMessage };
    return { ok: false, problems: [problem], total: 1 };
  }

  const problems = new ProblemList();
  const items: T[] = [];
  const firstLines = new Map<string, number>();
  for (const row of table.rows) {
    const reader = new RowReader(row, index, problems);
    const parsed = kind.parseRow(reader, problems);
    if (parsed === null) continue;

    const key = kind.rowKey(parsed);
    const firstLine = firstLines.get(key);
    if (firstLine !== undefined) {
      kind.reportRepeated(reader, parsed, firstLine);
      continue;
    }
    firstLines.set(key, row.line);
    items.push(parsed);
  }

  if (!problems.empty) return { ok: false, problems: problems.problems, total: problems.total };
  return { ok: true, items, encoding: table.encoding };
}

function headerIndex<T>(table: Table, creditorGiven: boolean, kind: CreditorFileKind<T>, problems: ImportProblem[]): Map<string, number> {
  const known = new Set(kind.columns.map((column) => column.name));
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
      problem(header, `no es una columna del ${kind.label}. Use solo: ${[...known].join(', ')}.`);
      return;
    }
    if (index.has(name)) {
      problem(header, `está repetida (columnas ${index.get(name)! + 1} y ${position + 1}). Deje una sola.`);
      return;
    }
    index.set(name, position);
  });

  for (const column of kind.columns) {
    if (!column.required || index.has(column.name)) continue;
    if (column.name === kind.creditorColumn && creditorGiven) continue;
    problem(column.name, 'falta en el encabezado. Agregue la columna: es obligatoria.');
  }
  return index;
}

/**
 * Reads the row's creditor: its own cell when not empty, else the creditor given for the whole
 * import. Returns undefined after reporting a problem.
 */
export function readCreditor(reader: RowReader, column: string, defaultCreditor: string | null): string | undefined {
  if (reader.has(column)) return reader.required(column, (raw) => parseText(raw, 200));
  if (defaultCreditor !== null) return defaultCreditor;
  reader.report(column, null, 'está vacío. Escriba la entidad acreedora o indíquela al importar (--creditor).');
  return undefined;
}
