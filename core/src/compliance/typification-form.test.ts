import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogSchema, type Catalog, type CatalogCode } from '../catalog.ts';
import { checkTypificationForm } from './typification-form.ts';

const SHIPPED_CATALOG = catalogSchema.parse(JSON.parse(readFileSync(new URL('../../../resources/catalog.json', import.meta.url), 'utf8')));

function code(overrides: Partial<CatalogCode>): CatalogCode {
  return { code: 'RN', label: 'Se niega a pagar', group: 'Contacto directo', class: 'two-way', fields: [], effects: [], shortcut: null, retired: false, ...overrides };
}

function catalogOf(...codes: CatalogCode[]): Catalog {
  return { version: 'test', codes };
}

describe('checkTypificationForm (R11)', () => {
  it('accepts the shipped catalog', () => {
    expect(checkTypificationForm(SHIPPED_CATALOG)).toEqual([]);
  });

  it.each([
    ['Motivo de no pago', 'motivo'],
    ['Causal de mora', 'causal'],
    ['¿Por qué no pagó?', 'porQue'],
    ['Razón del atraso', 'razon'],
  ])('flags the field label "%s"', (label, name) => {
    const problems = checkTypificationForm(catalogOf(code({ fields: [{ name, label, type: 'text', required: true }] })));

    expect(problems).toEqual([
      {
        code: 'RN',
        field: name,
        rule: 'R11',
        message: `Código RN, campo "${label}": el formulario no puede pedir por qué la persona no pagó; si la persona menciona una dificultad por iniciativa propia, anótela en una observación (R11).`,
      },
    ]);
  });

  it('flags a field whose name asks even when its label does not', () => {
    const problems = checkTypificationForm(catalogOf(code({ fields: [{ name: 'motivoNoPago', label: 'Detalle', type: 'text', required: false }] })));
    expect(problems.map((problem) => problem.field)).toEqual(['motivoNoPago']);
  });

  it('flags a code label', () => {
    const problems = checkTypificationForm(catalogOf(code({ code: 'CM', label: 'Causal de no pago: desempleo' })));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'CM', field: null, rule: 'R11' });
    expect(problems[0]?.message).toBe('Código CM ("Causal de no pago: desempleo"): la tipificación no puede registrar por qué la persona no pagó (R11).');
  });

  it('allows a note for a hardship mentioned unprompted', () => {
    const fields = [
      { name: 'dificultad', label: 'Dificultad mencionada por el titular (sin preguntar)', type: 'text' as const, required: false },
      { name: 'nota', label: 'Observación', type: 'text' as const, required: true },
    ];
    expect(checkTypificationForm(catalogOf(code({ fields })))).toEqual([]);
  });

  it('checks retired codes too', () => {
    const problems = checkTypificationForm(catalogOf(code({ retired: true, fields: [{ name: 'causa', label: 'Causa del incumplimiento', type: 'text', required: true }] })));
    expect(problems).toHaveLength(1);
  });
});
