import { useState } from 'react';
import type { BoardAgent } from '@gestiona/core/board';
import { PAUSE_REASONS, type PauseReason } from '@gestiona/core/desk-states';
import { useBoardActionsStore } from './board-actions-store.ts';

/**
 * Renders the team lead's actions on one agent's row: pause with a reason or resume the agent at their
 * workstation, and open the reassignment form with the agent's debtors. An offline agent cannot be
 * paused, because nothing would apply the pause.
 */
export function AgentActionsCell({ agent }: { agent: BoardAgent }) {
  const { busy, pause, resume, openReassign } = useBoardActionsStore();
  const [reason, setReason] = useState<PauseReason>(PAUSE_REASONS[0]);

  return (
    <td className="nowrap board-agent-actions" data-testid="board-agent-actions">
      {agent.state === 'paused' ? (
        <button type="button" className="status-button" data-testid="board-resume-agent" disabled={busy} onClick={() => void resume(agent.agentId)}>
          Reanudar
        </button>
      ) : (
        <>
          <select aria-label={`Motivo de la pausa de ${agent.fullName}`} data-testid="board-pause-reason" value={reason} onChange={(event) => setReason(event.target.value as PauseReason)}>
            {PAUSE_REASONS.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>{' '}
          <button
            type="button"
            className="status-button"
            data-testid="board-pause-agent"
            disabled={busy || agent.state === 'offline'}
            title={agent.state === 'offline' ? 'La estación del agente no está conectada.' : undefined}
            onClick={() => void pause(agent.agentId, reason)}
          >
            Pausar
          </button>
        </>
      )}{' '}
      <button type="button" className="status-button" data-testid="board-reassign-from" onClick={() => openReassign(agent.agentId)}>
        Reasignar…
      </button>
    </td>
  );
}
