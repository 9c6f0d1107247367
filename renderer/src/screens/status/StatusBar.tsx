import { showDateTime } from '../../display.ts';
import { useTrustedNow } from '../../hooks/useTrustedNow.ts';
import { useSessionStore } from '../../store/session.ts';
import { AgentDeskControl } from './AgentDeskControl.tsx';
import { LogoutButton } from './LogoutButton.tsx';
import { clockLabel } from './clock-notice.ts';
import { needsReauthentication, OFFLINE_SESSION_HINT, offlineSessionLabel } from './session-notice.ts';
import { syncSummary } from './sync-summary.ts';

export function StatusBar() {
  const state = useSessionStore((store) => store.state);
  const actionError = useSessionStore((store) => store.actionError);
  const syncNow = useSessionStore((store) => store.syncNow);
  const now = useTrustedNow();
  if (!state) return null;

  const { sync, user } = state;
  const offlineSession = user ? offlineSessionLabel(state.offlineUntil, now) : null;
  const awaitingPassword = needsReauthentication(state);
  const summary = syncSummary(sync, now, { awaitingPassword });
  // The socket is down in both cases, but a reachable server waiting for the password is no network fault.
  const badgeClass = sync.connection === 'offline' && awaitingPassword ? 'sync-reauth' : `sync-${sync.connection}`;
  return (
    <footer className="status-bar" data-testid="status-bar">
      {user && <span className="status-agent" title={user.username}>{user.fullName}</span>}
      {user?.role === 'agent' && <AgentDeskControl />}

      <span className={`sync-badge ${badgeClass}`} data-testid="sync-status" data-connection={sync.connection}>
        {/* Before sign-in there is no socket yet, so "Sin conexión" would wrongly suggest a network fault. */}
        {user ? summary.connection : 'Sin sesión iniciada'}
      </span>

      {offlineSession && (
        <span className="status-item status-pending" data-testid="offline-session" title={OFFLINE_SESSION_HINT}>
          {offlineSession}
        </span>
      )}

      <span className={sync.pending > 0 ? 'status-item status-pending' : 'status-item'} data-testid="sync-pending">
        {summary.pending}
      </span>
      {summary.oldestPending && (
        <span className="status-item" data-testid="sync-oldest-pending">
          {summary.oldestPending}
        </span>
      )}
      {summary.backlogWarning && (
        <span className="status-error" role="alert" data-testid="sync-backlog-warning" title={summary.backlogWarning}>
          {summary.backlogWarning}
        </span>
      )}

      <span className="status-item">
        Última sincronización: {sync.lastSyncAt ? showDateTime(sync.lastSyncAt) : 'nunca'}
      </span>

      {state.clock && (
        <span
          className={state.clock.trusted ? 'status-item' : 'status-item status-clock-untrusted'}
          data-testid="clock-status"
          data-trusted={state.clock.trusted}
          title={state.clock.reason ?? (state.clock.lastSyncAt ? `Hora medida con el servidor: ${showDateTime(state.clock.lastSyncAt)}` : undefined)}
        >
          {clockLabel(state.clock)}
        </span>
      )}

      {sync.lastError && (
        <span className="status-error" data-testid="sync-error" title={sync.lastError}>
          {sync.lastError}
        </span>
      )}
      {actionError && (
        <span className="status-error" role="alert" title={actionError}>
          {actionError}
        </span>
      )}

      <span className="status-spacer" />
      {user && (
        <>
          <button type="button" className="status-button" onClick={() => void syncNow()}>
            Sincronizar
          </button>
          <LogoutButton connection={sync.connection} />
        </>
      )}
    </footer>
  );
}
