import { describe, expect, it } from 'vitest';
import { portfolioCsv, portfolioRow, utf8, type PortfolioRow } from '../fixtures/portfolio.ts';
import { buildPortfolio } from './build-portfolio.ts';
import { formatProblem } from './problems.ts';

const TODAY = '2026-12-04';

async function problemsOf(rows: readonly PortfolioRow[]): Promise<string[]> {
  const result = await buildPortfolio('cartera.csv', utf8(portfolioCsv(rows)), { today: TODAY });
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('portfolio consistency checks', () => {
  it('rejects an authorisation dated after today', async () => {
    const problems = await problemsOf([portfolioRow({ celular_fecha: '01/01/2030' })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('columna "celular_fecha"');
    expect(problems[0]).toContain('"01/01/2030"');
    expect(problems[0]).toContain('fecha futura');
  });

  it('accepts an authorisation dated today', async () => {
    expect(await problemsOf([portfolioRow({ celular_fecha: '04/12/2026' })])).toEqual([]);
  });

  it('rejects a co-obligor authorisation dated after today', async () => {
    const problems = await problemsOf([
      portfolioRow({
        codeudor_tipo_documento: 'CC',
        codeudor_numero_documento: '79111222',
        codeudor_nombre: 'Héctor Ibáñez',
        codeudor_relacion: 'codeudor',
        codeudor_celular: '3159876543',
        codeudor_celular_autorizado: 'sí',
        codeudor_celular_fuente: 'pagaré',
        codeudor_celular_fecha: '05/12/2026',
        codeudor_celular_evidencia: 'PG-1',
      }),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('codeudor_celular_fecha');
  });

  it('rejects an overdue amount above the balance', async () => {
    const problems = await problemsOf([portfolioRow({ saldo: '1.000,00', valor_vencido: '5.000,00' })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('columna "valor_vencido"');
    expect(problems[0]).toContain('mayor que el saldo');
  });

  it('explains why an authorisation column is required', async () => {
    const problems = await problemsOf([portfolioRow({ celular_fuente: '' })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('porque "celular_autorizado" dice que hay autorización');
  });
});
