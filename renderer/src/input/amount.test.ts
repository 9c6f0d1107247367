import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCopInput, parseCopAmount } from './amount.ts';

describe('parseCopAmount', () => {
  it.each([
    ['1.234.567', 123_456_700],
    ['1234567', 123_456_700],
    ['1234567,50', 123_456_750],
    ['1.234.567,5', 123_456_750],
    ['1.234.567,05', 123_456_705],
    ['$ 1.234.567', 123_456_700],
    ['$1.000', 100_000],
    ['  250000  ', 25_000_000],
    ['999', 99_900],
    ['0,01', 1],
    ['0', 0],
  ])('reads %s as %i centavos', (input, cents) => {
    expect(parseCopAmount(input)).toEqual({ ok: true, value: cents });
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['dot as decimal point', '1234567.50'],
    ['short thousands group', '1.23.456'],
    ['leading group of four', '1234.567'],
    ['three decimals', '1234,567'],
    ['negative', '-5000'],
    ['letters', 'mil pesos'],
    ['comma without decimals', '1234,'],
    ['spaces inside the number', '1 234 567'],
  ])('rejects %s', (_case, input) => {
    const result = parseCopAmount(input);
    expect(result.ok).toBe(false);
  });

  it('names the value and the expected format in the error', () => {
    const result = parseCopAmount('1234567.50');
    expect(result).toEqual({ ok: false, message: expect.stringContaining('"1234567.50"') });
    expect(result.ok ? '' : result.message).toContain('1.234.567');
  });

  it('rejects amounts beyond safe integers', () => {
    expect(parseCopAmount('999999999999999999').ok).toBe(false);
  });

  it('reads back what formatCopInput writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (cents) => {
        expect(parseCopAmount(formatCopInput(cents))).toEqual({ ok: true, value: cents });
      }),
    );
  });
});

describe('formatCopInput', () => {
  it.each([
    [0, '0'],
    [100, '1'],
    [123_456_700, '1.234.567'],
    [123_456_750, '1.234.567,50'],
    [5, '0,05'],
  ])('writes %i centavos as %s', (cents, text) => {
    expect(formatCopInput(cents)).toBe(text);
  });
});
