/**
 * Alerts of the board for branch-office workstations without a connection to the server for longer
 * than a threshold. Their contacts and gate decisions are not reaching the server, so the team
 * lead's figures for their agents are behind.
 */
import type { BoardOfflineAlert } from '@gestiona/core/board';
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import type { WorkstationRecord } from '../store/types.ts';

/** Default threshold in minutes, an estimate: longer than a restart or a short network cut, short enough to act the same morning. */
export const DEFAULT_OFFLINE_ALERT_MINUTES = 15;

/** Environment variable that sets the threshold of a server started without the `offlineAlertMinutes` option. */
export const OFFLINE_ALERT_MINUTES_VARIABLE = 'GESTIONA_OFFLINE_ALERT_MINUTES';

/** Returns the threshold from the option, else a whole number of minutes in the environment, else the default. */
export function resolveOfflineAlertMinutes(option: number | undefined, environment: Record<string, string | undefined> = process.env): number {
  if (option !== undefined) {
    if (!Number.isSafeInteger(option) || option < 1) throw new Error(`offlineAlertMinutes must be a whole number of minutes ≥ 1, got ${option}`);
    return option;
  }
  const raw = environment[OFFLINE_ALERT_MINUTES_VARIABLE];
  if (raw === undefined || raw === '') return DEFAULT_OFFLINE_ALERT_MINUTES;
  const minutes = Number(raw);
  if (!Number.isSafeInteger(minutes) || minutes < 1) {
    throw new Error(`${OFFLINE_ALERT_MINUTES_VARIABLE} must be a whole number of minutes ≥ 1, got "${raw}"`);
  }
  return minutes;
}

/**
 * Returns one alert per disconnected workstation silent for longer than `thresholdMinutes`, the
 * longest silence first. `lastSeenAt` of a disconnected workstation is when its last socket closed.
 */
export function offlineAlerts(
  workstations: readonly WorkstationRecord[],
  userNames: ReadonlyMap<string, string>,
  thresholdMinutes: number,
  now: Date,
): BoardOfflineAlert[] {
  const thresholdMs = thresholdMinutes * 60_000;
  const alerts: BoardOfflineAlert[] = [];
  for (const workstation of workstations) {
    if (workstation.connected) continue;
    const offlineMs = now.getTime() - Date.parse(workstation.lastSeenAt);
    if (!(offlineMs > thresholdMs)) continue;

    const userName = userNames.get(workstation.agentId) ?? null;
    const pending = typeof workstation.state?.pending === 'number' ? workstation.state.pending : null;
    alerts.push({
      workstationId: workstation.id,
      userName,
      offlineSince: toBogotaIso(workstation.lastSeenAt),
      offlineMs,
      pending,
      message: offlineMessage(workstation.id, userName, workstation.lastSeenAt, offlineMs, pending),
    });
  }
  return alerts.sort((a, b) => b.offlineMs - a.offlineMs);
}

/** Returns `1 h 05 min`, `45 min` or `2 d 3 h` for a duration in ms, rounded down to the minute. */
export function durationText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${String(rest).padStart(2, '0')} min`;
  return `${rest} min`;
}

function offlineMessage(workstationId: string, userName: string | null, lastSeenAt: string, offlineMs: number, pending: number | null): string {
  const user = userName === null ? '' : ` (${userName})`;
  const backlog = pending === null ? '' : ` Tenía ${pending} ${pending === 1 ? 'evento' : 'eventos'} sin enviar en su último reporte.`;
  return `La estación ${workstationId}${user} lleva ${durationText(offlineMs)} sin conexión con el servidor, desde el ${formatDateTime(lastSeenAt)}.${backlog}`;
}
