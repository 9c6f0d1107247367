import { describe, expect, it } from 'vitest';
import { buildPayments } from '../payments/parse-payments.ts';

const HEADER = 'tipo_documento;numero_documento;numero_obligacion;entidad;fecha_pago;valor_pagado;referencia_pago';
const ROW = 'CC;1020304050;TC-0001;Banco Cafetero del Sur;01/12/2026;150.000,00;REF-1';
const OPTIONS = { defaultCreditor: null, today: '2026-12-04' };

async function problemsOf(csv: string, defaultCreditor: string | null = null) {
  const result = await buildPayments('pagos.csv', new TextEncoder().encode(csv), { ...OPTIONS, defaultCreditor });
  return result.ok ? [] : result.problems.map((problem) => `${problem.line}|${problem.column ?? ''}|${problem.message}`);
}

describe('creditor side file', () => {
  it.each([
    { case: 'unknown column', csv: `${HEADER};nota\n${ROW};x`, expected: /^1\|nota\|no es una columna del archivo de pagos\. Use solo: tipo_documento,/ },
    { case: 'repeated column', csv: `${HEADER};entidad\n${ROW};otra`, expected: /^1\|entidad\|está repetida \(columnas 4 y 8\)/ },
    { case: 'missing column', csv: `${HEADER.replace(';referencia_pago', '')}\n${ROW.replace(';REF-1', '')}`, expected: /^1\|referencia_pago\|falta en el encabezado/ },
    { case: 'header only', csv: `${HEADER}\n`, expected: /^1\|\|El archivo solo tiene el encabezado\. Agregue al menos un pago\.$/ },
    { case: 'unnamed column with data', csv: `${HEADER};\n${ROW};dato`, expected: /^1\|\|La columna 8 no tiene encabezado pero tiene datos/ },
    { case: 'repeated reference', csv: `${HEADER}\n${ROW}\n${ROW}`, expected: /^3\|referencia_pago\|está repetida: la misma referencia de Banco Cafetero del Sur ya aparece en la línea 2\./ },
    { case: 'empty creditor, none given', csv: `${HEADER}\n${ROW.replace('Banco Cafetero del Sur', '')}`, expected: /^2\|entidad\|está vacío\. Escriba la entidad acreedora o indíquela al importar \(--creditor\)\.$/ },
  ])('rejects $case', async ({ csv, expected }) => {
    const problems = await problemsOf(csv);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('takes the import creditor for an empty cell', async () => {
    const csv = `${HEADER.replace(';entidad', '')}\n${ROW.replace(';Banco Cafetero del Sur', '')}`;
    const result = await buildPayments('pagos.csv', new TextEncoder().encode(csv), { ...OPTIONS, defaultCreditor: ' Banco Andino ' });
    expect(result.ok && result.payments.map((payment) => [payment.creditor, payment.reference, payment.amountCents])).toEqual([['Banco Andino', 'REF-1', 15_000_000]]);
  });
});
