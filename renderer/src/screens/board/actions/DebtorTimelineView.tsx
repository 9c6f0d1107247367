import type { TimelineItem } from '@gestiona/core/board';
import { showDateTime } from '../../../display.ts';
import { useBoardActionsStore } from './board-actions-store.ts';

const KIND_LABELS: Readonly<Record<TimelineItem['kind'], string>> = {
  decision: 'Control legal',
  interaction: 'Gestión',
  lease: 'Asignación',
  reassignment: 'Reasignación',
  view: 'Consulta',
};

/** Shows the open debtor's history as the server stores it, read-only. The server records each opening as a view of the debtor's file. */
export function DebtorTimelineView() {
  const { timeline, closeTimeline } = useBoardActionsStore();
  if (timeline === null) return null;

  return (
    <section className="board-panel board-timeline" aria-labelledby="board-timeline-title" data-testid="debtor-timeline" data-debtor={timeline.debtorId}>
      <h2 id="board-timeline-title">Historial de {timeline.data?.debtorName ?? timeline.debtorId}</h2>
      <p className="muted">Lo que el servidor central ha recibido; las gestiones de una estación sin conexión llegan cuando se reconecta. Esta consulta queda registrada.</p>
      {timeline.error && (
        <p className="message message-error" role="alert">
          {timeline.error}
        </p>
      )}
      {timeline.data === null && timeline.error === null && <p className="muted">Cargando…</p>}
      {timeline.data && (
        <table className="data-table board-table">
          <thead>
            <tr>
              <th>Fecha y hora</th>
              <th>Tipo</th>
              <th>Qué pasó</th>
              <th>Agente</th>
              <th>Detalle</th>
            </tr>
          </thead>
          <tbody>
            {timeline.data.items.map((item, index) => (
              <tr key={`${item.at}-${index}`} data-testid="debtor-timeline-item" data-kind={item.kind}>
                <td className="nowrap">{showDateTime(item.at)}</td>
                <td>{KIND_LABELS[item.kind]}</td>
                {/* Titles and details carry imported and typed text that may contain bidirectional controls (U+202E), so <bdi> keeps it from reordering the rest of the row. */}
                <td>
                  <bdi>{item.title}</bdi>
                </td>
                <td>
                  <bdi>{item.agentName ?? ''}</bdi>
                </td>
                <td>
                  <bdi>{item.detail}</bdi>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {timeline.data?.items.length === 0 && <p className="empty-state">El servidor no tiene historial de este deudor.</p>}
      <button type="button" onClick={closeTimeline}>
        Cerrar historial
      </button>
    </section>
  );
}
