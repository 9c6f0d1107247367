/**
 * Validates a whole portfolio file and groups its rows (one per obligation) by debtor. Every
 * problem in the file is reported, not only the first, so a creditor can fix the file in one pass.
 */
import { COLUMNS } from './columns.ts';
import { checkHeaders } from './headers.ts';
import { obligationId } from './ids.ts';
import { parseRow, type ComparableCells, type ParsedRow } from './parse-row.ts';
import { ProblemList, type ImportProblem } from './problems.ts';
import { readTable } from './read-table.ts';
import type { ParsedPortfolio, PortfolioDebtor, PortfolioPerson } from './types.ts';

export type BuildResult = { ok: true; portfolio: ParsedPortfolio } | { ok: false; problems: ImportProblem[]; total: number };

export interface BuildOptions {
  /** Creditor for rows whose `entidad` cell is empty or absent. */
  defaultCreditor?: string | null;
  /** Bogotá date of the import (`YYYY-MM-DD`); authorisations dated after it are rejected. */
  today?: string | null;
}

export async function buildPortfolio(fileName: string, bytes: Uint8Array, options: BuildOptions = {}): Promise<BuildResult> {
  const read = await readTable(fileName, bytes);
  if (!read.ok) return { ok: false, problems: read.problems, total: read.problems.length };
  const { table } = read;

  const defaultCreditor = options.defaultCreditor?.trim() || null;
  const headers = checkHeaders(table, { creditorGiven: defaultCreditor !== null });
  if (!headers.ok) return { ok: false, problems: headers.problems, total: headers.problems.length };

  if (table.rows.length === 0) {
    const problem = { line: table.headerLine, column: null, value: null, message: 'El archivo solo tiene el encabezado. Agregue al menos una obligación.' };
    return { ok: false, problems: [problem], total: 1 };
  }

  const problems = new ProblemList();
  const grouper = new DebtorGrouper(problems);
  for (const row of table.rows) {
    if (row.cells.length > table.headers.length && row.cells.slice(table.headers.length).some((cell) => cell.trim() !== '')) {
      problems.add({
        line: row.line,
        column: null,
        value: null,
        message: `La fila tiene ${row.cells.length} columnas y el encabezado ${table.headers.length}. Revise si sobra un punto y coma.`,
      });
      continue;
    }
    const parsed = parseRow(row, headers.index, problems, { defaultCreditor, today: options.today ?? null });
    if (parsed) grouper.add(parsed);
  }

  if (!problems.empty) return { ok: false, problems: problems.problems, total: problems.total };
  return { ok: true, portfolio: { debtors: grouper.debtors(), rows: table.rows.length, encoding: table.encoding } };
}

/** Groups rows by debtor and checks that the data repeated on each row agrees with the first row. */
class DebtorGrouper {
  private readonly byId = new Map<string, { debtor: PortfolioDebtor; cells: ComparableCells; coObligors: Map<string, { line: number; cells: ComparableCells }> }>();
  private readonly obligationLines = new Map<string, number>();

  constructor(private readonly problems: ProblemList) {}

  add(row: ParsedRow): void {
    const obligationKey = `${row.obligation.creditor}\u0000${row.obligation.number}`;
    const firstObligationLine = this.obligationLines.get(obligationKey);
    if (firstObligationLine !== undefined) {
      this.problems.add({
        line: row.line,
        column: COLUMNS.obligationNumber,
        value: row.obligation.number,
        message: `está repetida: la misma obligación de ${row.obligation.creditor} ya aparece en la línea ${firstObligationLine}. Deje una sola fila por obligación.`,
      });
      return;
    }
    this.obligationLines.set(obligationKey, row.line);

    let group = this.byId.get(row.debtorId);
    if (!group) {
      group = {
        debtor: {
          id: row.debtorId,
          docType: row.docType,
          docNumber: row.docNumber,
          fullName: row.fullName,
          city: row.city,
          score: row.score,
          obligations: [],
          persons: [debtorPerson(row), ...row.references],
          line: row.line,
        },
        cells: row.debtorCells,
        coObligors: new Map(),
      };
      this.byId.set(row.debtorId, group);
    } else {
      this.compare(row.line, row.debtorCells, group.cells, group.debtor.line, `el mismo deudor (${row.docType} ${row.docNumber})`);
    }

    group.debtor.obligations.push({ id: obligationId(row.obligation.creditor, row.obligation.number), line: row.line, ...row.obligation });

    if (row.coObligor) {
      const { person, cells } = row.coObligor;
      const seen = group.coObligors.get(person.id);
      if (seen) {
        this.compare(row.line, cells, seen.cells, seen.line, `el mismo codeudor (${person.docType} ${person.docNumber})`);
      } else {
        group.coObligors.set(person.id, { line: row.line, cells });
        const firstReference = group.debtor.persons.findIndex((candidate) => candidate.role === 'reference');
        const at = firstReference === -1 ? group.debtor.persons.length : firstReference;
        group.debtor.persons.splice(at, 0, person);
      }
    }
  }

  debtors(): PortfolioDebtor[] {
    return [...this.byId.values()].map((group) => group.debtor);
  }

  /** Cells present on either row must agree; an empty cell against a filled one is a disagreement too. */
  private compare(line: number, cells: ComparableCells, firstCells: ComparableCells, firstLine: number, whose: string): void {
    const columns = new Set([...cells.keys(), ...firstCells.keys()]);
    for (const column of columns) {
      const current = cells.get(column);
      const first = firstCells.get(column);
      if (current?.canonical === first?.canonical) continue;
      this.problems.add({
        line,
        column,
        value: current?.raw ?? '',
        message: `no coincide con "${first?.raw ?? ''}" de la línea ${firstLine} para ${whose}. Deje iguales esos datos en todas sus filas.`,
      });
    }
  }
}

function debtorPerson(row: ParsedRow): PortfolioPerson {
  return {
    id: row.debtorId,
    role: 'debtor',
    docType: row.docType,
    docNumber: row.docNumber,
    fullName: row.fullName,
    relation: null,
    timeZone: row.timeZone,
    residenceCountry: row.residenceCountry,
    postalAddress: row.postalAddress,
    contactPoints: row.contactPoints,
  };
}
