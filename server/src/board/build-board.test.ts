import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '@gestiona/core/catalog';
import { bogotaDay, countRules, promiseCodesOf } from './build-board.ts';

describe('bogotaDay', () => {
  it.each([
    ['2026-12-07T15:00:00-05:00', '2026-12-07', '2026-12-07T05:00:00.000Z', '2026-12-08T05:00:00.000Z'],
    // 23:30 in Bogotá is already the next day in UTC.
    ['2026-12-08T04:30:00Z', '2026-12-07', '2026-12-07T05:00:00.000Z', '2026-12-08T05:00:00.000Z'],
    ['2026-12-08T05:00:00Z', '2026-12-08', '2026-12-08T05:00:00.000Z', '2026-12-09T05:00:00.000Z'],
    ['2026-12-31T23:59:59-05:00', '2026-12-31', '2026-12-31T05:00:00.000Z', '2027-01-01T05:00:00.000Z'],
  ])('maps %s to %s', (now, date, start, end) => {
    expect(bogotaDay(new Date(now))).toEqual({ date, range: { start, end } });
  });
});

describe('promiseCodesOf', () => {
  it('falls back to PP without a catalog', () => {
    expect(promiseCodesOf(null)).toEqual([{ code: 'PP', amountField: 'amount' }]);
  });

  it('reads the create-promise codes of a catalog', () => {
    const catalog: Catalog = {
      version: 'test',
      codes: [
        code('PP', ['create-promise'], [{ name: 'valor', type: 'amount' }]),
        code('PX', ['create-promise'], []),
        code('NC', [], [{ name: 'monto', type: 'amount' }]),
      ],
    };
    expect(promiseCodesOf(catalog)).toEqual([
      { code: 'PP', amountField: 'valor' },
      { code: 'PX', amountField: null },
    ]);
  });
});

describe('countRules', () => {
  it('counts each rule once per decision', () => {
    expect(countRules(['["R5","R6"]', '["R5"]', '["R5","R5"]', '["R16"]', '["R3"]'])).toEqual([
      { rule: 'R5', count: 3 },
      { rule: 'R3', count: 1 },
      { rule: 'R6', count: 1 },
      { rule: 'R16', count: 1 },
    ]);
  });

  it('keeps every distinct rule and sorts by count', () => {
    const ruleId = fc.integer({ min: 1, max: 16 }).map((number) => `R${number}`);
    fc.assert(
      fc.property(fc.array(fc.array(ruleId, { maxLength: 4 }), { maxLength: 30 }), (decisions) => {
        const counts = countRules(decisions.map((rules) => JSON.stringify(rules)));
        const total = counts.reduce((sum, row) => sum + row.count, 0);
        expect(total).toBe(decisions.reduce((sum, rules) => sum + new Set(rules).size, 0));
        for (let index = 1; index < counts.length; index += 1) expect(counts[index - 1]!.count).toBeGreaterThanOrEqual(counts[index]!.count);
      }),
    );
  });
});

function code(id: string, effects: Catalog['codes'][number]['effects'], fields: { name: string; type: 'amount' }[]): Catalog['codes'][number] {
  return {
    code: id,
    label: id,
    group: 'Contacto directo',
    class: 'two-way',
    fields: fields.map((field) => ({ ...field, label: field.name, required: true })),
    effects,
    shortcut: null,
    retired: false,
  };
}
