import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RulePack } from '@gestiona/core/compliance/types';
import { AppError } from '@gestiona/core/result';
import { addHoliday, blockDate, nextRulePackVersion, parseDateArgument, removeHoliday } from './derive-pack.ts';
import { describePackChanges } from './pack-text.ts';

const BASE: RulePack = {
  version: '2026.1',
  countsAsContact: 'every-attempt',
  lastDialMarginMinutes: 10,
  extraBlockedDates: [],
  calendarCorrections: { add: [], remove: [] },
  monthlyMinimumWageCents: 175_090_500,
};

describe('parseDateArgument', () => {
  it.each([
    ['07/12/2026', '2026-12-07'],
    ['2026-12-07', '2026-12-07'],
    [' 29/02/2028 ', '2028-02-29'],
    ['31/02/2026', null],
    ['2026-13-01', null],
    ['7/12/2026', null],
    ['12-07-2026', null],
    ['mañana', null],
  ])('reads %j as %j', (text, expected) => {
    expect(parseDateArgument(text)).toBe(expected);
  });
});

describe('nextRulePackVersion', () => {
  it.each([
    { current: '2026.1', used: ['2026.1'], today: '2026-12-04', next: '2026.2' },
    { current: '2026.9', used: ['2026.9'], today: '2026-12-04', next: '2026.10' },
    { current: '2026.3', used: ['2026.3'], today: '2027-01-02', next: '2027.1' },
    { current: '2026.1', used: ['2026.1', '2026.2', '2026.3'], today: '2026-12-04', next: '2026.4' },
    { current: '2026.1-duelo', used: ['2026.1-duelo'], today: '2026-12-04', next: null },
  ])('gives $next after $current', ({ current, used, today, next }) => {
    expect(nextRulePackVersion(current, new Set(used), today)).toBe(next);
  });

  it('never returns a used version', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2100 }), fc.integer({ min: 1, max: 50 }), fc.uniqueArray(fc.integer({ min: 1, max: 60 })), (year, number, usedNumbers) => {
        const used = new Set(usedNumbers.map((n) => `${year}.${n}`));
        const next = nextRulePackVersion(`${year}.${number}`, used, `${year}-06-01`);
        expect(next).not.toBeNull();
        expect(used.has(next!)).toBe(false);
        expect(Number(next!.split('.')[1])).toBeGreaterThan(number);
      }),
    );
  });
});

describe('calendar corrections', () => {
  it('blocks a date once, keeping the list sorted', () => {
    const blocked = blockDate({ ...BASE, extraBlockedDates: ['2026-12-24'] }, '2026-12-07');
    expect(blocked?.extraBlockedDates).toEqual(['2026-12-07', '2026-12-24']);
    expect(blockDate(blocked!, '2026-12-07')).toBeNull();
  });

  it('adds a named holiday', () => {
    expect(addHoliday(BASE, '2026-12-07', ' Duelo nacional ')?.calendarCorrections.add).toEqual([{ date: '2026-12-07', name: 'Duelo nacional' }]);
  });

  it('restores a suppressed computed holiday', () => {
    const pack = { ...BASE, calendarCorrections: { add: [], remove: ['2026-12-08'] } };
    expect(addHoliday(pack, '2026-12-08', 'Inmaculada')?.calendarCorrections).toEqual({ add: [], remove: [] });
  });

  it('rejects adding a computed holiday', () => {
    expect(() => addHoliday(BASE, '2026-12-25', 'Navidad')).toThrow(new AppError('invalid-input', 'El viernes 25/12/2026 ya es festivo (Navidad): no hay nada que añadir.'));
  });

  it('removes an added holiday or suppresses a computed one', () => {
    const added = { ...BASE, calendarCorrections: { add: [{ date: '2026-12-07', name: 'Duelo' }], remove: [] } };
    expect(removeHoliday(added, '2026-12-07')?.calendarCorrections).toEqual({ add: [], remove: [] });
    expect(removeHoliday(BASE, '2026-12-08')?.calendarCorrections).toEqual({ add: [], remove: ['2026-12-08'] });
    expect(removeHoliday({ ...BASE, calendarCorrections: { add: [], remove: ['2026-12-08'] } }, '2026-12-08')).toBeNull();
  });

  it('rejects removing a working day and points to an extra blocked date', () => {
    expect(() => removeHoliday(BASE, '2026-12-09')).toThrow('El miércoles 09/12/2026 no es festivo: no hay nada que quitar.');
    expect(() => removeHoliday({ ...BASE, extraBlockedDates: ['2026-12-09'] }, '2026-12-09')).toThrow(/Es una fecha bloqueada del paquete/);
  });
});

describe('describePackChanges', () => {
  it('lists each change in Spanish', () => {
    const next: RulePack = {
      ...BASE,
      version: '2026.2',
      lastDialMarginMinutes: 15,
      extraBlockedDates: ['2026-12-07'],
      calendarCorrections: { add: [{ date: '2026-12-09', name: 'Día cívico' }], remove: ['2026-12-08'] },
    };
    expect(describePackChanges(BASE, next)).toEqual([
      'Aviso antes del cierre de la franja: 10 → 15 minutos',
      'Fecha bloqueada añadida: lunes 07/12/2026',
      'Festivo añadido: miércoles 09/12/2026, Día cívico',
      'Festivo calculado suprimido: martes 08/12/2026 (Día de la Inmaculada Concepción)',
    ]);
    expect(describePackChanges(next, BASE)).toEqual([
      'Aviso antes del cierre de la franja: 15 → 10 minutos',
      'Fecha bloqueada quitada: lunes 07/12/2026',
      'Festivo añadido retirado: miércoles 09/12/2026, Día cívico',
      'Festivo calculado restablecido: martes 08/12/2026 (Día de la Inmaculada Concepción)',
    ]);
  });

  it('says when only the version changes', () => {
    expect(describePackChanges(BASE, { ...BASE, version: '2026.2' })).toEqual(['Las reglas no cambian; solo la versión.']);
  });
});
