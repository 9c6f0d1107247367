import type { CatalogCode, CatalogField } from '@gestiona/core/catalog';
import { describe, expect, it } from 'vitest';
import { buildTypificationFields, instalmentsTotalCents, type FieldDrafts } from './fields.ts';

function code(fields: CatalogField[]): CatalogCode {
  return { code: 'PP', label: 'Promesa de pago', group: 'Contacto directo', class: 'two-way', fields, effects: [], shortcut: '1', retired: false };
}

const promise = code([
  { name: 'amount', label: 'Valor', type: 'amount', required: true },
  { name: 'date', label: 'Fecha', type: 'date', required: true, when: 'today-or-later', maxDaysAhead: 30 },
]);

const everyType = code([
  { name: 'amount', label: 'Valor', type: 'amount', required: false },
  { name: 'date', label: 'Fecha', type: 'date', required: false },
  { name: 'callbackAt', label: 'Volver a llamar', type: 'datetime', required: false },
  { name: 'reference', label: 'Referencia', type: 'text', required: false },
  { name: 'channel', label: 'Canal', type: 'channel', required: false },
  { name: 'plan', label: 'Cuotas', type: 'instalments', required: false },
]);

describe('buildTypificationFields', () => {
  it('sends the optional collection fee only when typed', () => {
    const withFee = code([...promise.fields, { name: 'collectionFee', label: 'Gastos de cobranza incluidos', type: 'amount', required: false }]);
    expect(buildTypificationFields(withFee, { amount: '110.000', date: '05/12/2026', collectionFee: '' }).fields).toEqual({ amount: 11_000_000, date: '2026-12-05' });
    expect(buildTypificationFields(withFee, { amount: '110.000', date: '05/12/2026', collectionFee: '10.000' }).fields).toEqual({
      amount: 11_000_000,
      date: '2026-12-05',
      collectionFee: 1_000_000,
    });
  });

  it('converts a promise to centavos and ISO date', () => {
    const built = buildTypificationFields(promise, { amount: '1.234.567,50', date: '05/12/2026' });
    expect(built.errors).toEqual({});
    expect(built.fields).toEqual({ amount: 123_456_750, date: '2026-12-05' });
  });

  it('converts every field type', () => {
    const drafts: FieldDrafts = {
      amount: '250000',
      date: '1/2/2027',
      callbackAt: '05/12/2026 15:30',
      reference: '  PSE-998877  ',
      channel: 'sms',
      plan: [
        { dueDate: '10/12/2026', amount: '100.000' },
        { dueDate: '', amount: '' },
        { dueDate: '10/01/2027', amount: '100.000,50' },
      ],
    };

    const built = buildTypificationFields(everyType, drafts);

    expect(built.errors).toEqual({});
    expect(built.fields).toEqual({
      amount: 25_000_000,
      date: '2027-02-01',
      callbackAt: '2026-12-05T15:30:00-05:00',
      reference: 'PSE-998877',
      channel: 'sms',
      plan: [
        { dueDate: '2026-12-10', amountCents: 10_000_000 },
        { dueDate: '2027-01-10', amountCents: 10_000_050 },
      ],
    });
  });

  it('marks missing required fields', () => {
    const built = buildTypificationFields(promise, { amount: '  ' });
    expect(built.errors).toEqual({ amount: 'Campo obligatorio.', date: 'Campo obligatorio.' });
    expect(built.fields).toEqual({});
  });

  it('omits blank optional fields', () => {
    const built = buildTypificationFields(everyType, { amount: '', plan: [{ dueDate: ' ', amount: '' }] });
    expect(built).toEqual({ fields: {}, errors: {} });
  });

  it.each([
    ['amount', { amount: '1234567.50' }, '"1234567.50" no es un valor válido'],
    ['date', { date: '2026-12-05' }, '"2026-12-05" no es una fecha válida'],
    ['callbackAt', { callbackAt: '05/12/2026' }, 'no es una fecha y hora válida'],
    ['plan', { plan: [{ dueDate: '31/02/2027', amount: '100' }] }, 'Cuota 1: La fecha 31/02/2027 no existe'],
    ['plan', { plan: [{ dueDate: '10/12/2026', amount: '' }] }, 'Cuota 1: Escriba un valor.'],
    ['plan', { plan: [{ dueDate: '10/12/2026', amount: '0' }] }, 'Cuota 1: el valor debe ser mayor que cero.'],
  ] as const)('reports an unreadable %s next to the field', (name, drafts, message) => {
    const built = buildTypificationFields(everyType, drafts as FieldDrafts);
    expect(built.errors[name]).toContain(message);
    expect(built.fields[name]).toBeUndefined();
  });

  it('ignores drafts of fields the code does not have', () => {
    const built = buildTypificationFields(promise, { amount: '1000', date: '05/12/2026', note: 'otro' });
    expect(Object.keys(built.fields).sort()).toEqual(['amount', 'date']);
  });
});

describe('instalmentsTotalCents', () => {
  it('adds the readable rows only', () => {
    const total = instalmentsTotalCents([
      { dueDate: '', amount: '1.000' },
      { dueDate: '', amount: 'abc' },
      { dueDate: '', amount: '2.000,50' },
    ]);
    expect(total).toBe(300_050);
  });
});
