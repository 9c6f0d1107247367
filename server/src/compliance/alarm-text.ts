/** Alarms as the command line prints them for a team lead, in Spanish with Bogotá times. */
import { formatDateTime } from '@gestiona/core/format';
import type { AlarmRecord } from '../store/types.ts';
import { alarmKindLabel } from './labels.ts';

/** Two or three lines per alarm: number, time and kind; where it happened; the message; and who acknowledged it. */
export function alarmLines(alarm: AlarmRecord, agentName: string = alarm.agentId): string[] {
  const where = [`estación ${alarm.workstationId}`, `agente ${agentName}`, alarm.debtorId === null ? null : `deudor ${alarm.debtorId}`]
    .filter((part) => part !== null)
    .join(', ');
  const lines = [`#${alarm.id}  ${formatDateTime(alarm.createdAt)}  ${alarmKindLabel(alarm.kind)} (${where})`, `    ${alarm.message}`];
  if (alarm.acknowledgedAt !== null) lines.push(`    Revisada por ${alarm.acknowledgedBy ?? '(sin usuario)'} el ${formatDateTime(alarm.acknowledgedAt)}.`);
  return lines;
}

/** Parses `dd/mm/aaaa` as the start of that day in Bogotá, or an ISO-8601 instant; null when it is neither. */
export function parseSince(text: string): Date | null {
  const day = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  const iso = day ? `${day[3]}-${day[2]}-${day[1]}T00:00:00-05:00` : text;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) return null;
  const parsed = new Date(iso);
  if (Number.isNaN(parsed.getTime())) return null;
  // Date rolls 31/02 over to March; a date that does not round-trip was not a real day.
  if (day && parsed.toISOString().slice(0, 10) !== `${day[3]}-${day[2]}-${day[1]}`) return null;
  return parsed;
}
