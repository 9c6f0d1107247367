/** Cell validators of the schedule request file, in the style of the portfolio's: a value or a Spanish message. */
import type { Parsed } from '../import/values.ts';
import { cleanText, foldText } from '../import/text.ts';

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const invalid = <T>(message: string): Parsed<T> => ({ ok: false, message });

/** ISO weekday (1 = Monday) of each way a day is written: initial, name, three-letter abbreviation. */
const DAYS: Record<string, number> = {
  l: 1, lu: 1, lun: 1, lunes: 1,
  m: 2, ma: 2, mar: 2, martes: 2,
  x: 3, mi: 3, mie: 3, miercoles: 3,
  j: 4, ju: 4, jue: 4, jueves: 4,
  v: 5, vi: 5, vie: 5, viernes: 5,
  s: 6, sa: 6, sab: 6, sabado: 6,
  d: 7, do: 7, dom: 7, domingo: 7,
};

const DAYS_HELP = 'Use L, M, X, J, V, S, D o el nombre del día, separados por comas (L,M,X) o como rango (L-V).';

/** `L-V`, `L,M,X`, `S`, `lunes a viernes`, `sábado y domingo`: the ISO weekdays, sorted and without repeats. */
export function parseDays(raw: string): Parsed<number[]> {
  const text = foldText(raw)
    .replace(/\s+a\s+/g, '-')
    .replace(/\s+y\s+/g, ',')
    .replace(/\s*([,;/-])\s*/g, '$1');
  const days = new Set<number>();
  for (const part of text.split(/[,;/]/).filter((piece) => piece !== '')) {
    const [first, last, ...rest] = part.split('-');
    const start = DAYS[first ?? ''];
    if (start === undefined || rest.length > 0) return invalid(`no son días válidos. ${DAYS_HELP}`);
    if (last === undefined) {
      days.add(start);
      continue;
    }
    const end = DAYS[last];
    if (end === undefined || end < start) return invalid(`no son días válidos: un rango va del primer día al último de la semana (L-V). ${DAYS_HELP}`);
    for (let day = start; day <= end; day += 1) days.add(day);
  }
  if (days.size === 0) return invalid(`no tiene días. ${DAYS_HELP}`);
  return ok([...days].sort((left, right) => left - right));
}

/** `H:MM` or `HH:MM` as `HH:MM`; `24:00` only when `allowMidnightEnd`. */
export function parseClock(raw: string, allowMidnightEnd: boolean): Parsed<string> {
  const match = /^(\d{1,2})[:.h](\d{2})$/.exec(cleanText(raw).toLowerCase());
  const hours = match ? Number(match[1]) : NaN;
  const minutes = match ? Number(match[2]) : NaN;
  const midnight = allowMidnightEnd && hours === 24 && minutes === 0;
  if (!match || minutes > 59 || (hours > 23 && !midnight)) {
    return invalid(`no es una hora válida. Use HH:MM de 24 horas, p. ej. 19:00${allowMidnightEnd ? ' (24:00 = medianoche)' : ''}.`);
  }
  return ok(`${String(hours).padStart(2, '0')}:${match[2]}`);
}

/** `consumidor` or `acreedor`: who proposed the hours. */
export function parseInitiative(raw: string): Parsed<boolean> {
  const folded = foldText(raw);
  if (folded === 'consumidor' || folded === 'deudor' || folded === 'cliente') return ok(true);
  if (folded === 'acreedor' || folded === 'entidad') return ok(false);
  return invalid('no es una iniciativa válida. Escriba "consumidor" si la persona pidió el horario o "acreedor" si lo propuso la entidad.');
}
