import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { PortfolioImportError } from '../import/problems.ts';
import type { ServerStore } from '../store/types.ts';

const NOW = new Date('2026-12-04T15:00:00-05:00');
const CREDITOR = 'Banco Cafetero del Sur';
const HEADER = 'numero_obligacion;entidad;fecha_aviso_1;fecha_aviso_2;porcentaje_gastos_cobranza;tabla_gastos_informada;cobro_judicial';

function termsCsv(...rows: string[]): Uint8Array {
  return utf8(`${[HEADER, ...rows].join('\r\n')}\r\n`);
}

describe.each(BACKEND_NAMES)('obligation-terms import on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;

  beforeEach(async () => {
    store = await backend.openStore(await backend.createDatabase());
    const rows = [portfolioRow(), portfolioRow({ numero_obligacion: 'HP-0002', producto: 'Hipotecario' })];
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
  });
  afterEach(async () => {
    await store.close();
  });

  const importTerms = (bytes: Uint8Array, creditor?: string) => store.importObligationTerms({ fileName: 'avisos.csv', bytes, creditor, now: NOW });

  async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PortfolioImportError);
    return (error as PortfolioImportError).lines();
  }

  async function obligationsOfDebtor() {
    const snapshot = await store.getDebtorSnapshot('CC-1020304050', NOW);
    return new Map(snapshot!.obligations.map((obligation) => [obligation.number, obligation]));
  }

  it('adds the notices and fee terms to the snapshot', async () => {
    const summary = await importTerms(termsCsv(`TC-0001;${CREDITOR};02/11/2026;09/11/2026;12,5;sí;no`, `HP-0002;${CREDITOR};;;10;si;sí`));
    expect(summary).toMatchObject({ obligations: 2, changed: 2, withNotice: 1, withFeeSchedule: 2, debtorsResent: 0 });

    const obligations = await obligationsOfDebtor();
    expect(obligations.get('TC-0001')).toMatchObject({
      creditReportNotices: ['2026-11-02', '2026-11-09'],
      collectionFeeTerms: { schedulePercent: 12.5, disclosedToDebtor: true, inLitigation: false },
    });
    expect(obligations.get('HP-0002')).toMatchObject({
      creditReportNotices: [],
      collectionFeeTerms: { schedulePercent: 10, disclosedToDebtor: true, inLitigation: true },
    });
  });

  it('leaves obligations without a row as having no terms', async () => {
    await importTerms(termsCsv(`TC-0001;${CREDITOR};02/11/2026;;;;`));
    const obligations = await obligationsOfDebtor();
    expect(obligations.get('TC-0001')).toMatchObject({ creditReportNotices: ['2026-11-02'], collectionFeeTerms: null });
    expect(obligations.get('HP-0002')).toMatchObject({ creditReportNotices: [], collectionFeeTerms: null });
  });

  it('replaces the terms on a re-import and counts only changes', async () => {
    await importTerms(termsCsv(`TC-0001;${CREDITOR};02/11/2026;;10;sí;no`));
    const again = await importTerms(termsCsv(`TC-0001;${CREDITOR};02/11/2026;;10;sí;no`, `HP-0002;${CREDITOR};20/11/2026;;;;`));
    expect(again.changed).toBe(1);

    const third = await importTerms(termsCsv(`TC-0001;${CREDITOR};;;;;`));
    expect(third.changed).toBe(1);
    expect((await obligationsOfDebtor()).get('TC-0001')).toMatchObject({ creditReportNotices: [], collectionFeeTerms: null });
  });

  it('sends the updated debtor to the agent holding the lease', async () => {
    const agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, NOW);
    await store.grantLease('CC-1020304050', agent.id, NOW);
    const cursor = (await store.pullFeed(agent.id, 0, 500)).cursor;

    const summary = await importTerms(termsCsv(`TC-0001;${CREDITOR};02/11/2026;;10;sí;no`));
    expect(summary.debtorsResent).toBe(1);

    const entries = (await store.pullFeed(agent.id, cursor, 500)).entries;
    expect(entries.map((entry) => entry.type)).toEqual(['debtor.upsert']);
    const payload = entries[0]!.payload as { obligations: { number: string; creditReportNotices: string[] }[] };
    expect(payload.obligations.find((obligation) => obligation.number === 'TC-0001')?.creditReportNotices).toEqual(['2026-11-02']);

    const unchanged = await importTerms(termsCsv(`TC-0001;${CREDITOR};02/11/2026;;10;sí;no`));
    expect(unchanged.debtorsResent).toBe(0);
  });

  it('takes the creditor from the command when the column is absent', async () => {
    const bytes = utf8('numero_obligacion;fecha_aviso_1\r\nTC-0001;02/11/2026\r\n');
    await importTerms(bytes, CREDITOR);
    expect((await obligationsOfDebtor()).get('TC-0001')?.creditReportNotices).toEqual(['2026-11-02']);
  });

  it('reads a Windows-1252 file', async () => {
    const text = `${HEADER}\r\nTC-0001;${CREDITOR};02/11/2026;;10;sí;no\r\n`;
    await importTerms(new Uint8Array(iconv.encode(text, 'windows-1252')));
    expect((await obligationsOfDebtor()).get('TC-0001')?.collectionFeeTerms).toEqual({ schedulePercent: 10, disclosedToDebtor: true, inLitigation: false });
  });

  it('rejects an unknown obligation and stores nothing', async () => {
    const lines = await problemsOf(importTerms(termsCsv(`TC-0001;${CREDITOR};02/11/2026;;;;`, `TC-9999;${CREDITOR};02/11/2026;;;;`, `TC-0001;Otro Banco;;;;;`)));
    expect(lines).toEqual([
      `Línea 3, columna "numero_obligacion": "TC-9999" no existe en la cartera de ${CREDITOR}. Revise el número y la entidad, o importe primero la cartera que trae esa obligación.`,
      'Línea 4, columna "numero_obligacion": "TC-0001" no existe en la cartera de Otro Banco. Revise el número y la entidad, o importe primero la cartera que trae esa obligación.',
    ]);
    expect((await obligationsOfDebtor()).get('TC-0001')?.creditReportNotices).toEqual([]);
  });

  it.each([
    { case: 'a date that does not exist', row: `TC-0001;${CREDITOR};31/02/2026;;;;`, problem: 'Línea 2, columna "fecha_aviso_1": "31/02/2026" no es una fecha que exista.' },
    { case: 'a notice in the future', row: `TC-0001;${CREDITOR};05/12/2026;;;;`, problem: 'Línea 2, columna "fecha_aviso_1": "05/12/2026" es una fecha futura.' },
    { case: 'a second notice without a first', row: `TC-0001;${CREDITOR};;02/11/2026;;;`, problem: 'Línea 2, columna "fecha_aviso_2": "02/11/2026" hay un segundo aviso sin primero.' },
    { case: 'a second notice on the same day', row: `TC-0001;${CREDITOR};02/11/2026;02/11/2026;;;`, problem: 'Línea 2, columna "fecha_aviso_2": "02/11/2026" no es posterior al primer aviso' },
    { case: 'a percentage above 100', row: `TC-0001;${CREDITOR};;;120;sí;no`, problem: 'Línea 2, columna "porcentaje_gastos_cobranza": "120" es mayor que 100.' },
    { case: 'a percentage with a decimal point', row: `TC-0001;${CREDITOR};;;12.5;sí;no`, problem: 'Línea 2, columna "porcentaje_gastos_cobranza": "12.5" no es un porcentaje válido.' },
    { case: 'a disclosed schedule without a percentage', row: `TC-0001;${CREDITOR};;;;sí;no`, problem: 'Línea 2, columna "tabla_gastos_informada": "sí" dice que la tabla se informó, pero falta el porcentaje' },
    { case: 'a yes/no cell with another word', row: `TC-0001;${CREDITOR};;;10;quizás;no`, problem: 'Línea 2, columna "tabla_gastos_informada": "quizás" no es sí o no.' },
    { case: 'a missing obligation number', row: `;${CREDITOR};02/11/2026;;;;`, problem: 'Línea 2, columna "numero_obligacion": está vacío y es obligatorio.' },
  ])('rejects $case with its line, column and value', async ({ row, problem }) => {
    const lines = await problemsOf(importTerms(termsCsv(row)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(problem);
  });

  it('rejects a repeated obligation naming the first line', async () => {
    const lines = await problemsOf(importTerms(termsCsv(`TC-0001;${CREDITOR};;;;;`, `TC-0001;${CREDITOR};02/11/2026;;;;`)));
    expect(lines).toEqual([
      `Línea 3, columna "numero_obligacion": "TC-0001" está repetida: la misma obligación de ${CREDITOR} ya aparece en la línea 2. Deje una sola fila por obligación.`,
    ]);
  });

  it('rejects an unknown or missing column in the header', async () => {
    const lines = await problemsOf(importTerms(utf8('numero_obligacion;fecha_aviso;entidad\r\nTC-0001;02/11/2026;X\r\n')));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Línea 1, columna "fecha_aviso": no es una columna del archivo de avisos y gastos de cobranza\. Use solo: numero_obligacion, entidad, /);

    const missing = await problemsOf(importTerms(utf8('fecha_aviso_1\r\n02/11/2026\r\n')));
    expect(missing).toEqual([
      'Línea 1, columna "numero_obligacion": falta en el encabezado. Agregue la columna: es obligatoria.',
      'Línea 1, columna "entidad": falta en el encabezado. Agregue la columna: es obligatoria.',
    ]);
  });
});
