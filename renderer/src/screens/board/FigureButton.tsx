import type { ReactNode } from 'react';
import type { BoardDrillFigure } from '@gestiona/core/board';
import { useBoardLiveStore } from '../../store/board-live.ts';
import { FIGURE_LABELS } from './board-labels.ts';

/** A figure of the board that opens the agents and debtors behind it; plain text when `scope` is null. */
export function FigureButton({ figure, scope, children, title }: { figure: BoardDrillFigure; scope: string | null; children: ReactNode; title?: string }) {
  if (scope === null) return <>{children}</>;
  return (
    <button
      type="button"
      className="board-figure-button"
      data-testid="board-figure"
      data-figure={figure}
      data-scope={scope}
      title={title ?? `Ver agentes y deudores: ${FIGURE_LABELS[figure]}`}
      onClick={() => void useBoardLiveStore.getState().openDrill(figure, scope)}
    >
      {children}
    </button>
  );
}
