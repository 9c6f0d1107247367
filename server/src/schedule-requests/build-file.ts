/**
 * Validates a schedule request file and groups its rows (one per window) by person. Like the
 * portfolio import, every problem is reported with its line, column and value, and one problem
 * rejects the whole file.
 */
import { parseDate, parseDocNumber, parseDocType, parseText, type Parsed } from '../import/values.ts';
import { ProblemList, type ImportProblem } from '../import/problems.ts';
import { readTable, type Table } from '../import/read-table.ts';
import { RowReader } from '../import/row-reader.ts';
import { normalizeHeader } from '../import/text.ts';
import { REQUEST_COLUMNS, REQUEST_COLUMN_SPECS } from './columns.ts';
import type { ParsedScheduleRequest, ParsedScheduleRequestFile } from './types.ts';
import { parseClock, parseDays, parseInitiative } from './values.ts';

export type BuildRequestsResult = { ok: true; file: ParsedScheduleRequestFile } | { ok: false; problems: ImportProblem[]; total: number };

/** Columns whose values must agree on every row of one person's request. */
const REQUEST_LEVEL_COLUMNS = [REQUEST_COLUMNS.requestedOn, REQUEST_COLUMNS.contractSignedOn, REQUEST_COLUMNS.evidence, REQUEST_COLUMNS.initiative] as const;

/** `today`: the Bogotá date of the import (`YYYY-MM-DD`); a request dated after it is a typing error. */
export async function buildScheduleRequests(fileName: string, bytes: Uint8Array, today: string): Promise<BuildRequestsResult> {
  const read = await readTable(fileName, bytes);
  if (!read.ok) return { ok: false, problems: read.problems, total: read.problems.length };
  const { table } = read;

  const headers = checkRequestHeaders(table);
  if (!headers.ok) return { ok: false, problems: headers.problems, total: headers.problems.length };
  if (table.rows.length === 0) {
    const problem = { line: table.headerLine, column: null, value: null, message: 'El archivo solo tiene el encabezado. Agregue al menos una solicitud.' };
    return { ok: false, problems: [problem], total: 1 };
  }

  const problems = new ProblemList();
  const byPerson = new Map<string, { request: ParsedScheduleRequest; canonical: Map<string, string> }>();
  for (const row of table.rows) {
    const reader = new RowReader(row, headers.index, problems);
    const before = problems.total;
    const docType = reader.required(REQUEST_COLUMNS.docType, parseDocType);
    const docNumber = docType === undefined ? undefined : reader.required(REQUEST_COLUMNS.docNumber, (raw) => parseDocNumber(docType, raw));
    const days = reader.required(REQUEST_COLUMNS.days, parseDays);
    const from = reader.required(REQUEST_COLUMNS.from, (raw) => parseClock(raw, false));
    const to = reader.required(REQUEST_COLUMNS.to, (raw) => parseClock(raw, true));
    const requestedOn = reader.required(REQUEST_COLUMNS.requestedOn, (raw) => notAfter(parseDate(raw), today));
    const contractSignedOn = reader.required(REQUEST_COLUMNS.contractSignedOn, (raw) => notAfter(parseDate(raw), today));
    const evidence = reader.optional(REQUEST_COLUMNS.evidence, (raw) => parseText(raw, 500));
    const consumerInitiated = reader.required(REQUEST_COLUMNS.initiative, parseInitiative);
    if (from !== undefined && to !== undefined && from >= to) {
      reader.report(REQUEST_COLUMNS.to, reader.raw(REQUEST_COLUMNS.to), `no es posterior a "desde" (${from}). La franja debe terminar después de empezar, el mismo día.`);
    }
    if (
      problems.total > before ||
      docType === undefined ||
      docNumber === undefined ||
      days === undefined ||
      from === undefined ||
      to === undefined ||
      requestedOn === undefined ||
      contractSignedOn === undefined ||
      evidence === undefined ||
      consumerInitiated === undefined
    ) {
      continue;
    }

    const key = `${docType}-${docNumber}`;
    const raw = new Map(REQUEST_LEVEL_COLUMNS.map((column) => [column, reader.raw(column)]));
    const canonical = new Map<string, string>([
      [REQUEST_COLUMNS.requestedOn, requestedOn],
      [REQUEST_COLUMNS.contractSignedOn, contractSignedOn],
      [REQUEST_COLUMNS.evidence, evidence ?? ''],
      [REQUEST_COLUMNS.initiative, String(consumerInitiated)],
    ]);
    const seen = byPerson.get(key);
    if (seen === undefined) {
      byPerson.set(key, {
        request: { docType, docNumber, window: [{ days, from, to }], requestedOn, contractSignedOn, evidence: evidence ?? '', consumerInitiated, line: row.line },
        canonical,
      });
      continue;
    }
    for (const column of REQUEST_LEVEL_COLUMNS) {
      if (seen.canonical.get(column) === canonical.get(column)) continue;
      reader.report(
        column,
        raw.get(column) ?? '',
        `no coincide con la línea ${seen.request.line} de la misma persona (${docType} ${docNumber}). Las filas de una solicitud solo pueden cambiar los días y las horas.`,
      );
    }
    seen.request.window.push({ days, from, to });
  }

  if (!problems.empty) return { ok: false, problems: problems.problems, total: problems.total };
  const requests = [...byPerson.values()].map((entry) => entry.request);
  return { ok: true, file: { requests, rows: table.rows.length, encoding: table.encoding } };
}

function notAfter(parsed: Parsed<string>, today: string): Parsed<string> {
  if (!parsed.ok || parsed.value <= today) return parsed;
  return { ok: false, message: 'es una fecha futura. Revise el año: la solicitud y el contrato ya deben existir.' };
}

type HeaderResult = { ok: true; index: ReadonlyMap<string, number> } | { ok: false; problems: ImportProblem[] };

const KNOWN = new Set(REQUEST_COLUMN_SPECS.map((spec) => spec.name));

function checkRequestHeaders(table: Table): HeaderResult {
  const problems: ImportProblem[] = [];
  const index = new Map<string, number>();
  const problem = (column: string, message: string) => problems.push({ line: table.headerLine, column, value: null, message });

  table.headers.forEach((header, position) => {
    const name = normalizeHeader(header);
    if (name === '') return;
    if (!KNOWN.has(name)) {
      problem(header, `no es una columna de solicitudes de horario. Use solo: ${REQUEST_COLUMN_SPECS.map((spec) => spec.name).join(', ')}.`);
      return;
    }
    if (index.has(name)) {
      problem(header, `está repetida (columnas ${index.get(name)! + 1} y ${position + 1}). Deje una sola.`);
      return;
    }
    index.set(name, position);
  });
  for (const spec of REQUEST_COLUMN_SPECS) {
    if (spec.required && !index.has(spec.name)) problem(spec.name, 'falta en el encabezado. Agregue la columna: es obligatoria.');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, index };
}
