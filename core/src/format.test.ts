import { describe, expect, it } from 'vitest';
import { formatCop, formatDate, toBogotaIso } from './format.ts';

describe('format', () => {
  it('formats COP without decimals', () => {
    expect(formatCop(123_456_789)).toBe('$\u00a01.234.568');
  });
  it('formats dates as dd/mm/aaaa in Bogotá', () => {
    expect(formatDate('2026-12-05T03:00:00Z')).toBe('04/12/2026');
  });
  it('keeps a bare date on its Bogotá day', () => {
    expect(formatDate('2024-05-10')).toBe('10/05/2024');
  });
  it('converts instants to -05:00', () => {
    expect(toBogotaIso('2026-12-05T03:00:00Z')).toBe('2026-12-04T22:00:00-05:00');
  });
});
