import { useEffect, useState } from 'react';
import type { BoardAgent } from '@gestiona/core/board';
import { subscribePush } from '../../../api/client.ts';
import { showDateTime } from '../../../display.ts';
import { useBoardActionsStore } from './board-actions-store.ts';
import { DebtorTimelineView } from './DebtorTimelineView.tsx';
import { ReassignForm } from './ReassignForm.tsx';

/** Refresh period of the action state while the window is visible, in ms; the same as the board's. */
const ACTIONS_REFRESH_MS = 5_000;

/**
 * Shows the team lead's actions on the board: alerts for workstations offline past the threshold, the
 * outcome of the last action, the reassignment form, pending and recent reassignments, and the
 * search that opens a debtor's timeline.
 */
export function BoardActionsPanel({ agents }: { agents: readonly BoardAgent[] }) {
  const { actions, loadError, notice, reassignFrom, openTimeline } = useBoardActionsStore();
  const [debtorQuery, setDebtorQuery] = useState('');

  useEffect(() => followBoardActions(), []);

  return (
    <section className="board-panel board-actions" aria-labelledby="board-actions-title" data-testid="board-actions">
      <h2 id="board-actions-title">Acciones del supervisor</h2>
      {loadError && (
        <p className="message message-error" role="alert">
          {loadError}
        </p>
      )}
      {actions && actions.offlineAlerts.length > 0 && (
        <ul className="board-offline-alerts" aria-label={`Estaciones sin conexión por más de ${actions.offlineThresholdMinutes} minutos`}>
          {actions.offlineAlerts.map((alert) => (
            <li key={alert.workstationId} className="message message-error" role="alert" data-testid="board-offline-alert" data-workstation={alert.workstationId}>
              {alert.message}
            </li>
          ))}
        </ul>
      )}
      {notice && (
        <p className={`message ${notice.kind === 'ok' ? 'message-info' : 'message-error'}`} role="status" data-testid="board-action-notice" data-kind={notice.kind}>
          {notice.text}
        </p>
      )}

      <form
        className="board-timeline-search"
        onSubmit={(event) => {
          event.preventDefault();
          if (debtorQuery.trim() !== '') void openTimeline(debtorQuery.trim());
        }}
      >
        <label>
          Historial del deudor:{' '}
          <input data-testid="board-timeline-debtor" value={debtorQuery} onChange={(event) => setDebtorQuery(event.target.value)} placeholder="CC-1020304050" />
        </label>{' '}
        <button type="submit">Ver historial</button>
      </form>

      {reassignFrom !== null && <ReassignForm key={reassignFrom} agents={agents} fromAgentId={reassignFrom} />}

      {actions && actions.reassignments.length > 0 && (
        <table className="data-table board-table" data-testid="board-reassignments">
          <thead>
            <tr>
              <th>Deudor</th>
              <th>De</th>
              <th>A</th>
              <th>Estado</th>
              <th>Pedida</th>
            </tr>
          </thead>
          <tbody>
            {actions.reassignments.map((row) => (
              <tr key={row.id} data-testid="board-reassignment-row" data-debtor={row.debtorId} data-state={row.state}>
                <td>
                  <button type="button" className="link-button" onClick={() => void openTimeline(row.debtorId)}>
                    {row.debtorName}
                  </button>
                </td>
                <td>{row.fromAgentName ?? '—'}</td>
                <td>{row.toAgentName}</td>
                <td data-testid="board-reassignment-state">
                  {row.state === 'pending' && (row.pendingReason ?? 'Pendiente de reasignación')}
                  {row.state === 'done' && `Reasignado el ${showDateTime(row.completedAt)}`}
                  {row.state === 'cancelled' && 'Cancelada'}
                </td>
                <td className="nowrap">
                  {showDateTime(row.requestedAt)} por {row.requestedByName}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <DebtorTimelineView />
    </section>
  );
}

/** Loads the action state now, every `ACTIONS_REFRESH_MS` while visible and on pushes that may follow a change. Returns the stop function. */
function followBoardActions(): () => void {
  const refresh = (): void => {
    if (document.visibilityState === 'visible') void useBoardActionsStore.getState().load();
  };
  refresh();
  const timer = window.setInterval(refresh, ACTIONS_REFRESH_MS);
  document.addEventListener('visibilitychange', refresh);
  const stopPush = subscribePush((message) => {
    if (message.type === 'board-changed' || message.type === 'session') refresh();
  });
  return () => {
    window.clearInterval(timer);
    document.removeEventListener('visibilitychange', refresh);
    stopPush();
  };
}
