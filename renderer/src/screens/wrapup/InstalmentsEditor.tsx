import { formatCopInput } from '../../input/amount.ts';
import { instalmentsTotalCents, type InstalmentDraft } from '../../wrapup/fields.ts';

interface InstalmentsEditorProps {
  testId: string;
  /** Null until the agent first edits the plan; one empty row is shown meanwhile. */
  rows: InstalmentDraft[] | null;
  onChange(rows: InstalmentDraft[]): void;
}

const EMPTY_ROW: InstalmentDraft = { dueDate: '', amount: '' };
const MAX_INSTALMENTS = 60;

export function InstalmentsEditor({ testId, rows, onChange }: InstalmentsEditorProps) {
  const visibleRows = rows && rows.length > 0 ? rows : [EMPTY_ROW];

  function update(index: number, change: Partial<InstalmentDraft>) {
    onChange(visibleRows.map((row, rowIndex) => (rowIndex === index ? { ...row, ...change } : row)));
  }

  return (
    <div className="instalments-editor" data-testid={testId}>
      <table className="data-table instalments-table">
        <thead>
          <tr>
            <th>Cuota</th>
            <th>Fecha (dd/mm/aaaa)</th>
            <th>Valor</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {visibleRows.map((row, index) => (
            <tr key={index}>
              <td className="numeric">{index + 1}</td>
              <td>
                <input
                  data-testid="wrapup-instalment-date"
                  aria-label={`Fecha de la cuota ${index + 1}`}
                  placeholder="dd/mm/aaaa"
                  value={row.dueDate}
                  onChange={(event) => update(index, { dueDate: event.target.value })}
                />
              </td>
              <td>
                <input
                  data-testid="wrapup-instalment-amount"
                  aria-label={`Valor de la cuota ${index + 1}`}
                  inputMode="decimal"
                  placeholder="1.234.567"
                  value={row.amount}
                  onChange={(event) => update(index, { amount: event.target.value })}
                />
              </td>
              <td>
                <button
                  type="button"
                  className="link-button"
                  data-testid="wrapup-instalment-remove"
                  disabled={visibleRows.length === 1}
                  onClick={() => onChange(visibleRows.filter((_row, rowIndex) => rowIndex !== index))}
                >
                  Quitar
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="instalments-footer">
        <button
          type="button"
          data-testid="wrapup-instalment-add"
          disabled={visibleRows.length >= MAX_INSTALMENTS}
          onClick={() => onChange([...visibleRows, EMPTY_ROW])}
        >
          Agregar cuota
        </button>
        <span>Total del acuerdo: $ {formatCopInput(instalmentsTotalCents(visibleRows))}</span>
      </div>
    </div>
  );
}
