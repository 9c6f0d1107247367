import { limitLevel } from '@gestiona/core/desk-states';
import type { BoardAgent } from '@gestiona/core/board';
import { formatCop } from '@gestiona/core/format';
import { showDateTime } from '../../display.ts';
import { AGENT_STATE_LABELS, showRate, showTimeInState } from './board-labels.ts';

export function AgentsTable({ agents, now }: { agents: readonly BoardAgent[]; now: string }) {
  return (
    <section className="board-panel" aria-labelledby="board-agents-title">
      <h2 id="board-agents-title">Agentes</h2>
      <table className="data-table board-table">
        <thead>
          <tr>
            <th>Agente</th>
            <th>Estado</th>
            <th>Tiempo en el estado</th>
            <th className="numeric">Asignados</th>
            <th className="numeric">Trabajados hoy</th>
            <th className="numeric">Gestiones</th>
            <th className="numeric">Contacto directo</th>
            <th className="numeric">Promesas</th>
            <th className="numeric">Valor prometido</th>
            <th className="numeric">Bloqueos</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr
              key={agent.agentId}
              className={`board-limit-${limitLevel(agent.state, agent.stateSince, now)}`}
              data-testid="board-agent-row"
              data-agent={agent.username}
              data-state={agent.state}
              data-limit={limitLevel(agent.state, agent.stateSince, now)}
            >
              <td className="strong" title={agent.username}>
                {agent.fullName}
              </td>
              <td>
                <span className={`status-badge board-state-${agent.state}`} data-testid="board-agent-state">
                  {AGENT_STATE_LABELS[agent.state]}
                </span>
                {agent.pauseReason && (
                  <span className="board-pause-reason" data-testid="board-agent-pause-reason">
                    {' '}
                    ({agent.pauseReason})
                  </span>
                )}
              </td>
              <td className="nowrap" title={agent.stateSince ? `Desde ${showDateTime(agent.stateSince)}` : undefined}>
                {showTimeInState(agent.stateSince, now)}
              </td>
              <td className="numeric">{agent.leasedDebtors}</td>
              <td className="numeric" data-testid="board-agent-worked">
                {agent.debtorsWorked}
              </td>
              <td className="numeric" data-testid="board-agent-interactions">
                {agent.interactions}
              </td>
              <td className="numeric" data-testid="board-agent-rpc" title={`Tasa de contacto directo: ${showRate(agent.rightPartyContacts, agent.interactions)}`}>
                {agent.rightPartyContacts}
              </td>
              <td className="numeric" data-testid="board-agent-promises">
                {agent.promises}
              </td>
              <td className="numeric" data-testid="board-agent-promised">
                {formatCop(agent.promisedCents)}
              </td>
              <td className="numeric" data-testid="board-agent-blocked" title={`${agent.decisions} decisiones de cumplimiento hoy`}>
                {agent.blockedDecisions}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {agents.length === 0 && <p className="empty-state">No hay agentes activos.</p>}
    </section>
  );
}
