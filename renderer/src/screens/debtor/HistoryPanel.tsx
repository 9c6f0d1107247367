import type { HistoryItem } from '@gestiona/core/ipc';
import { showDateTime } from '../../display.ts';
import { CHANNEL_LABELS } from '../../labels.ts';

const ORIGIN_LABELS: Record<HistoryItem['origin'], string> = {
  local: 'Esta estación',
  remote: 'Otra estación o canal',
};

export function HistoryPanel({ history }: { history: HistoryItem[] }) {
  return (
    <section className="panel">
      <h2 className="panel-title">Historial reciente</h2>
      {history.length === 0 ? (
        <p className="empty-state">Sin gestiones registradas.</p>
      ) : (
        <table className="data-table history-table">
          <thead>
            <tr>
              <th>Fecha</th>
              <th>Canal</th>
              <th>Persona</th>
              <th>Resultado</th>
              <th>Origen</th>
            </tr>
          </thead>
          <tbody>
            {history.map((item, index) => (
              <tr key={`${item.at}-${index}`} data-testid="history-item">
                <td className="nowrap">{showDateTime(item.at)}</td>
                <td>{CHANNEL_LABELS[item.channel]}</td>
                <td>{item.personName}</td>
                <td>
                  {item.code && <span className="code-tag">{item.code}</span>}
                  {item.label}
                </td>
                <td className="muted">{ORIGIN_LABELS[item.origin]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
