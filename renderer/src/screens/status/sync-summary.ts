/** The status bar's sync texts, from the status main reports and the trusted time. */
import type { SyncStatus } from '@gestiona/core/ipc';
import { showAge } from '../../display.ts';

export interface SyncSummary {
  /** `En línea`, `Sin conexión`, `Sincronizando N` or `Servidor disponible — sesión vencida`. */
  connection: string;
  /** `Pendientes: N`. */
  pending: string;
  /** `Pendiente desde hace 3 h 5 min`; null when nothing is pending. */
  oldestPending: string | null;
  /** Shown when the backlog passed the workstation's limits; null otherwise. */
  backlogWarning: string | null;
}

export interface SyncContext {
  /**
   * The session has no server tokens and main reached the server (`needsReauthentication`): the
   * network works, and only the agent's password is missing for the records to go out.
   */
  awaitingPassword: boolean;
}

export const SERVER_AVAILABLE_SESSION_EXPIRED = 'Servidor disponible — sesión vencida';

/** Returns the texts for a signed-in agent; `nowIso` is the trusted time, so the age keeps moving while nothing syncs. */
export function syncSummary(sync: SyncStatus, nowIso: string, context: SyncContext = { awaitingPassword: false }): SyncSummary {
  const count = sync.pending.toLocaleString('es-CO');
  let connection = `Sincronizando ${count}`;
  if (sync.connection === 'online') connection = 'En línea';
  if (sync.connection === 'offline') connection = context.awaitingPassword ? SERVER_AVAILABLE_SESSION_EXPIRED : 'Sin conexión';
  const oldestPending = sync.pending > 0 && sync.oldestPendingAt ? `Pendiente desde ${showAge(sync.oldestPendingAt, nowIso)}` : null;
  return { connection, pending: `Pendientes: ${count}`, oldestPending, backlogWarning: backlogWarning(sync, nowIso, context) };
}

function backlogWarning(sync: SyncStatus, nowIso: string, context: SyncContext): string | null {
  const limits = sync.backlogLimits;
  if (sync.pending === 0 || !limits) return null;
  const ageMs = sync.oldestPendingAt ? Date.parse(nowIso) - Date.parse(sync.oldestPendingAt) : 0;
  const tooMany = sync.pending > limits.maxPending;
  const tooOld = Number.isFinite(ageMs) && ageMs > limits.maxAgeMs;
  if (!tooMany && !tooOld) return null;

  const since = sync.oldestPendingAt ? ` desde ${showAge(sync.oldestPendingAt, nowIso)}` : '';
  // With the server reachable, the network is fine: the password is what sends the records.
  const action = context.awaitingPassword ? 'pulse «Ingresar contraseña» en el aviso de arriba para enviarlos.' : 'avise a su supervisor y revise la red.';
  return (
    `${sync.pending.toLocaleString('es-CO')} registro(s) sin enviar al servidor central${since}. ` +
    `Los demás puestos y su supervisor no ven estos contactos hasta que se envíen: ${action}`
  );
}
