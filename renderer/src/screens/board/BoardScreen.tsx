import { useEffect } from 'react';
import { subscribePush } from '../../api/client.ts';
import { showDate, showDateTime } from '../../display.ts';
import { useTrustedNow } from '../../hooks/useTrustedNow.ts';
import { useBoardLiveStore } from '../../store/board-live.ts';
import { useBoardStore } from '../../store/board.ts';
import { AgentsTable } from './AgentsTable.tsx';
import { AlarmsPanel } from './AlarmsPanel.tsx';
import { BoardActionsPanel } from './actions/BoardActionsPanel.tsx';
import { BlockedRulesPanel } from './BlockedRulesPanel.tsx';
import { DrillPanel } from './DrillPanel.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { FiguresPanel } from './FiguresPanel.tsx';
import { TrendsPanel } from './TrendsPanel.tsx';
import { WorkstationsTable } from './WorkstationsTable.tsx';
import './board.css';

/**
 * Fallback refresh period of the board while the window is visible, in ms. Changes of the agents
 * and of the team lead's own workstation (its backlog, its clock) come as pushes within a second;
 * this catches what nobody's change announces: a lease that runs out, a promise the nightly sweep
 * breaks, the new day at midnight.
 */
export const BOARD_REFRESH_MS = 60_000;

/** How often the times in state move on screen, in ms. */
const CLOCK_TICK_MS = 5_000;

/** Shows the team lead's live board: compliance alarms, agents, workstations and today's blocked attempts, read from the server. */
export function BoardScreen() {
  const { board, loading, error } = useBoardStore();
  const now = useTrustedNow(CLOCK_TICK_MS);

  let updatedText = '';
  if (board) updatedText = `Actualizado: ${showDateTime(board.generatedAt)}`;
  else if (loading) updatedText = 'Cargando…';

  useEffect(() => followBoard(), []);

  return (
    <section className="board-screen" data-testid="board">
      <header className="screen-header">
        <h1>Tablero</h1>
        {board && <span className="muted">Hoy, {showDate(board.date)}</span>}
        <span className="muted" data-testid="board-updated">
          {updatedText}
        </span>
        <button type="button" onClick={() => void useBoardStore.getState().load()} disabled={loading}>
          Actualizar
        </button>
        {board && <ExportButtons />}
      </header>

      {error && (
        <p className="message message-error" role="alert" data-testid="board-error">
          {error}
        </p>
      )}

      {board && (
        <div className="board-body">
          <AlarmsPanel alarms={board.alarms} onChanged={() => void useBoardStore.getState().load()} />
          <BoardActionsPanel agents={board.agents} />
          <FiguresPanel figures={board.figures} />
          <TrendsPanel />
          <AgentsTable agents={board.agents} now={now} />
          <WorkstationsTable workstations={board.workstations} now={now} />
          <BlockedRulesPanel compliance={board.compliance} />
        </div>
      )}
      <DrillPanel />
    </section>
  );
}

/**
 * Loads the board now, then on every push from main that may follow a change (an agent's state or
 * stored events, a reconnection, new data, a new alarm), coalesced to at most 4 reads a second, and
 * every `BOARD_REFRESH_MS` while the window is visible. The charts follow, at their own slower pace.
 * Returns the stop function.
 */
function followBoard(): () => void {
  const refresh = (): void => {
    if (document.visibilityState !== 'visible') return;
    useBoardStore.getState().refresh();
    void useBoardLiveStore.getState().loadTrends();
  };
  void useBoardStore.getState().load();
  void useBoardLiveStore.getState().loadTrends(true);

  const timer = window.setInterval(refresh, BOARD_REFRESH_MS);
  document.addEventListener('visibilitychange', refresh);
  let lastConnection: string | null = null;
  const stopPush = subscribePush((message) => {
    // An agent's state or figures changed, or the server raised alarms: read the board, also
    // when the window is hidden, so the team lead finds them on screen when coming back.
    if (message.type === 'board-changed') {
      useBoardStore.getState().refresh();
      void useBoardLiveStore.getState().loadTrends();
      return;
    }
    if (message.type === 'worklist-changed') {
      refresh();
      return;
    }
    // Session pushes come with every sync step; only a change of connection is worth a request.
    const connection = message.state.sync.connection === 'offline' ? 'offline' : 'online';
    if (connection !== lastConnection) {
      lastConnection = connection;
      refresh();
    }
  });

  return () => {
    window.clearInterval(timer);
    document.removeEventListener('visibilitychange', refresh);
    stopPush();
    useBoardStore.getState().reset();
    useBoardLiveStore.getState().reset();
  };
}
