/**
 * Parses COP amounts as agents type them in Colombia: a dot groups thousands and a comma separates
 * centavos (`1.234.567`, `1234567,50`, `$ 1.234.567,5`). The result is integer centavos, the unit
 * every amount in the system uses.
 */

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const FORMAT_HINT = 'Use punto para los miles y coma para los centavos, por ejemplo 1.234.567 o 1234567,50.';

// Either plain digits or digits grouped by threes with dots, then at most two decimals after a comma.
const AMOUNT_PATTERN = /^(\d+|\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?$/;

export function parseCopAmount(input: string): ParseResult<number> {
  const compact = input.trim().replace(/^\$\s*/, '');
  if (compact === '') return { ok: false, message: 'Escriba un valor.' };

  const match = AMOUNT_PATTERN.exec(compact);
  if (!match) return { ok: false, message: `"${input.trim()}" no es un valor válido. ${FORMAT_HINT}` };

  const pesos = Number(match[1]!.replaceAll('.', ''));
  const centavos = Number((match[2] ?? '').padEnd(2, '0'));
  const cents = pesos * 100 + centavos;
  if (!Number.isSafeInteger(cents)) return { ok: false, message: `"${input.trim()}" es un valor demasiado grande.` };

  return { ok: true, value: cents };
}

/** `123456750` → `1.234.567,50`: the form `parseCopAmount` reads back, for prefilled inputs. */
export function formatCopInput(cents: number): string {
  const pesos = Math.trunc(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const centavos = cents % 100;
  return centavos === 0 ? pesos : `${pesos},${centavos.toString().padStart(2, '0')}`;
}
