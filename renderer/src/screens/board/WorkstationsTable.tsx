import type { BoardWorkstation } from '@gestiona/core/board';
import { showAge, showDateTime } from '../../display.ts';

export function WorkstationsTable({ workstations, now }: { workstations: readonly BoardWorkstation[]; now: string }) {
  return (
    <section className="board-panel" aria-labelledby="board-workstations-title">
      <h2 id="board-workstations-title">Estaciones de trabajo</h2>
      <table className="data-table board-table">
        <thead>
          <tr>
            <th>Estación</th>
            <th>Usuario</th>
            <th>Conexión</th>
            <th className="numeric">Pendientes</th>
            <th>Pendiente más antiguo</th>
            <th>Última sincronización</th>
            <th>Último contacto</th>
            <th>Reloj</th>
          </tr>
        </thead>
        <tbody>
          {workstations.map((workstation) => (
            <tr
              key={workstation.workstationId}
              data-testid="board-workstation-row"
              data-workstation={workstation.workstationId}
              data-online={workstation.online}
            >
              <td className="nowrap">{workstation.workstationId}</td>
              <td>{workstation.userName ?? '—'}</td>
              <td>
                <span className={`status-badge ${workstation.online ? 'board-state-available' : 'board-state-offline'}`}>
                  {workstation.online ? 'En línea' : 'Sin conexión'}
                </span>
              </td>
              <td className={workstation.pending ? 'numeric board-pending' : 'numeric'} data-testid="board-workstation-pending">
                {workstation.pending ?? '—'}
              </td>
              <td className="nowrap">{workstation.oldestPendingAt ? showAge(workstation.oldestPendingAt, now) : '—'}</td>
              <td className="nowrap">{showDateTime(workstation.lastSyncAt)}</td>
              <td className="nowrap" data-testid="board-workstation-last-seen">
                {showDateTime(workstation.lastSeenAt)}
              </td>
              <td>{clockText(workstation.clockTrusted)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {workstations.length === 0 && <p className="empty-state">Ninguna estación se ha conectado todavía.</p>}
    </section>
  );
}

function clockText(trusted: boolean | null): string {
  if (trusted === null) return '—';
  return trusted ? 'Confiable' : 'No confiable';
}
