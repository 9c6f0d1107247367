/**
 * Masking of personal data in log objects, shared by the workstation and the server loggers: logs
 * must never carry document numbers, phone numbers, e-mails or amounts in clear.
 */
import { maskAddress } from './format.ts';

/**
 * Kept as they are: UUIDs (whose hex groups can be all digits), ISO dates and times, and IPv4
 * addresses such as the server's. Masked: e-mail addresses, and digit runs that may contain `.`,
 * `-` or spaces with six or more digits in all, not glued to letters, so ids such as
 * `ob-3f91234567ab` keep their digits.
 */
const PERSONAL_DATA_PATTERN = new RegExp(
  [
    /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/.source,
    /(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?)/.source,
    /((?<![\w.])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\w.]))/.source,
    /([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/.source,
    /((?<![\w])\+?\d[\d.\- ]*\d(?![\w]))/.source,
  ].join('|'),
  'gi',
);

const MIN_MASKED_DIGITS = 6;

/** Masks e-mail addresses and long digit runs in `text`, keeping the last two digits or characters. */
export function maskPersonalData(text: string): string {
  return text.replace(PERSONAL_DATA_PATTERN, (match, uuid?: string, isoDate?: string, ipv4?: string, email?: string) => {
    if (uuid !== undefined || isoDate !== undefined || ipv4 !== undefined) return match;
    if (email !== undefined) return maskAddress(email);
    const digits = match.replace(/\D/g, '');
    return digits.length >= MIN_MASKED_DIGITS ? maskAddress(digits) : match;
  });
}

/** Deep copy of a log object with every string masked; errors are left to the `err` serializer. */
export function maskValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonalData(value);
  if (depth > 6 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => maskValue(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;

  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = maskValue(item, depth + 1);
  return copy;
}

