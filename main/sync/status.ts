/** The sync status the renderer shows in its status bar, recomputed from the outbox on demand. */
import type { SyncStatus } from '@gestiona/core/ipc';

export const SYNC_MESSAGES = {
  sessionExpired: 'Sesión vencida: inicie sesión de nuevo.',
  invalidFeedEntry: (seq: string) =>
    `El servidor central envió un dato inválido (entrada ${seq}); la actualización de la cartera está detenida. Avise a soporte.`,
  rejectedEvents: (count: number) => `El servidor central rechazó ${count} registro(s); quedaron guardados aparte. Avise a soporte.`,
  serverRefused: 'El servidor central no aceptó la sincronización; se reintentará automáticamente.',
  ackTimeout: 'El servidor central no respondió a tiempo; se reintentará automáticamente.',
  serverClosed: 'El servidor central cerró la conexión; se reintentará automáticamente.',
} as const;

export function sameStatus(a: SyncStatus, b: SyncStatus): boolean {
  return (
    a.connection === b.connection &&
    a.pending === b.pending &&
    a.oldestPendingAt === b.oldestPendingAt &&
    a.lastSyncAt === b.lastSyncAt &&
    a.lastError === b.lastError
  );
}
