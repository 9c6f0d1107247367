import type { SyncStatus } from '@gestiona/core/ipc';
import { showAge, showDateTime } from '../../display.ts';
import { useTrustedNow } from '../../hooks/useTrustedNow.ts';
import { useSessionStore } from '../../store/session.ts';
import { clockLabel } from './clock-notice.ts';

const CONNECTION_LABELS: Record<SyncStatus['connection'], string> = {
  online: 'En línea',
  offline: 'Sin conexión',
  syncing: 'Sincronizando…',
};

export function StatusBar() {
  const state = useSessionStore((store) => store.state);
  const actionError = useSessionStore((store) => store.actionError);
  const logout = useSessionStore((store) => store.logout);
  const syncNow = useSessionStore((store) => store.syncNow);
  const now = useTrustedNow();
  if (!state) return null;

  const { sync, user } = state;
  return (
    <footer className="status-bar" data-testid="status-bar">
      {user && <span className="status-agent" title={user.username}>{user.fullName}</span>}

      <span className={`sync-badge sync-${sync.connection}`} data-testid="sync-status" data-connection={sync.connection}>
        {/* Before sign-in there is no socket yet, so "Sin conexión" would wrongly suggest a network fault. */}
        {user ? CONNECTION_LABELS[sync.connection] : 'Sin sesión iniciada'}
      </span>

      <span className={sync.pending > 0 ? 'status-item status-pending' : 'status-item'} data-testid="sync-pending">
        Pendientes: {sync.pending}
      </span>
      {sync.oldestPendingAt && <span className="status-item">Pendiente más antiguo: {showAge(sync.oldestPendingAt, now)}</span>}

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
          <button type="button" className="status-button" data-testid="logout-button" onClick={() => void logout()}>
            Cerrar sesión
          </button>
        </>
      )}
    </footer>
  );
}
