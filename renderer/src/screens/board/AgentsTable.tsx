import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import { limitLevel } from '@gestiona/core/desk-states';
import type { BoardAgent } from '@gestiona/core/board';
import { formatCop } from '@gestiona/core/format';
import { showDateTime } from '../../display.ts';
import { AgentActionsCell } from './actions/AgentActionsCell.tsx';
import { AGENT_STATE_LABELS, showRate, showSeconds, showTimeInState } from './board-labels.ts';
import { FigureButton } from './FigureButton.tsx';

/** From this many agents on, only the rows in view are rendered, so that a floor of 500 agents stays smooth. */
export const VIRTUALIZE_FROM = 40;
const ROW_PX = 40;
const COLUMNS = 18;

export function AgentsTable({ agents, now }: { agents: readonly BoardAgent[]; now: string }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = agents.length >= VIRTUALIZE_FROM;
  // eslint-disable-next-line react-hooks/incompatible-library -- the build has no React Compiler, and the virtualizer is read during render only.
  const virtualizer = useVirtualizer({
    count: virtual ? agents.length : 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_PX,
    overscan: 12,
    initialRect: { width: 1200, height: 600 },
  });

  const items = virtualizer.getVirtualItems();
  const shown = virtual ? items.map((item) => agents[item.index]!) : agents;
  const paddingTop = virtual && items.length > 0 ? items[0]!.start : 0;
  const paddingBottom = virtual && items.length > 0 ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;

  return (
    <section className="board-panel" aria-labelledby="board-agents-title">
      <h2 id="board-agents-title">
        Agentes <span className="muted">({agents.length})</span>
      </h2>
      <div ref={scrollRef} className={virtual ? 'board-agents-scroll' : undefined} data-testid="board-agents" data-virtual={virtual}>
        <table className="data-table board-table">
          <thead>
            <tr>
              <th>Agente</th>
              <th>Estado</th>
              <th>Tiempo en el estado</th>
              <th className="numeric">Asignados</th>
              <th className="numeric">Pendientes</th>
              <th className="numeric">Trabajados hoy</th>
              <th className="numeric">Gestiones</th>
              <th className="numeric">Contacto directo</th>
              <th className="numeric">Promesas</th>
              <th className="numeric">Valor prometido</th>
              <th className="numeric">Tiempo medio de gestión</th>
              <th className="numeric">Tiempo medio de tipificación</th>
              <th className="numeric">Sin tipificar</th>
              <th className="numeric">Contacto del día agotado</th>
              <th className="numeric">Promesas que vencen hoy</th>
              <th className="numeric">Promesas incumplidas hoy</th>
              <th className="numeric">Bloqueos</th>
              <th>Acciones</th>
            </tr>
          </thead>
          <tbody>
            {paddingTop > 0 && <SpacerRow height={paddingTop} />}
            {shown.map((agent) => (
              <AgentRow key={agent.agentId} agent={agent} now={now} />
            ))}
            {paddingBottom > 0 && <SpacerRow height={paddingBottom} />}
          </tbody>
        </table>
      </div>
      {agents.length === 0 && <p className="empty-state">No hay agentes activos.</p>}
    </section>
  );
}

function SpacerRow({ height }: { height: number }) {
  return (
    <tr aria-hidden="true" className="board-spacer" style={{ height }}>
      <td colSpan={COLUMNS} />
    </tr>
  );
}

/**
 * Each board read brings new objects for every agent, so rows compare their fields: a refresh
 * renders again only the rows of the agents that changed.
 */
const AgentRow = memo(function AgentRow({ agent, now }: { agent: BoardAgent; now: string }) {
  const level = limitLevel(agent.state, agent.stateSince, now);
  const scope = `agent:${agent.agentId}`;
  return (
    <tr className={`board-limit-${level}`} data-testid="board-agent-row" data-agent={agent.username} data-state={agent.state} data-limit={level}>
      <td className="strong" title={agent.username}>
        <bdi>{agent.fullName}</bdi>
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
      <td className="numeric" data-testid="board-agent-pending">
        <FigureButton figure="pending" scope={scope}>
          {agent.debtorsPending}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-agent-worked">
        <FigureButton figure="worked" scope={scope}>
          {agent.debtorsWorked}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-agent-interactions">
        <FigureButton figure="interactions" scope={scope}>
          {agent.interactions}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-agent-rpc">
        <FigureButton figure="right-party" scope={scope} title={`Tasa de contacto directo: ${showRate(agent.rightPartyContacts, agent.interactions)}`}>
          {agent.rightPartyContacts}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-agent-promises">
        <FigureButton figure="promises" scope={scope}>
          {agent.promises}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-agent-promised">
        {formatCop(agent.promisedCents)}
      </td>
      <td className="numeric" data-testid="board-agent-handle">
        <FigureButton figure="handle-time" scope={scope}>
          {showSeconds(agent.avgHandleSeconds)}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-agent-wrap-up">
        <FigureButton figure="wrap-up" scope={scope}>
          {showSeconds(agent.avgWrapUpSeconds)}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-agent-untypified">
        <FigureButton figure="untypified" scope={scope}>
          {agent.untypified}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-agent-budget">
        <FigureButton figure="budget-used" scope={scope}>
          {agent.budgetUsedDebtors}
        </FigureButton>
      </td>
      <td className="numeric nowrap" data-testid="board-agent-promises-due" title={formatCop(agent.promisesDueCents)}>
        {agent.promisesDue}
      </td>
      <td className="numeric nowrap" data-testid="board-agent-promises-broken" title={formatCop(agent.promisesBrokenCents)}>
        {agent.promisesBroken}
      </td>
      <td className="numeric" data-testid="board-agent-blocked">
        <FigureButton figure="blocked" scope={scope} title={`${agent.decisions} decisiones de cumplimiento hoy`}>
          {agent.blockedDecisions}
        </FigureButton>
      </td>
      <AgentActionsCell agent={agent} />
    </tr>
  );
}, sameRow);

function sameRow(before: { agent: BoardAgent; now: string }, after: { agent: BoardAgent; now: string }): boolean {
  if (before.now !== after.now) return false;
  const keys = Object.keys(after.agent) as (keyof BoardAgent)[];
  return keys.length === Object.keys(before.agent).length && keys.every((key) => before.agent[key] === after.agent[key]);
}
