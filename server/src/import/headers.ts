/** Checks the header row against the column set before any data row is read. */
import { COLUMNS, COLUMN_NAMES, COLUMN_SPECS } from './columns.ts';
import type { ImportProblem } from './problems.ts';
import type { Table } from './read-table.ts';
import { normalizeHeader } from './text.ts';

export type HeaderResult = { ok: true; index: ReadonlyMap<string, number> } | { ok: false; problems: ImportProblem[] };

const KNOWN = new Set(COLUMN_NAMES);

/** Maps each known column to its position; unknown, repeated or missing required columns are problems. */
export function checkHeaders(table: Table, options: { creditorGiven: boolean }): HeaderResult {
  const problems: ImportProblem[] = [];
  const index = new Map<string, number>();
  const problem = (column: string, message: string) => problems.push({ line: table.headerLine, column, value: null, message });

  table.headers.forEach((header, position) => {
    const name = normalizeHeader(header);
    if (name === '') {
      if (table.rows.some((row) => (row.cells[position] ?? '').trim() !== '')) {
        problems.push({ line: table.headerLine, column: null, value: null, message: `La columna ${position + 1} no tiene encabezado pero tiene datos. Póngale nombre o bórrela.` });
      }
      return;
    }
    if (/^referencia\d+_.*autoriz/.test(name)) {
      problem(header, 'las referencias personales nunca se pueden autorizar ni contactar (Ley 2300 de 2023, art. 4). Quite esa columna.');
      return;
    }
    if (!KNOWN.has(name)) {
      problem(header, 'no es una columna conocida. Corrija el encabezado; las columnas válidas están en el formato de cartera.');
      return;
    }
    if (index.has(name)) {
      problem(header, `está repetida (columnas ${index.get(name)! + 1} y ${position + 1}). Deje una sola.`);
      return;
    }
    index.set(name, position);
  });

  for (const spec of COLUMN_SPECS) {
    if (!spec.required || index.has(spec.name)) continue;
    if (spec.name === COLUMNS.creditor && options.creditorGiven) continue;
    problem(spec.name, 'falta en el encabezado. Agregue la columna: es obligatoria.');
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, index };
}
