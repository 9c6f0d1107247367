import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef } from 'react';
import type { BoardDrill, BoardDrillDebtor } from '@gestiona/core/board';
import { showDateTime } from '../../display.ts';
import { useBoardLiveStore } from '../../store/board-live.ts';
import { isTimeFigure, showSeconds } from './board-labels.ts';

const DEBTOR_ROW_PX = 44;

/** The side panel of a drill-down: the agents and debtors behind the figure the team lead opened. Memoised like `TrendsPanel`. */
export const DrillPanel = memo(function DrillPanel() {
  const { drillRequest, drill, drillLoading, drillError } = useBoardLiveStore();
  if (drillRequest === null) return null;

  return (
    <aside className="board-drill" aria-labelledby="board-drill-title" data-testid="board-drill" data-figure={drillRequest.figure} data-scope={drillRequest.scope}>
      <div className="board-panel-head">
        <h2 id="board-drill-title">{drill?.title ?? 'Cargando…'}</h2>
        <button type="button" onClick={() => useBoardLiveStore.getState().closeDrill()} data-testid="board-drill-close">
          Cerrar
        </button>
      </div>
      {drillError && (
        <p className="message message-error" role="alert" data-testid="board-drill-error">
          {drillError}
        </p>
      )}
      {drill && !drillLoading && <DrillContent drill={drill} />}
    </aside>
  );
});

function DrillContent({ drill }: { drill: BoardDrill }) {
  const timed = isTimeFigure(drill.figure);
  return (
    <>
      <h3>Agentes</h3>
      {drill.agents.length === 0 ? (
        <p className="empty-state">Ningún agente.</p>
      ) : (
        <table className="data-table board-table">
          <thead>
            <tr>
              <th>Agente</th>
              <th className="numeric">{timed ? 'Promedio' : 'Cantidad'}</th>
            </tr>
          </thead>
          <tbody>
            {drill.agents.map((agent) => (
              <tr key={agent.agentId} data-testid="board-drill-agent" data-agent={agent.agentId} data-value={agent.value}>
                <td>{agent.fullName}</td>
                <td className="numeric">{timed ? showSeconds(agent.value) : agent.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {drill.figure !== 'wrap-up' && (
        <>
          <h3>
            Deudores{' '}
            <span className="muted" data-testid="board-drill-total" data-total={drill.debtorsTotal}>
              ({drill.debtors.length < drill.debtorsTotal ? `los primeros ${drill.debtors.length} de ${drill.debtorsTotal}` : drill.debtorsTotal})
            </span>
          </h3>
          {drill.debtors.length === 0 ? <p className="empty-state">Ningún deudor.</p> : <DebtorList debtors={drill.debtors} />}
        </>
      )}
    </>
  );
}

/** The debtors of a drill-down, up to 500, in a virtualised list so that a long one scrolls smoothly. */
function DebtorList({ debtors }: { debtors: readonly BoardDrillDebtor[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the build has no React Compiler, and the virtualizer is read during render only.
  const virtualizer = useVirtualizer({
    count: debtors.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => DEBTOR_ROW_PX,
    overscan: 10,
    initialRect: { width: 360, height: 480 },
  });

  return (
    <div ref={scrollRef} className="board-drill-list" data-testid="board-drill-debtors">
      <ul style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const debtor = debtors[item.index]!;
          return (
            <li
              key={`${debtor.debtorId}-${debtor.agentId}-${item.index}`}
              className="board-drill-debtor"
              data-testid="board-drill-debtor"
              data-debtor={debtor.debtorId}
              style={{ transform: `translateY(${item.start}px)`, height: DEBTOR_ROW_PX }}
            >
              <span className="strong">
                Deudor <bdi>{debtor.fullName}</bdi> ({debtor.debtorId})
              </span>
              <span className="muted">
                <bdi>{debtor.agentName}</bdi>
                {debtor.at !== null && ` · ${showDateTime(debtor.at)}`} · <bdi>{debtor.detail}</bdi>
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
