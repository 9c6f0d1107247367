import { useState } from 'react';
import type { Board, BoardAlarm } from '@gestiona/core/board';
import { callApi } from '../../api/client.ts';
import { showDateTime } from '../../display.ts';
import { ALARM_CATEGORY_LABELS, showAlarmCount } from './board-labels.ts';

/**
 * "Alertas de cumplimiento": today's alarms that no team lead has reviewed, and the last 7 days'
 * counts. Marking one as reviewed goes to the server, then the board is read again through `onChanged`.
 */
export function AlarmsPanel({ alarms, onChanged }: { alarms: Board['alarms']; onChanged: () => void }) {
  const [busyId, setBusyId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function acknowledge(alarm: BoardAlarm): Promise<void> {
    setBusyId(alarm.id);
    setError(null);
    const result = await callApi('alarm:acknowledge', { alarmId: alarm.id });
    setBusyId(null);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    onChanged();
  }

  const hidden = alarms.openTotal - alarms.open.length;
  return (
    <section className="board-panel board-alarms" aria-labelledby="board-alarms-title" data-testid="board-alarms" data-open={alarms.openTotal}>
      <h2 id="board-alarms-title">Alertas de cumplimiento</h2>
      <p className="board-compliance-summary" data-testid="board-alarm-week">
        Últimos 7 días:{' '}
        {alarms.lastSevenDays.map((entry, index) => (
          <span key={entry.category} data-testid="board-alarm-week-count" data-category={entry.category} data-count={entry.count}>
            {index > 0 && ' · '}
            {ALARM_CATEGORY_LABELS[entry.category]}: {entry.count}
          </span>
        ))}
      </p>

      {error && (
        <p className="message message-error" role="alert" data-testid="board-alarm-error">
          {error}
        </p>
      )}

      {alarms.open.length === 0 ? (
        <p className="empty-state">Ninguna alerta pendiente de revisión hoy.</p>
      ) : (
        <ul className="board-alarm-list">
          {alarms.open.map((alarm) => (
            <li key={alarm.id} className={`board-alarm board-alarm-${alarm.category}`} data-testid="board-alarm" data-alarm={alarm.id} data-kind={alarm.kind}>
              <div className="board-alarm-head">
                <span className="status-badge">{alarm.kindLabel}</span>
                <span className="nowrap">{showDateTime(alarm.createdAt)}</span>
                <span>Estación {alarm.workstationId}</span>
                <span>Agente {alarm.agentName ?? alarm.agentId}</span>
                {alarm.debtorId !== null && (
                  <span>
                    Deudor {alarm.debtorName ?? ''} ({alarm.debtorId})
                  </span>
                )}
                <button type="button" onClick={() => void acknowledge(alarm)} disabled={busyId !== null} data-testid="board-alarm-ack">
                  Marcar como revisada
                </button>
              </div>
              <p className="board-alarm-message" data-testid="board-alarm-message">
                {alarm.message}
              </p>
            </li>
          ))}
        </ul>
      )}
      {hidden > 0 && <p className="muted">{showAlarmCount(hidden)} más sin revisar hoy; revíselas con el comando de alarmas del servidor.</p>}
    </section>
  );
}
