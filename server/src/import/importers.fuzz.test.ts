/**
 * Hostile files for the file importers (portfolio, schedule requests, obligation terms, payments):
 * random bytes, random grids under a valid header, and valid files with random cells changed.
 * Each file is imported whole or rejected whole with `PortfolioImportError`. Its problems name a
 * line, and a column and value where they apply. A rejection changes nothing stored.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend, type BackendName } from '../fixtures/backends.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import type { ServerStore } from '../store/types.ts';
import { COLUMN_NAMES } from './columns.ts';
import { PortfolioImportError } from './problems.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const DEBTOR = 'CC-1020304050';

/** PostgreSQL imports run at SERIALIZABLE over a socket; fewer runs keep the file under 30 s. */
const RUNS: Record<BackendName, number> = { sqlite: 25, postgres: 6 };

interface Importer {
  name: string;
  header: readonly string[];
  validRow: () => Record<string, string>;
  run(store: ServerStore, bytes: Uint8Array): Promise<unknown>;
}

const SCHEDULE_HEADER = ['tipo_documento', 'numero_documento', 'dias', 'desde', 'hasta', 'fecha_solicitud', 'fecha_contrato', 'evidencia', 'iniciativa'];
const TERMS_HEADER = ['numero_obligacion', 'entidad', 'fecha_aviso_1', 'fecha_aviso_2', 'porcentaje_gastos_cobranza', 'tabla_gastos_informada', 'cobro_judicial'];
const PAYMENTS_HEADER = ['tipo_documento', 'numero_documento', 'numero_obligacion', 'entidad', 'fecha_pago', 'valor_pagado', 'referencia_pago'];

const IMPORTERS: Importer[] = [
  {
    name: 'portfolio',
    header: Object.keys(portfolioRow()),
    validRow: () => portfolioRow(),
    run: (store, bytes) => store.importPortfolio({ fileName: 'cartera.csv', bytes, now: NOW }),
  },
  {
    name: 'schedule requests',
    header: SCHEDULE_HEADER,
    validRow: () => ({
      tipo_documento: 'CC',
      numero_documento: '1020304050',
      dias: 'L-V',
      desde: '19:00',
      hasta: '21:00',
      fecha_solicitud: '03/02/2026',
      fecha_contrato: '10/06/2025',
      evidencia: 'SOL-2026-0042',
      iniciativa: 'consumidor',
    }),
    run: (store, bytes) => store.importScheduleRequests({ fileName: 'horarios.csv', bytes, now: NOW }),
  },
  {
    name: 'obligation terms',
    header: TERMS_HEADER,
    validRow: () => ({
      numero_obligacion: 'TC-0001',
      entidad: 'Banco Cafetero del Sur',
      fecha_aviso_1: '02/11/2026',
      fecha_aviso_2: '09/11/2026',
      porcentaje_gastos_cobranza: '12,5',
      tabla_gastos_informada: 'sí',
      cobro_judicial: 'no',
    }),
    run: (store, bytes) => store.importObligationTerms({ fileName: 'avisos.csv', bytes, now: NOW }),
  },
  {
    name: 'payments',
    header: PAYMENTS_HEADER,
    validRow: () => ({
      tipo_documento: 'CC',
      numero_documento: '1020304050',
      numero_obligacion: 'TC-0001',
      entidad: 'Banco Cafetero del Sur',
      fecha_pago: '03/12/2026',
      valor_pagado: '150.000,50',
      referencia_pago: 'PAGO-0001',
    }),
    run: (store, bytes) => store.importPayments({ fileName: 'pagos.csv', bytes, now: NOW }),
  },
];

/** Cell text rich in what breaks parsers: separators, quotes, line breaks, formula starts, odd digits. */
const cellText = fc.oneof(
  fc.string({ unit: fc.constantFrom(';', '"', '\r', '\n', ',', '.', '-', '/', ':', '=', ' ', '0', '1', '9', 'a', 'ñ', 'í', '\u0000', '\uFEFF'), maxLength: 12 }),
  fc.constantFrom('', 'sí', 'no', 'CC', 'L-V', '19:00', '31/02/2026', '1.234,56', '-5', '1e309', 'NaN', '99999999999999999999', '<img src=x onerror=alert(1)>', 'x'.repeat(5_000)),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Writes rows under a header as Excel would, without quoting: hostile quotes stay hostile. */
function rawCsv(header: readonly string[], rows: readonly (readonly string[])[]): Uint8Array {
  return utf8(`\uFEFF${[header.join(';'), ...rows.map((row) => row.join(';'))].join('\r\n')}\r\n`);
}

/** Random bytes alone, after a valid header line, or after the ZIP signature that sends them to the XLSX reader. */
function byteSoup(importer: Importer): fc.Arbitrary<Uint8Array> {
  const tail = fc.uint8Array({ maxLength: 400 });
  return fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    tail.map((bytes) => new Uint8Array([...utf8(`${importer.header.join(';')}\r\n`), ...bytes])),
    tail.map((bytes) => new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...bytes])),
  );
}

