import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKLOG_LIMITS, type SyncStatus } from '@gestiona/core/ipc';
import { syncSummary } from './sync-summary.ts';

const NOW = '2026-03-03T15:00:00-05:00';
const IDLE: SyncStatus = { connection: 'online', pending: 0, oldestPendingAt: null, lastSyncAt: '2026-03-03T14:59:00-05:00', lastError: null };

describe('syncSummary', () => {
  it.each([
    { sync: IDLE, connection: 'En línea', pending: 'Pendientes: 0' },
    { sync: { ...IDLE, connection: 'offline' as const, pending: 4, oldestPendingAt: '2026-03-03T14:00:00-05:00' }, connection: 'Sin conexión', pending: 'Pendientes: 4' },
    { sync: { ...IDLE, connection: 'syncing' as const, pending: 1_250, oldestPendingAt: '2026-03-03T14:00:00-05:00' }, connection: 'Sincronizando 1.250', pending: 'Pendientes: 1.250' },
  ])('labels $connection', ({ sync, connection, pending }) => {
    const summary = syncSummary(sync, NOW);
    expect(summary.connection).toBe(connection);
    expect(summary.pending).toBe(pending);
  });

  it.each([
    { name: 'offline, server reachable', connection: 'offline' as const, awaitingPassword: true, label: 'Servidor disponible — sesión vencida' },
    { name: 'offline, server unreachable', connection: 'offline' as const, awaitingPassword: false, label: 'Sin conexión' },
    { name: 'online', connection: 'online' as const, awaitingPassword: true, label: 'En línea' },
  ])('labels the connection $name', ({ connection, awaitingPassword, label }) => {
    expect(syncSummary({ ...IDLE, connection }, NOW, { awaitingPassword }).connection).toBe(label);
  });

  it('shows the age of the oldest unsent event', () => {
    const summary = syncSummary({ ...IDLE, connection: 'offline', pending: 2, oldestPendingAt: '2026-03-03T12:00:00-05:00' }, NOW);
    expect(summary.oldestPending).toBe('Pendiente desde hace 3 h 0 min');
  });

  it('shows no age when nothing is pending', () => {
    expect(syncSummary(IDLE, NOW).oldestPending).toBeNull();
  });

  it.each([
    { name: 'small and recent', pending: 10, oldestPendingAt: '2026-03-03T14:00:00-05:00', warns: false },
    { name: 'at the count limit', pending: 1_000, oldestPendingAt: '2026-03-03T14:00:00-05:00', warns: false },
    { name: 'past the count limit', pending: 1_001, oldestPendingAt: '2026-03-03T14:00:00-05:00', warns: true },
    { name: 'at the age limit', pending: 2, oldestPendingAt: '2026-03-03T11:00:00-05:00', warns: false },
    { name: 'past the age limit', pending: 2, oldestPendingAt: '2026-03-03T10:59:00-05:00', warns: true },
  ])('warns about a backlog $name: $warns', ({ pending, oldestPendingAt, warns }) => {
    const summary = syncSummary({ ...IDLE, connection: 'offline', pending, oldestPendingAt, backlogLimits: DEFAULT_BACKLOG_LIMITS }, NOW);
    expect(summary.backlogWarning !== null).toBe(warns);
  });

  it('warns about nothing without limits', () => {
    const sync: SyncStatus = { ...IDLE, connection: 'offline', pending: 5_000, oldestPendingAt: '2026-03-01T10:00:00-05:00' };
    expect(syncSummary(sync, NOW).backlogWarning).toBeNull();
  });

  it('uses the limits the workstation reports', () => {
    const sync: SyncStatus = {
      ...IDLE,
      connection: 'offline',
      pending: 3,
      oldestPendingAt: '2026-03-03T14:30:00-05:00',
      backlogLimits: { maxPending: 2, maxAgeMs: 60 * 60 * 1000 },
    };
    expect(syncSummary(sync, NOW).backlogWarning).toBe(
      '3 registro(s) sin enviar al servidor central desde hace 30 min. ' +
        'Los demás puestos y su supervisor no ven estos contactos hasta que se envíen: avise a su supervisor y revise la red.',
    );
  });

  it('asks for the password when the server is reachable', () => {
    const sync: SyncStatus = {
      ...IDLE,
      connection: 'offline',
      pending: 9,
      oldestPendingAt: '2026-03-03T10:00:00-05:00',
      backlogLimits: DEFAULT_BACKLOG_LIMITS,
    };
    expect(syncSummary(sync, NOW, { awaitingPassword: true }).backlogWarning).toBe(
      '9 registro(s) sin enviar al servidor central desde hace 5 h 0 min. ' +
        'Los demás puestos y su supervisor no ven estos contactos hasta que se envíen: pulse «Ingresar contraseña» en el aviso de arriba para enviarlos.',
    );
  });
});
