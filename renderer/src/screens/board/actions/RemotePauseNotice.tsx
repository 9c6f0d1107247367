import type { AgentStatus } from '@gestiona/core/agent-state';

/**
 * Tells the agent, in the status bar, that a team lead paused them from the board, or that a pause
 * the lead asked for during the call starts when the typification is saved.
 */
export function RemotePauseNotice({ status }: { status: AgentStatus }) {
  if (status.pendingPause) {
    return (
      <span className="status-note" data-testid="agent-pending-pause">
        {' '}
        · {status.pendingPause.byName} pidió una pausa ({status.pendingPause.reason}): empieza cuando guarde la tipificación.
      </span>
    );
  }
  if (status.state === 'paused' && status.pausedBy) {
    return (
      <span className="status-note" data-testid="agent-paused-by">
        {' '}
        · Pausa indicada por {status.pausedBy} desde el tablero.
      </span>
    );
  }
  return null;
}
