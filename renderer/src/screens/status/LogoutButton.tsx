import { useState } from 'react';
import type { SyncStatus } from '@gestiona/core/ipc';
import { useSessionStore } from '../../store/session.ts';

/**
 * Signing out deletes the debtor data from this machine, so the button requests a confirmation first. Without a connection the
 * worklist cannot be loaded again until the server answers, which is what an offline branch office
 * must know before it clicks.
 */
export function LogoutButton({ connection }: { connection: SyncStatus['connection'] }) {
  const logout = useSessionStore((store) => store.logout);
  const [confirming, setConfirming] = useState(false);

  if (!confirming) {
    return (
      <button type="button" className="status-button" data-testid="logout-button" onClick={() => setConfirming(true)}>
        Cerrar sesión
      </button>
    );
  }

  return (
    <span className="logout-confirm" role="alertdialog" aria-label="Confirmar cierre de sesión" data-testid="logout-confirm">
      <span className="logout-confirm-text">
        Al cerrar sesión se borran de este equipo los datos de los deudores; los registros sin enviar se conservan.
        {connection === 'offline' && ' Sin conexión no podrá volver a cargarlos hasta que el servidor central responda: si debe seguir trabajando, cierre la aplicación en lugar de cerrar sesión.'}
      </span>
      <button
        type="button"
        className="status-button logout-confirm-danger"
        data-testid="logout-confirm-button"
        onClick={() => {
          setConfirming(false);
          void logout();
        }}
      >
        Cerrar sesión y borrar datos
      </button>
      <button type="button" className="status-button" onClick={() => setConfirming(false)} autoFocus>
        Cancelar
      </button>
    </span>
  );
}
