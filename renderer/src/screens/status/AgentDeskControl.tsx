import { useEffect, useState } from 'react';
import { BOARD_AGENT_STATE_LABELS, PAUSE_REASONS, type PauseReason } from '@gestiona/core/desk-states';
import { showDateTime } from '../../display.ts';
import { followAgentDesk, useAgentDeskStore } from '../../store/agent-desk.ts';
import { useSessionStore } from '../../store/session.ts';
import { RemotePauseNotice } from '../board/actions/RemotePauseNotice.tsx';

/**
 * The agent's own state in the status bar, with the controls that change it: a pause with its
 * reason, the resume, and the end of the call in progress.
 */
export function AgentDeskControl() {
  const { status, error, pause, resume, endCall } = useAgentDeskStore();
  const attemptId = useSessionStore((store) => store.state?.wrapUp?.attemptId ?? null);
  const [reason, setReason] = useState<PauseReason>(PAUSE_REASONS[0]);

  useEffect(() => followAgentDesk(), []);

  if (!status) return null;
  return (
    <span className="status-item" data-testid="agent-desk" data-state={status.state}>
      <span title={status.since ? `Desde ${showDateTime(status.since)}` : undefined} data-testid="agent-desk-state">
        {BOARD_AGENT_STATE_LABELS[status.state]}
        {status.pauseReason ? ` (${status.pauseReason})` : ''}
      </span>
      <RemotePauseNotice status={status} />{' '}
      {status.state === 'available' && (
        <>
          <select aria-label="Motivo de la pausa" data-testid="pause-reason" value={reason} onChange={(event) => setReason(event.target.value as PauseReason)}>
            {PAUSE_REASONS.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>{' '}
          <button type="button" className="status-button" data-testid="pause-button" onClick={() => void pause(reason)}>
            Pausar
          </button>
        </>
      )}
      {status.state === 'paused' && (
        <button type="button" className="status-button" data-testid="resume-button" onClick={() => void resume()}>
          Reanudar
        </button>
      )}
      {status.state === 'on-call' && attemptId !== null && (
        <button type="button" className="status-button" data-testid="call-ended-button" onClick={() => void endCall(attemptId)}>
          Terminé la llamada
        </button>
      )}
      {error && (
        <span className="status-error" role="alert" data-testid="agent-desk-error" title={error}>
          {error}
        </span>
      )}
    </span>
  );
}
