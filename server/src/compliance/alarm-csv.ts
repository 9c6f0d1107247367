/** Alarms as a CSV file for a team lead's spreadsheet, through the one CSV writer of core. */
import { toCsv } from '@gestiona/core/csv-export';
import { formatDateTime } from '@gestiona/core/format';
import type { AlarmRecord } from '../store/types.ts';
import { alarmKindLabel } from './labels.ts';

export const ALARM_CSV_HEADER = ['número', 'fecha_hora_bogota', 'tipo', 'estación', 'agente', 'deudor', 'mensaje', 'revisada_por', 'revisada_el'] as const;

/**
 * Builds the file text: one row per alarm, Bogotá times as dd/mm/aaaa hh:mm. The message and the
 * ids come from workstations and portfolio files, so they go through the writer as text and any
 * formula in them is neutralised.
 */
export function alarmCsv(alarms: readonly AlarmRecord[], agentNames: ReadonlyMap<string, string> = new Map()): string {
  const rows = alarms.map((alarm) => [
    alarm.id,
    formatDateTime(alarm.createdAt),
    alarmKindLabel(alarm.kind),
    alarm.workstationId,
    agentNames.get(alarm.agentId) ?? alarm.agentId,
    alarm.debtorId,
    alarm.message,
    alarm.acknowledgedBy,
    alarm.acknowledgedAt === null ? null : formatDateTime(alarm.acknowledgedAt),
  ]);
  return toCsv(ALARM_CSV_HEADER, rows);
}
