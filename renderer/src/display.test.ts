import { describe, expect, it } from 'vitest';
import { showAddress, showAge, showDateTime, showSlot, showSlotWithDate } from './display.ts';

const NOW = '2026-12-07T10:00:00-05:00';

describe('showAge', () => {
  it.each([
    ['2026-12-07T09:59:40-05:00', 'hace menos de 1 min'],
    ['2026-12-07T09:55:00-05:00', 'hace 5 min'],
    ['2026-12-07T07:50:00-05:00', 'hace 2 h 10 min'],
    ['2026-12-06T09:00:00-05:00', 'hace 1 día'],
    ['2026-12-04T10:00:00-05:00', 'hace 3 días'],
    ['2026-12-07T10:05:00-05:00', 'hace menos de 1 min'],
    ['no es una fecha', '—'],
  ])('shows %s as %s', (iso, text) => {
    expect(showAge(iso, NOW)).toBe(text);
  });

  it('shows a dash without an instant', () => {
    expect(showAge(null, NOW)).toBe('—');
  });
});

describe('safe formatting', () => {
  it('formats a valid instant in Bogotá time', () => {
    expect(showDateTime('2026-12-07T15:30:00Z')).toBe('07/12/2026 10:30');
  });

  it('shows a dash for a malformed instant', () => {
    expect(showDateTime('07/12/2026')).toBe('—');
    expect(showSlot('mañana', NOW)).toBe('—');
  });

  it('formats phones but leaves e-mail as is', () => {
    expect(showAddress('voice', '+573001234567')).toBe('300 123 4567');
    expect(showAddress('email', 'pena@example.com')).toBe('pena@example.com');
  });
});

describe('showSlotWithDate', () => {
  const sunday = '2026-12-06T10:00:00-05:00';

  it.each([
    ['2026-12-06T15:00:00-05:00', 'hoy 15:00'],
    ['2026-12-07T07:00:00-05:00', 'mañana 07:00 (lunes 07/12/2026)'],
    ['2026-12-09T07:00:00-05:00', 'miércoles 07:00 (09/12/2026)'],
    ['2026-12-21T07:00:00-05:00', 'lunes 21/12/2026 07:00'],
    ['2026-12-07T12:00:00Z', 'mañana 07:00 (lunes 07/12/2026)'],
  ])('shows %s as %s', (iso, text) => {
    expect(showSlotWithDate(iso, sunday)).toBe(text);
  });
});
