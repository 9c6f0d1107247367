import { describe, expect, it } from 'vitest';
import type { CatalogCode } from './catalog.ts';
import { checkCatalogSuccession } from './catalog-rules.ts';

function code(overrides: Partial<CatalogCode>): CatalogCode {
  return { code: 'NC', label: 'No contesta', group: 'sin-contacto', class: 'attempt', fields: [], effects: [], shortcut: null, retired: false, ...overrides };
}

describe('catalog succession messages', () => {
  it('states the never-delete rule for a dropped code', () => {
    const problems = checkCatalogSuccession({ codes: [code({}), code({ code: 'PP', label: 'Promesa de pago', class: 'two-way' })] }, { codes: [code({})] });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('codes');
    expect(problems[0]!.message).toContain('Código PP ("Promesa de pago"): ya se publicó y no se puede borrar.');
    expect(problems[0]!.message).toContain('Un código publicado nunca se borra, aunque nadie lo haya usado todavía, solo se retira.');
    // Whether anyone typified the code is not known here, so the message must not claim it.
    expect(problems[0]!.message).not.toContain('gestiones guardadas');
  });

  it('names a class change with Spanish class labels', () => {
    const problems = checkCatalogSuccession({ codes: [code({ class: 'two-way' })] }, { codes: [code({ class: 'attempt' })] });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('codes.0.class');
    expect(problems[0]!.message).toContain('de "Contacto con el titular" a "Sin contacto"');
    expect(problems[0]!.message).not.toMatch(/two-way|attempt/);
  });

  it('accepts a retired code in place of a dropped one', () => {
    expect(checkCatalogSuccession({ codes: [code({})] }, { codes: [code({ retired: true })] })).toEqual([]);
  });
});
