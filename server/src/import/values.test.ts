import { describe, expect, it } from 'vitest';
import {
  parseAmountCents,
  parseCountry,
  parseDate,
  parseDocNumber,
  parseDocType,
  parseEmail,
  parseInteger,
  parsePhone,
  parseProduct,
  parseTimeZone,
  parseYesNo,
  type Parsed,
} from './values.ts';

const valueOf = <T>(result: Parsed<T>): T | 'invalid' => (result.ok ? result.value : 'invalid');

describe('parsePhone', () => {
  const cases: [string, 'mobile' | 'landline' | 'any', string][] = [
    ['3001234567', 'mobile', '+573001234567'],
    ['+57 300 123 4567', 'mobile', '+573001234567'],
    ['300-123-4567', 'mobile', '+573001234567'],
    ['(300) 123 4567', 'mobile', '+573001234567'],
    ['573001234567', 'mobile', '+573001234567'],
    ['+573001234567', 'any', '+573001234567'],
    ['6012345678', 'landline', '+576012345678'],
    ['(601) 234 5678', 'landline', '+576012345678'],
    ['+57 604 4445566', 'landline', '+576044445566'],
    ['601 234 5678', 'any', '+576012345678'],
    ['2345678', 'landline', 'invalid'],
    ['6012345678', 'mobile', 'invalid'],
    ['3001234567', 'landline', 'invalid'],
    ['30012345', 'mobile', 'invalid'],
    ['30012345678', 'mobile', 'invalid'],
    ['+1 300 123 4567', 'any', 'invalid'],
    ['7012345678', 'any', 'invalid'],
    ['tres cero cero', 'any', 'invalid'],
    ['+34 612 345 678', 'mobile', '+34612345678'],
    ['+34 91 123 45 67', 'landline', '+34911234567'],
    ['+1 (305) 674-1234', 'mobile', '+13056741234'],
    ['+52 55 1234 5678', 'any', '+525512345678'],
    ['+34 12', 'mobile', 'invalid'],
    ['+800 1234 5678', 'mobile', 'invalid'],
    ['0034612345678', 'mobile', 'invalid'],
    ['34612345678', 'mobile', 'invalid'],
  ];
  it.each(cases)('%s as %s → %s', (raw, kind, expected) => {
    expect(valueOf(parsePhone(raw, kind))).toBe(expected);
  });
});

describe('parseAmountCents', () => {
  const cases: [string, number | 'invalid'][] = [
    ['1.234.567,89', 123_456_789],
    ['1234567,89', 123_456_789],
    ['1.234.567', 123_456_700],
    ['1.234', 123_400],
    ['0', 0],
    ['0,5', 50],
    ['$ 2.500,00', 250_000],
    ['1234.56', 'invalid'],
    ['1,234.56', 'invalid'],
    ['1.234,567', 'invalid'],
    ['-500', 'invalid'],
    ['doce mil', 'invalid'],
    ['12.34.567', 'invalid'],
  ];
  it.each(cases)('%s → %s', (raw, expected) => {
    expect(valueOf(parseAmountCents(raw))).toBe(expected);
  });
});

describe('parseDate', () => {
  const cases: [string, string][] = [
    ['31/01/2026', '2026-01-31'],
    ['1/2/2026', '2026-02-01'],
    ['29/02/2024', '2024-02-29'],
    ['29/02/2026', 'invalid'],
    ['31/04/2026', 'invalid'],
    ['2026-01-31', 'invalid'],
    ['01/13/2026', 'invalid'],
    ['mañana', 'invalid'],
  ];
  it.each(cases)('%s → %s', (raw, expected) => {
    expect(valueOf(parseDate(raw))).toBe(expected);
  });
});

describe('parseInteger', () => {
  it.each([['45', 45], ['-5', -5], [' 0 ', 0], ['treinta', 'invalid'], ['4,5', 'invalid'], ['', 'invalid']] as const)('%s → %s', (raw, expected) => {
    expect(valueOf(parseInteger(raw))).toBe(expected);
  });
});

describe('parseYesNo', () => {
  it.each([['sí', true], ['Si', true], ['SÍ', true], ['x', true], ['1', true], ['no', false], ['', false], ['NO', false], ['tal vez', 'invalid']] as const)(
    '%s → %s',
    (raw, expected) => {
      expect(valueOf(parseYesNo(raw))).toBe(expected);
    },
  );
});

describe('documents', () => {
  it.each([['cc', 'CC'], ['C.C.', 'CC'], ['Nit', 'NIT'], ['pasaporte', 'PA'], ['DNI', 'invalid']] as const)('type %s → %s', (raw, expected) => {
    expect(valueOf(parseDocType(raw))).toBe(expected);
  });

  it.each([
    ['CC', '1.020.304.050', '1020304050'],
    ['CC', '79 123 456', '79123456'],
    ['CC', '12AB', 'invalid'],
    ['NIT', '900123456-7', '900123456-7'],
    ['NIT', '900.123.456', '900123456'],
    ['NIT', '900123456-78', 'invalid'],
    ['PA', 'ab123456', 'AB123456'],
    ['TI', '1002003004', '1002003004'],
    ['CE', '123', 'invalid'],
  ] as const)('%s %s → %s', (docType, raw, expected) => {
    expect(valueOf(parseDocNumber(docType, raw))).toBe(expected);
  });
});

describe('parseProduct and parseEmail', () => {
  it.each([
    ['Tarjeta de crédito', 'credit-card'],
    ['LIBRANZA', 'payroll-loan'],
    ['Libre inversión', 'consumer-loan'],
    ['Vehículo', 'vehicle'],
    ['vivienda', 'mortgage'],
    ['Microcrédito', 'microcredit'],
    ['leasing', 'invalid'],
  ] as const)('product %s → %s', (raw, expected) => {
    expect(valueOf(parseProduct(raw))).toBe(expected);
  });

  it('lower-cases e-mails and rejects malformed ones', () => {
    expect(valueOf(parseEmail(' Ana.Pena@Ejemplo.COM.co '))).toBe('ana.pena@ejemplo.com.co');
    expect(valueOf(parseEmail('ana.pena@'))).toBe('invalid');
  });
});

describe('residence', () => {
  it.each([
    ['Europe/Madrid', 'Europe/Madrid'],
    ['  america/new_york ', 'America/New_York'],
    ['Madrid', 'invalid'],
    ['UTC+1', 'invalid'],
  ] as const)('zone %s → %s', (raw, expected) => {
    expect(valueOf(parseTimeZone(raw))).toBe(expected);
  });

  it.each([
    ['España', 'ES'],
    ['espana', 'ES'],
    ['ES', 'ES'],
    ['Estados Unidos', 'US'],
    ['EE. UU.', 'US'],
    ['México', 'MX'],
    ['Mexico', 'MX'],
    ['Colombia', 'CO'],
    ['co', 'CO'],
    ['XX', 'invalid'],
    ['Narnia', 'invalid'],
  ] as const)('country %s → %s', (raw, expected) => {
    expect(valueOf(parseCountry(raw))).toBe(expected);
  });
});
