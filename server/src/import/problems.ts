/** Problems found in a portfolio file, each tied to a line, a column and the value found there. */
import { AppError } from '@gestiona/core/result';

export interface ImportProblem {
  /** File line (CSV) or sheet row (XLSX), counting the header as 1. */
  line: number;
  column: string | null;
  value: string | null;
  /** Spanish text: what is wrong and what to do. */
  message: string;
}

/** Problems listed in full in the error message; the rest are counted. */
export const SHOWN_PROBLEMS = 50;

/** Problems kept at all: a file with every line wrong should not hold the whole file twice in memory. */
export const KEPT_PROBLEMS = 5000;

/** `Línea 14, columna "dias_mora": "treinta" no es un número entero.` */
export function formatProblem(problem: ImportProblem): string {
  const where = problem.column === null ? `Línea ${problem.line}` : `Línea ${problem.line}, columna "${problem.column}"`;
  const value = problem.value === null ? '' : `"${problem.value}" `;
  return `${where}: ${value}${problem.message}`;
}

/** Collects problems up to `KEPT_PROBLEMS` and counts every one. */
export class ProblemList {
  readonly problems: ImportProblem[] = [];
  total = 0;

  add(problem: ImportProblem): void {
    this.total += 1;
    if (this.problems.length < KEPT_PROBLEMS) this.problems.push(problem);
  }

  get empty(): boolean {
    return this.total === 0;
  }
}

/** The whole file was rejected; nothing of it was stored. */
export class PortfolioImportError extends AppError {
  constructor(
    readonly fileName: string,
    readonly problems: readonly ImportProblem[],
    readonly total: number,
  ) {
    super('invalid-input', summarizeProblems(fileName, problems, total));
    this.name = 'PortfolioImportError';
  }

  /** Formats every kept problem on its own line, as the command line prints them. */
  lines(): string[] {
    const lines = this.problems.map(formatProblem);
    if (this.total > this.problems.length) lines.push(`… y ${this.total - this.problems.length} errores más.`);
    return lines;
  }
}

function summarizeProblems(fileName: string, problems: readonly ImportProblem[], total: number): string {
  const shown = problems.slice(0, SHOWN_PROBLEMS).map(formatProblem);
  const more = total - shown.length;
  const head = `No se importó "${fileName}": ${total === 1 ? 'tiene 1 error' : `tiene ${total} errores`}. No se guardó nada; corrija el archivo y vuelva a importarlo.`;
  return [head, ...shown, ...(more > 0 ? [`… y ${more} errores más.`] : [])].join('\n');
}
