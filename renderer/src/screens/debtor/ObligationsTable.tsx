import { formatCop } from '@gestiona/core/format';
import type { DebtorView } from '@gestiona/core/ipc';
import { PRODUCT_LABELS } from '../../labels.ts';

export function ObligationsTable({ view }: { view: DebtorView }) {
  const { obligations, totals } = view;
  return (
    <section className="panel">
      <h2 className="panel-title">Obligaciones ({obligations.length})</h2>
      <table className="data-table obligations-table">
        <thead>
          <tr>
            <th>Entidad</th>
            <th>Número</th>
            <th>Producto</th>
            <th className="numeric">Saldo</th>
            <th className="numeric">Vencido</th>
            <th className="numeric">Días de mora</th>
            <th>Reporte y gastos de cobranza</th>
          </tr>
        </thead>
        <tbody>
          {obligations.map((obligation) => (
            <tr key={obligation.id}>
              <td>{obligation.creditor}</td>
              <td className="nowrap">{obligation.number}</td>
              <td>
                {PRODUCT_LABELS[obligation.product]}
                {obligation.writtenOff && <span className="inline-tag">Castigada</span>}
              </td>
              <td className="numeric">{formatCop(obligation.balanceCents)}</td>
              <td className="numeric">{formatCop(obligation.overdueCents)}</td>
              <td className="numeric">{obligation.daysPastDue}</td>
              <td className="obligation-terms" data-testid="obligation-terms">
                <div className="muted" data-testid="obligation-credit-report">{obligation.creditReportText}</div>
                <div className={obligation.collectionFee.allowed ? 'muted' : 'warning-line'} data-testid="obligation-collection-fee">
                  {obligation.collectionFee.text}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={3}>Total</th>
            <th className="numeric" data-testid="obligations-total-balance">
              {formatCop(totals.balanceCents)}
            </th>
            <th className="numeric">{formatCop(totals.overdueCents)}</th>
            <th className="numeric">{totals.maxDaysPastDue}</th>
            <th />
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
