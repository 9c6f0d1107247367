/**
 * Spanish lines of the debtor view about where a person is and which hours they asked for: the local
 * time of a person abroad or of a foreign number, and the R9 schedule request with whether the gate
 * applies it. They explain to the agent why a call the Bogotá clock would allow is blocked, or why one
 * at 20:00 is allowed.
 */
import { bogotaDayOf } from '@gestiona/core/compliance/bogota-time';
import { formatDisplayDate, parseIsoDate } from '@gestiona/core/compliance/civil-date';
import { gateMessages } from '@gestiona/core/compliance/messages';
import { toScheduleRequest } from '@gestiona/core/compliance/person-facts';
import { checkScheduleRequest } from '@gestiona/core/compliance/schedule-request';
import type { ContactPoint, Person } from '@gestiona/core/domain';

const WEEKDAYS = ['', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'] as const;

/**
 * `Reside en Madrid (España): hora local 02:15`. `city` is the debtor file's city, given only for the
 * debtor in person, because a co-obligor's city is not in the file. Null for a person in Colombia.
 */
export function residenceText(person: Person, city: string | null, nowMs: number): string | null {
  const zones = person.timeZones ?? [];
  if (zones.length === 0) return null;

  const country = person.residenceCountry ?? null;
  let place = `la zona horaria ${zones[0]}`;
  if (country !== null) place = city === null ? countryName(country) : `${city} (${countryName(country)})`;
  return `Reside en ${place}: ${localTimeText(zones, nowMs)}`;
}

/** `Número de España: hora local 02:15` for a foreign number; null for a Colombian one. */
export function phoneCountryText(point: ContactPoint, nowMs: number): string | null {
  const zones = point.timeZones ?? [];
  if (point.country === undefined || point.country === null || zones.length === 0) return null;
  return `Número de ${countryName(point.country)}: ${localTimeText(zones, nowMs)}`;
}

/**
 * `Horario solicitado: lunes a viernes 19:00–21:00, solicitud del 03/02/2026`, or the gate's reason to
 * ignore the request. Null when none was received.
 */
export function scheduleRequestText(person: Person, nowMs: number): string | null {
  const stored = person.scheduleRequest ?? null;
  if (stored === null) return null;

  const request = toScheduleRequest(stored);
  const check = checkScheduleRequest(request, bogotaDayOf(nowMs));
  if (!check.valid) return gateMessages.scheduleRequestIgnored(check.problems);

  const windows = request.window.map((window) => `${daysText(window.days)} ${window.from}–${window.to}`).join('; ');
  const requestedOn = parseIsoDate(request.requestedOn);
  const dated = requestedOn === null ? '' : `, solicitud del ${formatDisplayDate(requestedOn)}`;
  return `Horario solicitado: ${windows}${dated}. Domingos y festivos siguen bloqueados.`;
}

/** `hora local 02:15`, or the spread when the zones of a country disagree (`hora local de 04:00 a 09:00 según la zona`). */
function localTimeText(zones: readonly string[], nowMs: number): string {
  const times = [...new Set(zones.flatMap((zone) => localClock(zone, nowMs) ?? []))].sort();
  if (times.length === 0) return 'hora local desconocida';
  if (times.length === 1) return `hora local ${times[0]}`;
  return `hora local de ${times[0]} a ${times[times.length - 1]} según la zona`;
}

/** `HH:mm` on the zone's wall clock, or null when the platform does not know the zone. */
function localClock(zone: string, nowMs: number): string | null {
  try {
    return new Intl.DateTimeFormat('es-CO', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(nowMs);
  } catch {
    return null;
  }
}

function countryName(code: string): string {
  return new Intl.DisplayNames(['es'], { type: 'region' }).of(code) ?? code;
}

/** `lunes a viernes`, `lunes, miércoles y viernes`, `sábado`: runs of three or more consecutive days read as a range. */
export function daysText(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((left, right) => left - right);
  const parts: string[] = [];
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end += 1;
    if (end - start >= 2) parts.push(`${WEEKDAYS[sorted[start]!]} a ${WEEKDAYS[sorted[end]!]}`);
    else for (let index = start; index <= end; index += 1) parts.push(WEEKDAYS[sorted[index]!]!);
    start = end + 1;
  }
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts.slice(0, -1).join(', ')} y ${parts[parts.length - 1]}`;
}
