import type { BoardFigures, BoardGroupFigures } from '@gestiona/core/board';
import { formatCop } from '@gestiona/core/format';
import { showRate, showSeconds } from './board-labels.ts';
import { FigureButton } from './FigureButton.tsx';

/** The key of the group of agents without a team, which has no scope of its own to drill into. */
const NO_TEAM_KEY = 'none';

/**
 * "Cifras de hoy": the figures of everything the user sees, then per team and per queue (the
 * segments of the strategy in force, in its order, and «Sin segmento»). Every figure opens the
 * agents and debtors behind it.
 */
export function FiguresPanel({ figures }: { figures: BoardFigures }) {
  return (
    <section className="board-panel" aria-labelledby="board-figures-title" data-testid="board-figures">
      <h2 id="board-figures-title">Cifras de hoy</h2>
      <table className="data-table board-table board-figures-table">
        <thead>
          <tr>
            <th>Grupo</th>
            <th className="numeric">Agentes</th>
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
          </tr>
        </thead>
        <tbody>
          <GroupRow group={figures.total} scope="all" kind="total" />
          {figures.teams.length > 0 && <SectionRow label="Por equipo" />}
          {figures.teams.map((team) => (
            <GroupRow key={team.key} group={team} scope={team.key === NO_TEAM_KEY ? null : `team:${team.key}`} kind="team" />
          ))}
          {figures.queues.length > 0 && <SectionRow label="Por cola (segmento)" />}
          {figures.queues.map((queue) => (
            <GroupRow key={queue.key} group={queue} scope={`queue:${queue.key}`} kind="queue" />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function SectionRow({ label }: { label: string }) {
  return (
    <tr className="board-figures-section">
      <th colSpan={14} scope="rowgroup">
        {label}
      </th>
    </tr>
  );
}

function GroupRow({ group, scope, kind }: { group: BoardGroupFigures; scope: string | null; kind: 'total' | 'team' | 'queue' }) {
  return (
    <tr data-testid="board-figures-row" data-kind={kind} data-key={group.key} className={kind === 'total' ? 'strong' : undefined}>
      <td>{group.label}</td>
      <td className="numeric">{group.agents}</td>
      <td className="numeric" data-testid="board-figure-pending">
        <FigureButton figure="pending" scope={scope}>
          {group.debtorsPending}
        </FigureButton>
      </td>
      <td className="numeric">
        <FigureButton figure="worked" scope={scope}>
          {group.debtorsWorked}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-figure-interactions">
        <FigureButton figure="interactions" scope={scope}>
          {group.interactions}
        </FigureButton>
      </td>
      <td className="numeric">
        <FigureButton figure="right-party" scope={scope} title={`${group.rightPartyContacts} contactos directos de ${group.interactions} gestiones`}>
          {showRate(group.rightPartyContacts, group.interactions)}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-figure-promises">
        <FigureButton figure="promises" scope={scope}>
          {group.promises}
        </FigureButton>
      </td>
      <td className="numeric">
        <FigureButton figure="promises" scope={scope}>
          {formatCop(group.promisedCents)}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-figure-handle">
        <FigureButton figure="handle-time" scope={scope}>
          {showSeconds(group.avgHandleSeconds)}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-figure-wrap-up">
        <FigureButton figure="wrap-up" scope={scope}>
          {showSeconds(group.avgWrapUpSeconds)}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-figure-untypified">
        <FigureButton figure="untypified" scope={scope}>
          {group.untypified}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-figure-budget">
        <FigureButton figure="budget-used" scope={scope}>
          {group.budgetUsedDebtors}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-figure-promises-due">
        <FigureButton figure="promises-due" scope={scope}>
          {`${group.promisesDue} · ${formatCop(group.promisesDueCents)}`}
        </FigureButton>
      </td>
      <td className="numeric" data-testid="board-figure-promises-broken">
        <FigureButton figure="promises-broken" scope={scope}>
          {`${group.promisesBroken} · ${formatCop(group.promisesBrokenCents)}`}
        </FigureButton>
      </td>
    </tr>
  );
}
