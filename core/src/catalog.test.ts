import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalogSchema, COLLECTION_FEE_FIELD, validateTypificationFields, type CatalogCode, type CatalogField, type TypificationFields } from './catalog.ts';
import { catalogTree, codeForShortcut } from './catalog-rules.ts';

const SHIPPED = JSON.parse(readFileSync(new URL('../../resources/catalog.json', import.meta.url), 'utf8')) as { codes: CatalogCode[] };

const FEE: CatalogField = { name: COLLECTION_FEE_FIELD, label: 'Gastos de cobranza incluidos', type: 'amount', required: false };
const AMOUNT: CatalogField = { name: 'amount', label: 'Valor prometido', type: 'amount', required: true };
const DATE: CatalogField = { name: 'date', label: 'Fecha de pago', type: 'date', required: true, when: 'today-or-later', maxDaysAhead: 30 };

function promiseCode(overrides: Partial<CatalogCode>): CatalogCode {
  return { code: 'PP', label: 'Promesa de pago', group: 'Contacto directo', class: 'two-way', fields: [AMOUNT, DATE, FEE], effects: ['create-promise'], shortcut: 'P', retired: false, ...overrides };
}

function issuesOf(code: CatalogCode): string[] {
  const result = catalogSchema.safeParse({ version: 'test', codes: [code] });
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('catalog collection-fee field', () => {
  it('is offered on the shipped promise and agreement codes', () => {
    expect(catalogSchema.safeParse(SHIPPED).success).toBe(true);
    const withFee = SHIPPED.codes.filter((code) => code.fields.some((field) => field.name === COLLECTION_FEE_FIELD)).map((code) => code.code);
    expect(withFee).toEqual(['PP', 'AP']);
  });

  it('accepts it next to a promised amount or an instalment plan', () => {
    expect(issuesOf(promiseCode({}))).toEqual([]);
    const plan: CatalogField = { name: 'instalments', label: 'Plan de cuotas', type: 'instalments', required: true };
    expect(issuesOf(promiseCode({ code: 'AP', fields: [plan, FEE], effects: ['create-agreement'] }))).toEqual([]);
  });

  it.each([
    { case: 'a text field', code: promiseCode({ fields: [AMOUNT, DATE, { ...FEE, type: 'text' }] }), issue: 'PP: el campo collectionFee debe ser de tipo amount' },
    { case: 'a code without a promise', code: promiseCode({ code: 'RN', effects: [] }), issue: 'RN: collectionFee solo aplica a códigos que crean una promesa o un acuerdo de pago' },
    { case: 'no committed amount', code: promiseCode({ fields: [DATE, FEE] }), issue: 'PP: collectionFee necesita otro campo con el valor pactado (amount o instalments)' },
  ])('rejects it as $case', ({ code, issue }) => {
    // Without a required amount the promise effect reports its own missing field too.
    expect(issuesOf(code).filter((message) => message.includes(COLLECTION_FEE_FIELD))).toEqual([issue]);
  });
});

describe('catalog tree and field limits', () => {
  const shipped = catalogSchema.parse(SHIPPED);
  const code = (name: string) => shipped.codes.find((entry) => entry.code === name)!;

  it('lists the groups in order with their active codes', () => {
    expect(catalogTree(shipped).map((group) => [group.name, group.codes.map((entry) => entry.code)])).toEqual([
      ['Contacto directo', ['PP', 'AP', 'YP', 'VL', 'RN', 'RC', 'RA']],
      ['Contacto con tercero', ['MT', 'NE', 'FA']],
      ['Sin contacto', ['NC', 'BZ', 'OC', 'FS']],
    ]);
    expect(codeForShortcut(shipped.codes, 'p')?.code).toBe('PP');
    expect(codeForShortcut(shipped.codes, 'Z')).toBeNull();
  });

  const TODAY = '2026-03-03';
  const plan = (count: number) => Array.from({ length: count }, (_, index) => ({ dueDate: `2026-${String(4 + Math.floor(index / 28)).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')}`, amountCents: 100_000 }));

  it.each([
    { case: 'amount zero', name: 'PP', fields: { amount: 0, date: '2026-03-10' }, problem: 'Valor prometido: debe ser un valor mayor que cero.' },
    { case: 'promise date in the past', name: 'PP', fields: { amount: 100, date: '2026-03-02' }, problem: 'Fecha de pago: la fecha no puede estar en el pasado.' },
    { case: 'promise date past the policy maximum', name: 'PP', fields: { amount: 100, date: '2026-04-03' }, problem: 'Fecha de pago: la fecha no puede pasar de 30 días desde hoy.' },
    { case: 'a single instalment', name: 'AP', fields: { instalments: plan(1) }, problem: 'Plan de cuotas: un acuerdo necesita al menos 2 cuotas; para un solo pago registre una promesa.' },
    { case: 'more instalments than allowed', name: 'AP', fields: { instalments: plan(25) }, problem: 'Plan de cuotas: el plan admite como máximo 24 cuotas.' },
    { case: 'a text over its length', name: 'YP', fields: { date: '2026-03-01', amount: 100, reference: 'x'.repeat(101) }, problem: 'Referencia del pago: use como máximo 100 caracteres.' },
    { case: 'a blank text', name: 'RN', fields: { note: '   ' }, problem: 'Observación: escriba un texto.' },
  ] as { case: string; name: string; fields: TypificationFields; problem: string }[])('rejects $case', ({ name, fields, problem }) => {
    expect(validateTypificationFields(code(name), fields, TODAY).map((entry) => entry.message)).toEqual([problem]);
  });

  it.each([
    { name: 'PP', fields: { amount: 100, date: '2026-04-02' } },
    { name: 'AP', fields: { instalments: plan(2) } },
    { name: 'AP', fields: { instalments: plan(24) } },
    { name: 'YP', fields: { date: '2026-03-03', amount: 1, reference: 'x'.repeat(100) } },
  ] as { name: string; fields: TypificationFields }[])('accepts $name at its limits', ({ name, fields }) => {
    expect(validateTypificationFields(code(name), fields, TODAY)).toEqual([]);
  });

  it('property: a promise date is accepted exactly within today..today+30', () => {
    fc.assert(
      fc.property(fc.integer({ min: -60, max: 90 }), (offset) => {
        const date = new Date(Date.UTC(2026, 2, 3 + offset)).toISOString().slice(0, 10);
        const problems = validateTypificationFields(code('PP'), { amount: 100, date }, TODAY);
        return (problems.length === 0) === (offset >= 0 && offset <= 30);
      }),
    );
  });
});
