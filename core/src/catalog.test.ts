import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogSchema, COLLECTION_FEE_FIELD, type CatalogCode, type CatalogField } from './catalog.ts';

const SHIPPED = JSON.parse(readFileSync(new URL('../../resources/catalog.json', import.meta.url), 'utf8')) as { codes: CatalogCode[] };

const FEE: CatalogField = { name: COLLECTION_FEE_FIELD, label: 'Gastos de cobranza incluidos', type: 'amount', required: false };
const AMOUNT: CatalogField = { name: 'amount', label: 'Valor prometido', type: 'amount', required: true };

function promiseCode(overrides: Partial<CatalogCode>): CatalogCode {
  return { code: 'PP', label: 'Promesa de pago', group: 'Contacto directo', class: 'two-way', fields: [AMOUNT, FEE], effects: ['create-promise'], shortcut: 'P', retired: false, ...overrides };
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
    { case: 'a text field', code: promiseCode({ fields: [AMOUNT, { ...FEE, type: 'text' }] }), issue: 'PP: el campo collectionFee debe ser de tipo amount' },
    { case: 'a code without a promise', code: promiseCode({ code: 'RN', effects: [] }), issue: 'RN: collectionFee solo aplica a códigos que crean una promesa o un acuerdo de pago' },
    { case: 'no committed amount', code: promiseCode({ fields: [FEE] }), issue: 'PP: collectionFee necesita otro campo con el valor pactado (amount o instalments)' },
  ])('rejects it as $case', ({ code, issue }) => {
    expect(issuesOf(code)).toEqual([issue]);
  });
});
