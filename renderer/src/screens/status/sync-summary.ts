/** The status bar's sync texts, from the status main reports and the trusted time. */
import type { SyncStatus } from '@gestiona/core/ipc';
import { showAge } from '../../display.ts';

export interface SyncSummary {
  /** `En línea`, `Sin conexión` or `Sincronizando N`. */
  connection: string;
  /** `Pendientes: N`. */
  pending: string;
  /** `Pendiente desde hace 3 h 5 min`; null when nothing is pending. */
  oldestPending: string | null;
  /** Shown when the backlog passed the workstation's limits; null otherwise. */
  backlogWarning: string | null;
}

/** Returns the texts for a signed-in agent; `nowIso` is the trusted time, so the age keeps moving while nothing syncs. */
export function syncSummary(sync: SyncStatus, nowIso: string): SyncSummary {
  const count = sync.pending.toLocaleString('es-CO');
  let connection = `Sincronizando ${count}`;
  if (sync.connection === 'online') connection = 'En línea';
  if (sync.connection === 'offline') connection = 'Sin conexión';
  const oldestPending = sync.pending > 0 && sync.oldestPendingAt ? `Pendiente desde ${showAge(sync.oldestPendingAt, nowIso)}` : null;
  return { connection, pending: `Pendientes: ${count}`, oldestPending, backlogWarning: backlogWarning(sync, nowIso) };
}

function backlogWarning(sync: SyncStatus, nowIso: string): string | null {
  const limits = sync.backlogLimits;
  if (sync.pending === 0 || !limits) return null;
  const ageMs = sync.oldestPendingAt ? Date.parse(nowIso) - Date.parse(sync.oldestPendingAt) : 0;
  const tooMany = sync.pending > limits.maxPending;
  const tooOld = Number.isFinite(ageMs) && ageMs > limits.maxAgeMs;
  if (!tooMany && !tooOld) return null;

  const since = sync.oldestPendingAt ? ` desde ${showAge(sync.oldestPendingAt, nowIso)}` : '';
  return (
    `${sync.pending.toLocaleString('es-CO')} registro(s) sin enviar al servidor central${since}. ` +
    'Los demás puestos y su supervisor no ven estos contactos hasta que se envíen: avise a su supervisor y revise la red.'
  );
}
