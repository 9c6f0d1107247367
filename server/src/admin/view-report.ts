/** The views of a debtor's file as admins read them: CLI lines, the CSV and the HTTP body, in Spanish with Bogotá times. */
import { toCsv } from '@gestiona/core/csv-export';
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import { viewReasonText } from '../store/debtor-views.ts';
import type { StoredDebtorView } from '../store/types.ts';

/** `dd/mm/aaaa hh:mm:ss` in Bogotá: two views a few seconds apart must not print as one. */
export function formatViewTime(iso: string): string {
  return `${formatDateTime(iso)}:${toBogotaIso(iso).slice(17, 19)}`;
}

function agentText(view: StoredDebtorView): string {
  if (view.agentUsername === null) return view.agentId;
  return `${view.agentFullName ?? view.agentUsername} (${view.agentUsername})`;
}

/** Formats one view as a line: time, agent, workstation, and whether the agent held the lease. */
export function viewLine(view: StoredDebtorView): string {
  const lease = view.leased ? 'asignado' : 'SIN ASIGNACIÓN';
  const reason = view.reason === null ? '' : `, motivo: ${viewReasonText(view.reason)}`;
  return `${formatViewTime(view.viewedAt)}  ${agentText(view)}  estación ${view.workstationId}  ${lease}${reason}`;
}

export const VIEW_CSV_HEADER = ['Fecha y hora (Bogotá)', 'Usuario', 'Nombre', 'Estación', 'Deudor asignado', 'Motivo', 'Hora local de la estación', 'Desfase del reloj (ms)', 'Recibido'] as const;

export function viewCsv(views: readonly StoredDebtorView[]): string {
  return toCsv(
    VIEW_CSV_HEADER,
    views.map((view) => [
      formatViewTime(view.viewedAt),
      view.agentUsername ?? view.agentId,
      view.agentFullName,
      view.workstationId,
      view.leased ? 'Sí' : 'No',
      view.reason === null ? null : viewReasonText(view.reason),
      formatViewTime(view.localAt),
      view.clockOffsetMs,
      formatViewTime(view.receivedAt),
    ]),
  );
}

/** Builds the JSON of one view for the HTTP route, with instants in -05:00 and keys in English. */
export function viewJson(view: StoredDebtorView) {
  return {
    eventId: view.eventId,
    viewedAt: toBogotaIso(view.viewedAt),
    agentId: view.agentId,
    username: view.agentUsername,
    fullName: view.agentFullName,
    workstationId: view.workstationId,
    leased: view.leased,
    reason: view.reason,
    reasonText: view.reason === null ? null : viewReasonText(view.reason),
    localAt: toBogotaIso(view.localAt),
    clockOffsetMs: view.clockOffsetMs,
    receivedAt: toBogotaIso(view.receivedAt),
  };
}
