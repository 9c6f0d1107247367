/**
 * Reads a portfolio file into header + rows of text cells, whatever its container: semicolon CSV
 * as Excel exports it in Colombia (UTF-8 with or without BOM, or Windows-1252), or XLSX.
 */
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { KEPT_PROBLEMS, type ImportProblem } from './problems.ts';
import { cleanText } from './text.ts';

export interface TableRow {
  /** Line of the CSV file or row of the sheet, counting the header as 1. */
  line: number;
  cells: string[];
}

export interface Table {
  headers: string[];
  /** Line of the header row. */
  headerLine: number;
  rows: TableRow[];
  encoding: 'utf-8' | 'windows-1252' | 'xlsx';
}

export type TableResult = { ok: true; table: Table } | { ok: false; problems: ImportProblem[] };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

export function isXlsx(fileName: string, bytes: Uint8Array): boolean {
  const zipped = ZIP_MAGIC.every((byte, index) => bytes[index] === byte);
  return zipped || fileName.toLowerCase().endsWith('.xlsx');
}

export async function readTable(fileName: string, bytes: Uint8Array): Promise<TableResult> {
  if (bytes.length === 0) return failure('El archivo está vacío. Exporte de nuevo la cartera con el encabezado y al menos una fila.');
  const read = isXlsx(fileName, bytes) ? await readXlsx(bytes) : readCsv(bytes);
  return read.ok ? refuseControlCharacters(read.table) : read;
}

/**
 * Control characters other than tab and line breaks (NUL above all) are never typed by a person: they
 * come from a corrupt export. PostgreSQL refuses NUL in text, so one cell would abort the whole import
 * with a driver error; naming the cell lets the creditor fix the file instead.
 */
const CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/u;

function refuseControlCharacters(table: Table): TableResult {
  const problems: ImportProblem[] = [];
  const check = (line: number, column: string | null, cell: string) => {
    const found = CONTROL_CHARACTER.exec(cell);
    if (!found || problems.length >= KEPT_PROBLEMS) return;
    const code = `U+${found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    problems.push({
      line,
      column,
      value: null,
      message: `tiene un carácter de control invisible (${code}), señal de un archivo dañado. Exporte de nuevo el archivo desde el sistema de origen o borre ese carácter.`,
    });
  };
  table.headers.forEach((header, index) => check(table.headerLine, `${index + 1}`, header));
  for (const row of table.rows) row.cells.forEach((cell, index) => check(row.line, table.headers[index] ?? `${index + 1}`, cell));
  return problems.length === 0 ? { ok: true, table } : { ok: false, problems };
}

/**
 * Decodes CSV bytes. Valid UTF-8 is read as UTF-8 and loses its BOM, if any. Anything else is read
 * as Windows-1252, the ANSI code page that Excel writes plain CSV in on Spanish-language Windows.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'windows-1252'), encoding: 'windows-1252' };
  }
}

function readCsv(bytes: Uint8Array): TableResult {
  const { text, encoding } = decodeCsv(bytes);

  const records: { record: string[]; info: { lines: number } }[] = [];
  try {
    parseCsv(text, {
      delimiter: ';',
      relax_column_count: true,
      skip_empty_lines: true,
      // Collect each record with the line it ended on, and return null so the parser keeps nothing itself.
      on_record: (record, context) => {
        if (Array.isArray(record)) records.push({ record: record.map(String), info: { lines: context.lines } });
        return null;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : 0;
      return failure(`El archivo CSV está mal formado (${error.message}). Revise las comillas de esa fila y expórtelo de nuevo desde Excel.`, line);
    }
    throw error;
  }

  const nonEmpty = records.filter(({ record }) => record.some((cell) => cell.trim() !== ''));
  const [header, ...body] = nonEmpty;
  if (!header) return failure('El archivo no tiene encabezado. La primera fila debe tener los nombres de las columnas.');

  if (header.record.length === 1 && header.record[0]!.includes(',')) {
    return failure(
      'El archivo no usa punto y coma (;) como separador. Expórtelo desde Excel como "CSV (delimitado por punto y coma)".',
      header.info.lines,
    );
  }

  return {
    ok: true,
    table: {
      headers: header.record.map(cleanText),
      headerLine: header.info.lines,
      rows: body.map(({ record, info }) => ({ line: info.lines, cells: record })),
      encoding,
    },
  };
}

async function readXlsx(bytes: Uint8Array): Promise<TableResult> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads at run time.
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure(`El archivo no es un libro de Excel (.xlsx) válido (${reason}). Guárdelo de nuevo como "Libro de Excel".`);
  }

  const sheet = workbook.worksheets[0];
  if (!sheet) return failure('El libro de Excel no tiene hojas. La cartera debe estar en la primera hoja.');

  const rows: TableRow[] = [];
  let headers: string[] | null = null;
  let headerLine = 0;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column += 1) cells.push(cellText(row.getCell(column).value));
    if (cells.every((cell) => cell.trim() === '')) return;

    if (headers === null) {
      headers = cells.map(cleanText);
      headerLine = rowNumber;
    } else {
      rows.push({ line: rowNumber, cells });
    }
  });

  if (headers === null) return failure('La primera hoja del libro está vacía. Debe tener el encabezado y al menos una fila.');
  return { ok: true, table: { headers, headerLine, rows, encoding: 'xlsx' } };
}

/**
 * Turns a sheet cell into the text a CSV export would carry, so one set of validators reads both:
 * numbers with a decimal comma, dates as dd/mm/aaaa, booleans as sí/no.
 */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'sí' : 'no';
  if (typeof value === 'number') return numberText(value);
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('hyperlink' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}

function numberText(value: number): string {
  // Binary floats turn 1234.56 into 1234.5599999; anything within a millionth of a centavo is that centavo.
  const cents = Math.round(value * 100);
  const text = Math.abs(value * 100 - cents) < 1e-6 ? (cents / 100).toString() : value.toString();
  return text.replace('.', ',');
}

/** Excel stores a date as a day count; exceljs hands it over as that calendar day at 00:00 UTC. */
function dateText(value: Date): string {
  const day = String(value.getUTCDate()).padStart(2, '0');
  const month = String(value.getUTCMonth() + 1).padStart(2, '0');
  return `${day}/${month}/${value.getUTCFullYear()}`;
}

function failure(message: string, line = 1): TableResult {
  return { ok: false, problems: [{ line, column: null, value: null, message }] };
}
