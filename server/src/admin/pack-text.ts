/** Spanish text about rule packs for administrators: what a pack sets, and what changed from one pack to the next. */
import type { RulePack } from '@gestiona/core/compliance/types';
import { BOGOTA_ZONE, formatCop, formatDateTime } from '@gestiona/core/format';
import { computedHolidayNames } from '@gestiona/core/compliance/calendar';
import { parseIsoDate } from '@gestiona/core/compliance/civil-date';
import { DateTime } from 'luxon';
import type { RulePackRecord, RulePackSource } from '../store/types.ts';

const COUNTS_AS_CONTACT_LABELS: Record<RulePack['countsAsContact'], string> = {
  'every-attempt': 'cada intento, con o sin respuesta',
  'two-way-only': 'solo los contactos con respuesta',
};

const SOURCE_LABELS: Record<RulePackSource, string> = {
  resources: 'archivo de fábrica resources/rule-pack.json',
  admin: 'administrador',
};

export function sourceLabel(source: RulePackSource): string {
  return SOURCE_LABELS[source];
}

/** `2026-12-07` → `lunes 07/12/2026`. */
export function formatDayLabel(isoDate: string): string {
  return DateTime.fromISO(isoDate, { zone: BOGOTA_ZONE }).setLocale('es-CO').toFormat('cccc dd/MM/yyyy');
}

function computedNames(isoDate: string): string {
  const dayNumber = parseIsoDate(isoDate);
  return dayNumber === null ? '' : computedHolidayNames(dayNumber).join(', ');
}

/** Formats the publication instant and the publisher, e.g. `04/12/2026 14:05 por admin (Ana Ruiz)`. The resources file has no publisher. */
export function publicationLine(record: RulePackRecord): string {
  const when = formatDateTime(record.publishedAt);
  return record.publishedBy === null ? when : `${when} por ${record.publishedBy.username} (${record.publishedBy.fullName})`;
}

/** Lists the settings of a pack, one per line, for `rule-pack show`. */
export function packLines(pack: RulePack): string[] {
  const list = (items: readonly string[], none: string) => (items.length === 0 ? none : items.join('; '));
  return [
    `Cuenta como contacto (R5, R6): ${COUNTS_AS_CONTACT_LABELS[pack.countsAsContact]}`,
    `Aviso antes del cierre de la franja: ${pack.lastDialMarginMinutes} minutos`,
    `Salario mínimo mensual (R14): ${formatCop(pack.monthlyMinimumWageCents)}`,
    `Fechas bloqueadas: ${list(pack.extraBlockedDates.map(formatDayLabel), 'ninguna')}`,
    `Festivos añadidos: ${list(pack.calendarCorrections.add.map((holiday) => `${formatDayLabel(holiday.date)}, ${holiday.name}`), 'ninguno')}`,
    `Festivos calculados suprimidos: ${list(pack.calendarCorrections.remove.map((date) => `${formatDayLabel(date)} (${computedNames(date)})`), 'ninguno')}`,
  ];
}

/** Lists what the next pack changes from the previous one, one line per change. The version is not listed. */
export function describePackChanges(previous: RulePack | null, next: RulePack): string[] {
  if (previous === null) return ['Primer paquete de reglas publicado.'];

  const lines: string[] = [];
  if (previous.countsAsContact !== next.countsAsContact) {
    lines.push(`Cuenta como contacto: antes ${COUNTS_AS_CONTACT_LABELS[previous.countsAsContact]}; ahora ${COUNTS_AS_CONTACT_LABELS[next.countsAsContact]}`);
  }
  if (previous.lastDialMarginMinutes !== next.lastDialMarginMinutes) {
    lines.push(`Aviso antes del cierre de la franja: ${previous.lastDialMarginMinutes} → ${next.lastDialMarginMinutes} minutos`);
  }
  if (previous.monthlyMinimumWageCents !== next.monthlyMinimumWageCents) {
    lines.push(`Salario mínimo mensual: ${formatCop(previous.monthlyMinimumWageCents)} → ${formatCop(next.monthlyMinimumWageCents)}`);
  }

  const { added: blocked, removed: unblocked } = difference(previous.extraBlockedDates, next.extraBlockedDates);
  for (const date of blocked) lines.push(`Fecha bloqueada añadida: ${formatDayLabel(date)}`);
  for (const date of unblocked) lines.push(`Fecha bloqueada quitada: ${formatDayLabel(date)}`);

  const holidayKey = (holiday: { date: string; name: string }) => `${holiday.date} ${holiday.name}`;
  const previousHolidays = new Map(previous.calendarCorrections.add.map((holiday) => [holidayKey(holiday), holiday]));
  const nextHolidays = new Map(next.calendarCorrections.add.map((holiday) => [holidayKey(holiday), holiday]));
  for (const [key, holiday] of nextHolidays) if (!previousHolidays.has(key)) lines.push(`Festivo añadido: ${formatDayLabel(holiday.date)}, ${holiday.name}`);
  for (const [key, holiday] of previousHolidays) if (!nextHolidays.has(key)) lines.push(`Festivo añadido retirado: ${formatDayLabel(holiday.date)}, ${holiday.name}`);

  const { added: suppressed, removed: restored } = difference(previous.calendarCorrections.remove, next.calendarCorrections.remove);
  for (const date of suppressed) lines.push(`Festivo calculado suprimido: ${formatDayLabel(date)} (${computedNames(date)})`);
  for (const date of restored) lines.push(`Festivo calculado restablecido: ${formatDayLabel(date)} (${computedNames(date)})`);

  if (lines.length === 0) lines.push('Las reglas no cambian; solo la versión.');
  return lines;
}

function difference(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const beforeSet = new Set(before);
  const afterSet = new Set(after);
  return { added: after.filter((item) => !beforeSet.has(item)), removed: before.filter((item) => !afterSet.has(item)) };
}
