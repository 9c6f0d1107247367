import { describe, expect, it } from 'vitest';
import { showRate, showSeconds, showTimeInState } from './board-labels.ts';

const NOW = '2026-12-07T15:00:00-05:00';

describe('showTimeInState', () => {
  it.each([
    ['2026-12-07T14:59:30-05:00', 'menos de 1 min'],
    ['2026-12-07T14:48:00-05:00', '12 min'],
    ['2026-12-07T12:55:00-05:00', '2 h 05 min'],
    ['2026-12-06T14:00:00-05:00', '1 día'],
    ['2026-12-04T15:00:00-05:00', '3 días'],
    // A state that starts after the team lead's clock, by a clock difference, shows as just started.
    ['2026-12-07T15:01:00-05:00', 'menos de 1 min'],
    ['no es una fecha', '—'],
    [null, '—'],
  ])('shows %s as %s', (since, text) => {
    expect(showTimeInState(since, NOW)).toBe(text);
  });
});

describe('showRate', () => {
  it.each([
    [1, 4, '25 %'],
    [2, 3, '67 %'],
    [0, 5, '0 %'],
    [0, 0, '—'],
  ])('shows %i of %i as %s', (part, whole, text) => {
    expect(showRate(part, whole)).toBe(text);
  });
});

describe('showSeconds', () => {
  it.each([
    [null, '—'],
    [0, '0 s'],
    [44.6, '45 s'],
    [60, '1 min 00 s'],
    [185, '3 min 05 s'],
    [3_725, '62 min 05 s'],
    [Number.NaN, '—'],
  ])('%s seconds → %s', (seconds, text) => {
    expect(showSeconds(seconds)).toBe(text);
  });
});
