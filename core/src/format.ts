/**
 * Colombian (es-CO) formats for everything an agent reads: COP amounts, `dd/mm/aaaa` dates and
 * America/Bogota times, whatever the machine's own time zone and locale.
 */
import { DateTime } from 'luxon';

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
  const dateTime =
    typeof instant === 'string' ? DateTime.fromISO(instant, { setZone: true }) : DateTime.fromMillis(typeof instant === 'number' ? instant : instant.getTime());
  return dateTime.setZone(BOGOTA_ZONE).toISO({ suppressMilliseconds: true })!;
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
