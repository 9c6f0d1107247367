/** Reads one data row by column name, recording each invalid cell with its line, column and value. */
import type { ProblemList } from './problems.ts';
import type { TableRow } from './read-table.ts';
import type { Parsed } from './values.ts';

export class RowReader {
  constructor(
    readonly row: TableRow,
    private readonly index: ReadonlyMap<string, number>,
    private readonly problems: ProblemList,
  ) {}

  get line(): number {
    return this.row.line;
  }

  /** Cell text, '' when the column is absent or the row is short. */
  raw(column: string): string {
    const position = this.index.get(column);
    return position === undefined ? '' : (this.row.cells[position] ?? '').trim();
  }

  has(column: string): boolean {
    return this.raw(column) !== '';
  }

  /**
   * Parsed value, or undefined after recording a problem; an empty cell is a problem, reported with
   * `whyRequired` when the column is required only because of another cell.
   */
  required<T>(column: string, parse: (raw: string) => Parsed<T>, whyRequired?: string): T | undefined {
    const raw = this.raw(column);
    if (raw === '') {
      const because = whyRequired ? ` porque ${whyRequired}` : '';
      this.report(column, null, `está vacío y es obligatorio${because}. Complete el dato.`);
      return undefined;
    }
    return this.parse(column, raw, parse);
  }

  /** Parsed value, null for an empty cell, or undefined after recording a problem. */
  optional<T>(column: string, parse: (raw: string) => Parsed<T>): T | null | undefined {
    const raw = this.raw(column);
    return raw === '' ? null : this.parse(column, raw, parse);
  }

  report(column: string | null, value: string | null, message: string): void {
    this.problems.add({ line: this.row.line, column, value, message });
  }

  private parse<T>(column: string, raw: string, parse: (raw: string) => Parsed<T>): T | undefined {
    const result = parse(raw);
    if (result.ok) return result.value;
    this.report(column, raw, result.message);
    return undefined;
  }
}
