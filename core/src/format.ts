/**
 * Colombian (es-CO) formats for everything an agent reads: COP amounts, `dd/mm/aaaa` dates and
 * America/Bogota times, whatever the machine's own time zone and locale.
 */
import { DateTime, IANAZone } from 'luxon';

export const BOGOTA_ZONE = 'America/Bogota';

const copFormat = new Intl.NumberFormat('es-CO', {
  style: 'currency',
  currency: 'COP',
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});

/** `123456789` centavos → `$ 1.234.568` (rounded to whole pesos, as collection letters show them). */
export function formatCop(cents: number): string {
  return copFormat.format(Math.round(cents / 100));
}

/** `2026-12-04` or an ISO instant → `04/12/2026` (Bogotá date). */
export function formatDate(iso: string): string {
  return toBogota(iso).toFormat('dd/MM/yyyy');
}

/** ISO instant → `04/12/2026 14:05` in Bogotá. */
export function formatDateTime(iso: string): string {
  return toBogota(iso).toFormat('dd/MM/yyyy HH:mm');
}

/** ISO instant → `lunes 07:00` style text for the next legal slot, with the date when it is not this week. */
export function formatSlot(iso: string, nowIso: string): string {
  const slot = toBogota(iso);
  const now = toBogota(nowIso);
  const days = slot.startOf('day').diff(now.startOf('day'), 'days').days;
  const time = slot.toFormat('HH:mm');
  if (days === 0) return `hoy ${time}`;
  if (days === 1) return `mañana ${time}`;
  if (days > 1 && days < 7) return `${slot.setLocale('es-CO').toFormat('cccc')} ${time}`;
  return `${slot.setLocale('es-CO').toFormat('cccc dd/MM/yyyy')} ${time}`;
}

/** Hour of the day (0–23) of an instant in Bogotá. */
export function bogotaHour(iso: string): number {
  return toBogota(iso).hour;
}

/** Bogotá calendar date (`YYYY-MM-DD`) of an instant. */
export function bogotaDate(iso: string): string {
  return toBogota(iso).toISODate()!;
}

/** Formats an instant as ISO-8601 in -05:00, the form of every stored and displayed Bogotá instant. */
export function toBogotaIso(instant: Date | number | string): string {
  return typeof instant === 'string' ? bogotaIsoOfText(instant) : bogotaIsoOf(instant);
}

// The server converts several instants per ingested event, and luxon reads the zone's offset from
// Intl on every conversion, which was a sixth of the sync flush's time. The fast path below
// gives the same text as luxon (a property test compares them) and falls back to it for anything
// unusual: other ISO forms, years outside 1000–9999, offsets that are not whole minutes.
function bogotaIsoOf(instant: Date | number | string): string {
  let millis: number | null;
  if (typeof instant === 'number') millis = instant;
  else if (typeof instant === 'string') millis = plainInstantMillis(instant);
  else millis = instant.getTime();
  const fast = millis === null ? null : formatInZone(millis);
  if (fast !== null) return fast;
  const dateTime =
    typeof instant === 'string' ? DateTime.fromISO(instant, { setZone: true }) : DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime());
  return dateTime.setZone(BOGOTA_ZONE).toISO({ suppressMilliseconds: true })!;
}

const bogotaIsoOfText = cachedByText(bogotaIsoOf);
const bogotaZone = IANAZone.create(BOGOTA_ZONE);
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const OFFSET_CACHE_LIMIT = 4096;
/** Bogotá's offset in minutes per quarter hour of UTC; no zone changes its offset inside one. */
const offsetByQuarterHour = new Map<number, number>();
const PLAIN_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds of an ISO instant in the plain form the stores and workstations write, or null for any other form. */
function plainInstantMillis(text: string): number | null {
  if (!PLAIN_INSTANT.test(text)) return null;
  const millis = Date.parse(text);
  return Number.isFinite(millis) ? millis : null;
}

/**
 * Wraps a conversion of text in a bounded cache. Ingest converts the same few instants of an event,
 * and the same ledger rows of a person, many times over.
 */
function cachedByText(convert: (text: string) => string, limit = 10_000): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    let converted = cache.get(text);
    if (converted === undefined) {
      converted = convert(text);
      if (cache.size >= limit) cache.clear();
      cache.set(text, converted);
    }
    return converted;
  };
}

const utcIsoOfText = cachedByText((instant) => new Date(instant).toISOString());

/** Returns the UTC ISO form (`toISOString`) of an ISO instant, the form the stores keep. */
export function toUtcIso(instant: string): string {
  return utcIsoOfText(instant);
}

function bogotaOffsetMinutes(millis: number): number {
  const quarter = Math.floor(millis / QUARTER_HOUR_MS);
  const cached = offsetByQuarterHour.get(quarter);
  if (cached !== undefined) return cached;
  const start = bogotaZone.offset(quarter * QUARTER_HOUR_MS);
  // A quarter hour holding a change of offset (1914, 1992, 1993) is never cached.
  if (start !== bogotaZone.offset((quarter + 1) * QUARTER_HOUR_MS - 1)) return bogotaZone.offset(millis);
  if (offsetByQuarterHour.size >= OFFSET_CACHE_LIMIT) offsetByQuarterHour.clear();
  offsetByQuarterHour.set(quarter, start);
  return start;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

function formatInZone(millis: number): string | null {
  if (!Number.isFinite(millis)) return null;
  const offset = bogotaOffsetMinutes(millis);
  if (!Number.isInteger(offset)) return null;
  const local = new Date(millis + offset * 60_000);
  const year = local.getUTCFullYear();
  if (year < 1000 || year > 9999) return null;
  const fraction = local.getUTCMilliseconds();
  const absolute = Math.abs(offset);
  return (
    `${year}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}` +
    `T${pad(local.getUTCHours(), 2)}:${pad(local.getUTCMinutes(), 2)}:${pad(local.getUTCSeconds(), 2)}` +
    (fraction === 0 ? '' : `.${pad(fraction, 3)}`) +
    `${offset < 0 ? '-' : '+'}${pad(Math.floor(absolute / 60), 2)}:${pad(absolute % 60, 2)}`
  );
}

// A bare date (`2026-12-04`) is read as that calendar day in Bogotá, not in the host's zone, where it
// would become the previous day on a UTC machine; an instant with an offset is converted to Bogotá.
function toBogota(iso: string): DateTime {
  const parsed = DateTime.fromISO(iso, { zone: BOGOTA_ZONE });
  if (!parsed.isValid) throw new Error(`Invalid ISO date or instant: ${iso}`);
  return parsed;
}

/** `+573001234567` → `300 123 4567`; other addresses unchanged. */
export function formatPhone(address: string): string {
  const match = /^\+57(\d{3})(\d{3})(\d{4})$/.exec(address);
  return match ? `${match[1]} ${match[2]} ${match[3]}` : address;
}

/** Masks a phone or e-mail for logs: only the last 2 characters stay visible. */
export function maskAddress(address: string): string {
  return address.length <= 2 ? '**' : `${'*'.repeat(Math.min(address.length - 2, 8))}${address.slice(-2)}`;
}
