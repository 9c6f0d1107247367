/**
 * Formatting for values that arrive from main. The renderer trusts nothing it shows, so a malformed
 * instant renders as a dash instead of breaking the screen.
 */
import { DateTime } from 'luxon';
import { BOGOTA_ZONE, formatDate, formatDateTime, formatPhone, formatSlot } from '@gestiona/core/format';
import type { Channel } from '@gestiona/core/domain';

const MISSING = '—';

export function showDate(iso: string | null | undefined): string {
  return tryFormat(iso, formatDate);
}

export function showDateTime(iso: string | null | undefined): string {
  return tryFormat(iso, formatDateTime);
}

export function showSlot(iso: string | null | undefined, nowIso: string): string {
  return tryFormat(iso, (value) => formatSlot(value, nowIso));
}

/**
 * Formats the next legal slot with its weekday and date unless it is today, e.g.
 * `mañana 07:00 (lunes 07/12/2026)`, so an agent reading "mañana" late at night cannot misplace it.
 */
export function showSlotWithDate(iso: string | null | undefined, nowIso: string): string {
  return tryFormat(iso, (value) => {
    const slot = formatSlot(value, nowIso);
    const date = formatDate(value);
    if (slot.startsWith('hoy') || slot.includes(date)) return slot;
    const weekday = DateTime.fromISO(value, { setZone: true }).setZone(BOGOTA_ZONE).setLocale('es-CO').toFormat('cccc');
    return slot.startsWith(weekday) ? `${slot} (${date})` : `${slot} (${weekday} ${date})`;
  });
}

/** Phones as agents read them (`300 123 4567`); e-mail and other addresses unchanged. */
export function showAddress(channel: Channel, address: string): string {
  return channel === 'email' ? address : formatPhone(address);
}

/** `CC 1020304050`. */
export function showDocument(docType: string, docNumber: string): string {
  return `${docType} ${docNumber}`;
}

/** Age of an instant relative to now in Spanish, e.g. `hace 5 min`, `hace 2 h 10 min`. */
export function showAge(iso: string | null | undefined, nowIso: string): string {
  if (!iso) return MISSING;
  const elapsedMs = Date.parse(nowIso) - Date.parse(iso);
  if (!Number.isFinite(elapsedMs)) return MISSING;

  const minutes = Math.max(0, Math.floor(elapsedMs / 60_000));
  if (minutes < 1) return 'hace menos de 1 min';
  if (minutes < 60) return `hace ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `hace ${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return days === 1 ? 'hace 1 día' : `hace ${days} días`;
}

function tryFormat(iso: string | null | undefined, format: (value: string) => string): string {
  if (!iso) return MISSING;
  try {
    return format(iso);
  } catch {
    return MISSING;
  }
}
