import { formatCop } from '@gestiona/core/format';
import type { DebtorView } from '@gestiona/core/ipc';
import { PRODUCT_LABELS } from '../../labels.ts';

/** Text of an amount cell while main holds the debt details back (R12). */
const HIDDEN = 'Oculto';

export function ObligationsTable({ view }: { view: DebtorView }) {
  const { obligations, totals, identity } = view;
  return (
    <section className="panel">
      <h2 className="panel-title">Obligaciones ({obligations.length})</h2>
      <p className={identity.confirmed ? 'muted' : 'warning-line'} data-testid="identity-state" data-confirmed={identity.confirmed}>
        {identity.text}
      </p>
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
          {obligations.map((obligation) => {
            const detail = obligation.detail;
            return (
              <tr key={obligation.id}>
                <td>
                  <bdi>{obligation.creditor}</bdi>
                </td>
                <td className="nowrap">{obligation.number}</td>
                <td>
                  {PRODUCT_LABELS[obligation.product]}
                  {detail?.writtenOff && <span className="inline-tag">Castigada</span>}
                </td>
                <td className="numeric" data-testid="obligation-balance">
                  {detail ? formatCop(detail.balanceCents) : <span className="muted">{HIDDEN}</span>}
                </td>
                <td className="numeric">{detail ? formatCop(detail.overdueCents) : <span className="muted">{HIDDEN}</span>}</td>
                <td className="numeric">{detail ? detail.daysPastDue : <span className="muted">{HIDDEN}</span>}</td>
                <td className="obligation-terms" data-testid="obligation-terms">
                  {detail ? (
                    <>
                      <div className="muted" data-testid="obligation-credit-report">
                        {detail.creditReportText}
                      </div>
                      <div className={detail.collectionFee.allowed ? 'muted' : 'warning-line'} data-testid="obligation-collection-fee">
                        {detail.collectionFee.text}
                      </div>
                    </>
                  ) : (
                    <div className="muted">Se muestra al confirmar la identidad.</div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th colSpan={3}>Total</th>
            <th className="numeric" data-testid="obligations-total-balance">
              {totals ? formatCop(totals.balanceCents) : HIDDEN}
            </th>
            <th className="numeric">{totals ? formatCop(totals.overdueCents) : HIDDEN}</th>
            <th className="numeric">{totals ? totals.maxDaysPastDue : HIDDEN}</th>
            <th />
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