function rowCells(importer: Importer): string[] {
  const row = importer.validRow();
  return importer.header.map((column) => row[column] ?? '');
}

describe.each(BACKEND_NAMES)('importers with hostile files on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;

  /** What a rejected file must leave as it was: counts, the feed and the seeded debtor. */
  async function fingerprint(): Promise<string> {
    return JSON.stringify({
      debtors: await store.countDebtors(),
      obligations: await store.countObligations(),
      changes: await store.countChanges(),
      debtor: await store.getDebtorSnapshot(DEBTOR, NOW),
    });
  }

  /** Runs one import and checks that it was whole or rejected with located problems and nothing stored. */
  async function expectWholeOrNothing(importer: Importer, bytes: Uint8Array): Promise<'imported' | 'rejected'> {
    const before = await fingerprint();
    const outcome = await importer.run(store, bytes).then(
      () => null,
      (error: unknown) => error,
    );
    if (outcome === null) return 'imported';

    expect(outcome).toBeInstanceOf(PortfolioImportError);
    const error = outcome as PortfolioImportError;
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/^No se importó "[^"]+": tiene \d+ (error|errores)\. No se guardó nada/);
    expect(error.problems.length).toBeGreaterThan(0);
    for (const problem of error.problems) {
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.message.trim()).not.toBe('');
    }
    expect(await fingerprint()).toBe(before);
    return 'rejected';
  }

  beforeAll(async () => {
    store = await backend.openStore(await backend.createDatabase());
    const rows = [portfolioRow(), portfolioRow({ numero_obligacion: 'HP-0002', producto: 'Hipotecario' })];
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
  });

  afterAll(async () => {
    await store?.close();
  });

  it.each(IMPORTERS)('$name: rejects byte soup whole', async (importer) => {
    await fc.assert(
      fc.asyncProperty(byteSoup(importer), async (bytes) => {
        await expectWholeOrNothing(importer, bytes);
      }),
      { numRuns: RUNS[backendName] },
    );
  });

  it.each(IMPORTERS)('$name: handles random grids under a valid header', async (importer) => {
    const grid = fc.array(fc.array(cellText, { minLength: importer.header.length - 2, maxLength: importer.header.length + 1 }), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(grid, async (rows) => {
        await expectWholeOrNothing(importer, rawCsv(importer.header, rows));
      }),
      { numRuns: RUNS[backendName] },
    );
  });

  it.each(IMPORTERS)('$name: handles a valid file with changed cells', async (importer) => {
    const change = fc.record({ column: fc.nat({ max: importer.header.length - 1 }), value: cellText });
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 3 }), async (changes) => {
        const cells = rowCells(importer);
        for (const { column, value } of changes) cells[column] = value;
        await expectWholeOrNothing(importer, rawCsv(importer.header, [cells]));
      }),
      { numRuns: RUNS[backendName] },
    );
  });

  it.each(IMPORTERS)('$name: imports the unchanged valid file', async (importer) => {
    expect(await expectWholeOrNothing(importer, rawCsv(importer.header, [rowCells(importer)]))).toBe('imported');
  });

  it('names the line, column and value of a bad portfolio cell', async () => {
    const header = [...COLUMN_NAMES.filter((column) => column in portfolioRow())];
    const cells = header.map((column) => (column === 'dias_mora' ? 'treinta' : (portfolioRow()[column] ?? '')));
    const error = await store.importPortfolio({ fileName: 'cartera.csv', bytes: rawCsv(header, [rowCells(IMPORTERS[0]!), cells]), now: NOW }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(PortfolioImportError);
    expect((error as PortfolioImportError).problems[0]).toMatchObject({ line: 3, column: 'dias_mora', value: 'treinta' });
  });
});
