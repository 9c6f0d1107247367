import { useEffect } from 'react';
import { subscribePush } from '../../api/client.ts';
import { showDate, showDateTime } from '../../display.ts';
import { useTrustedNow } from '../../hooks/useTrustedNow.ts';
import { useBoardStore } from '../../store/board.ts';
import { AgentsTable } from './AgentsTable.tsx';
import { AlarmsPanel } from './AlarmsPanel.tsx';
import { BlockedRulesPanel } from './BlockedRulesPanel.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { WorkstationsTable } from './WorkstationsTable.tsx';
import './board.css';

/** Refresh period of the board while the window is visible, in ms. */
export const BOARD_REFRESH_MS = 5_000;

/** Shows the team lead's live board: compliance alarms, agents, workstations and today's blocked attempts, read from the server. */
export function BoardScreen() {
  const { board, loading, error } = useBoardStore();
  const now = useTrustedNow(BOARD_REFRESH_MS);

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
          <AgentsTable agents={board.agents} now={now} />
          <WorkstationsTable workstations={board.workstations} now={now} />
          <BlockedRulesPanel compliance={board.compliance} />
        </div>
      )}
    </section>
  );
}

/**
 * Loads the board now, then every `BOARD_REFRESH_MS` while the window is visible and on every
 * push from main that may follow a change (a reconnection, new data, a new alarm). Returns the stop function.
 */
function followBoard(): () => void {
  const refresh = (): void => {
    if (document.visibilityState === 'visible') void useBoardStore.getState().load();
  };
  refresh();

  const timer = window.setInterval(refresh, BOARD_REFRESH_MS);
  document.addEventListener('visibilitychange', refresh);
  let lastConnection: string | null = null;
  const stopPush = subscribePush((message) => {
    // The server raised alarms: read the board at once, also when the window is hidden, so the
    // team lead finds them on screen when coming back.
    if (message.type === 'board-changed') {
      void useBoardStore.getState().load();
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
  };
}
