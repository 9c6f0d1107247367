import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { portfolioCsv, portfolioRow, utf8, type PortfolioRow } from '../fixtures/portfolio.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import type { StoreLocation } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';
import { PortfolioImportError, SHOWN_PROBLEMS } from './problems.ts';

const NOW = new Date('2026-12-04T15:00:00-05:00');

/** A trigger that makes the insert of obligation BOOM fail, in each backend's dialect. */
const FAIL_ON_BOOM_TRIGGER = {
  sqlite: "CREATE TRIGGER fail_on_boom BEFORE INSERT ON obligations WHEN NEW.number = 'BOOM' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
  postgres: `
    CREATE FUNCTION fail_on_boom() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.number = 'BOOM' THEN RAISE EXCEPTION 'boom'; END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER fail_on_boom BEFORE INSERT ON obligations FOR EACH ROW EXECUTE FUNCTION fail_on_boom();`,
} as const;

describe.each(BACKEND_NAMES)('portfolio import on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let location: StoreLocation;
  let store: ServerStore;

  beforeEach(async () => {
    location = await backend.createDatabase();
    store = await backend.openStore(location);
  });
  afterEach(async () => {
    await store.close();
  });

  function importCsv(rows: readonly PortfolioRow[], options: { creditor?: string; headers?: readonly string[] } = {}) {
    return store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows, options)), creditor: options.creditor, now: NOW });
  }

  /** Returns the problems of a rejected import, formatted as the command line prints them. */
  async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PortfolioImportError);
    return (error as PortfolioImportError).lines();
  }

  async function counts() {
    return { debtors: await store.countDebtors(), obligations: await store.countObligations(), imports: (await store.listImports()).length };
  }

  describe('importPortfolio: good files', () => {
    it('groups obligations by debtor and segments the debtor by its worst obligation', async () => {
      const summary = await importCsv([
        portfolioRow({ numero_obligacion: 'TC-1', dias_mora: '10' }),
        portfolioRow({ numero_obligacion: 'LB-2', producto: 'Libranza', dias_mora: '95', saldo: '10.000.000,00' }),
        portfolioRow({ numero_documento: '79111222', nombre: 'Héctor Ibáñez', numero_obligacion: 'TC-3', dias_mora: '-3', celular: '3159876543' }),
      ]);

      expect(summary).toMatchObject({ debtors: 2, debtorsCreated: 2, obligations: 3, obligationsCreated: 3, rows: 3, encoding: 'utf-8' });
      expect(summary.bySegment).toEqual({ preventiva: 1, temprana: 0, media: 0, tardia: 1, castigada: 0 });

      const snapshot = await store.getDebtorSnapshot('CC-1020304050', NOW);
      expect(snapshot?.segment).toBe('tardia');
      expect(snapshot?.scriptId).toBe('guion-tardia');
      expect(snapshot?.obligations.map((obligation) => obligation.number).sort()).toEqual(['LB-2', 'TC-1']);
      expect(snapshot?.obligations.find((obligation) => obligation.number === 'TC-1')).toMatchObject({
        creditor: 'Banco Cafetero del Sur',
        product: 'credit-card',
        balanceCents: 123_456_789,
        overdueCents: 23_456_700,
        daysPastDue: 10,
        dueDate: '2026-10-20',
        writtenOff: false,
      });
    });

    it('keeps accents and ñ in every name through import and snapshot', async () => {
      await importCsv([
        portfolioRow({
          nombre: 'Begoña Ñáñez Muñoz',
          ciudad: 'Cúcuta',
          referencia1_nombre: 'Íñigo Báez Peña',
          codeudor_tipo_documento: 'CC',
          codeudor_numero_documento: '52333444',
          codeudor_nombre: 'Sofía Ordóñez Zúñiga',
          codeudor_relacion: 'Deudor solidario',
          codeudor_celular: '3125556677',
        }),
      ]);
      const snapshot = await store.getDebtorSnapshot('CC-1020304050', NOW);
      expect(snapshot?.fullName).toBe('Begoña Ñáñez Muñoz');
      expect(snapshot?.city).toBe('Cúcuta');
      expect(snapshot?.persons.map((person) => [person.role, person.fullName, person.relation])).toEqual([
        ['debtor', 'Begoña Ñáñez Muñoz', null],
        ['co-obligor', 'Sofía Ordóñez Zúñiga', 'deudor solidario'],
        ['reference', 'Íñigo Báez Peña', 'Hermana'],
      ]);
    });

    it('composes decomposed accents so both spellings are one name', async () => {
      const decomposed = 'Pen\u0303a'.normalize('NFD');
      await importCsv([portfolioRow({ nombre: `Ana ${decomposed}`, numero_obligacion: 'A' }), portfolioRow({ nombre: 'Ana Peña', numero_obligacion: 'B' })]);
      expect((await store.getDebtorSnapshot('CC-1020304050', NOW))?.fullName).toBe('Ana Peña');
    });

    it('stores contact points in E.164 with their authorisations, references never authorised', async () => {
      await importCsv([
        portfolioRow({
          fijo: '(601) 234 5678',
          correo: 'Ana.Pena@Ejemplo.com.co',
          correo_autorizado: 'sí',
          correo_fuente: 'formulario web',
          correo_fecha: '01/02/2025',
          correo_evidencia: 'FW-77',
          whatsapp: '+57 311 222 3344',
        }),
      ]);
      const snapshot = await store.getDebtorSnapshot('CC-1020304050', NOW);
      const points = snapshot!.contactPoints.map((point) => [point.personId, point.channel, point.address, point.authorization?.source ?? null]);
      expect(points).toEqual([
        ['CC-1020304050', 'voice', '+573001234567', 'contrato'],
        ['CC-1020304050', 'voice', '+576012345678', null],
        ['CC-1020304050', 'email', 'ana.pena@ejemplo.com.co', 'formulario web'],
        ['CC-1020304050', 'whatsapp', '+573112223344', null],
        ['CC-1020304050/referencia1', 'voice', '+573109876543', null],
      ]);
      expect(snapshot!.contactPoints[0]!.authorization).toEqual({ source: 'contrato', grantedOn: '2024-03-15', evidence: 'CT-2024-000123', revokedAt: null });
    });

    it('marks a debtor castigada when an obligation is written off', async () => {
      const summary = await importCsv([portfolioRow({ dias_mora: '20', castigada: 'Sí' })]);
      expect(summary.bySegment.castigada).toBe(1);
    });

    it('takes the creditor from the option when the column is absent', async () => {
      const row = portfolioRow();
      delete row.entidad;
      await importCsv([row], { creditor: 'Financiera La Sabana' });
      expect((await store.getDebtorSnapshot('CC-1020304050', NOW))?.obligations[0]?.creditor).toBe('Financiera La Sabana');
    });

    it('updates existing debtors and obligations on re-import and records each import', async () => {
      await importCsv([portfolioRow({ dias_mora: '10' })]);
      const summary = await importCsv([portfolioRow({ dias_mora: '100', saldo: '2.000.000,00' }), portfolioRow({ numero_obligacion: 'TC-0002', dias_mora: '5' })]);

      expect(summary).toMatchObject({ debtors: 1, debtorsCreated: 0, obligations: 2, obligationsCreated: 1 });
      expect(await counts()).toEqual({ debtors: 1, obligations: 2, imports: 2 });
      const snapshot = await store.getDebtorSnapshot('CC-1020304050', NOW);
      expect(snapshot?.segment).toBe('tardia');
      expect(snapshot?.obligations.find((obligation) => obligation.number === 'TC-0001')?.balanceCents).toBe(200_000_000);

      const [first, second] = await store.listImports();
      expect(first).toMatchObject({ fileName: 'cartera.csv', debtors: 1, obligations: 1 });
      expect(second?.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(second?.sha256).not.toBe(first?.sha256);
    });

    it('reads a Windows-1252 file with ñ and accents', async () => {
      const text = portfolioCsv([portfolioRow({ nombre: 'Martín Ñustes Peña', ciudad: 'Ibagué', producto: 'Vehículo' })], { bom: false });
      const bytes = iconv.encode(text, 'windows-1252');
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();

      const summary = await store.importPortfolio({ fileName: 'cartera-ansi.csv', bytes, now: NOW });
      expect(summary.encoding).toBe('windows-1252');
      const snapshot = await store.getDebtorSnapshot('CC-1020304050', NOW);
      expect(snapshot?.fullName).toBe('Martín Ñustes Peña');
      expect(snapshot?.city).toBe('Ibagué');
      expect(snapshot?.obligations[0]?.product).toBe('vehicle');
    });

    it('reads a UTF-8 file without BOM', async () => {
      const summary = await store.importPortfolio({ fileName: 'c.csv', bytes: utf8(portfolioCsv([portfolioRow()], { bom: false })), now: NOW });
      expect(summary.encoding).toBe('utf-8');
      expect((await store.getDebtorSnapshot('CC-1020304050', NOW))?.fullName).toBe('María José Peña Muñoz');
    });

    it('reads an XLSX workbook with numbers, dates and text cells', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Cartera');
      sheet.addRow(['Tipo documento', 'Número documento', 'Nombre', 'Número obligación', 'Entidad', 'Producto', 'Saldo', 'Valor vencido', 'Días mora', 'Fecha vencimiento', 'Celular']);
      sheet.addRow(['CC', 1020304050, 'Ramón Acuña Peña', 'MC-9', 'Crédito Llanero S.A.', 'Microcrédito', 1234567.89, 1000, 200, new Date(Date.UTC(2026, 4, 18)), 3001234567]);
      sheet.addRow(['CE', '654321', 'Begoña Núñez', 'MC-10', 'Crédito Llanero S.A.', 'Microcrédito', 500000, 0, 0, null, '+57 310 000 1111']);
      const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

      const summary = await store.importPortfolio({ fileName: 'cartera.xlsx', bytes, now: NOW });
      expect(summary).toMatchObject({ encoding: 'xlsx', debtors: 2, obligations: 2 });
      expect(summary.bySegment).toMatchObject({ castigada: 1, preventiva: 1 });
      const snapshot = await store.getDebtorSnapshot('CC-1020304050', NOW);
      expect(snapshot?.fullName).toBe('Ramón Acuña Peña');
      expect(snapshot?.obligations[0]).toMatchObject({ balanceCents: 123_456_789, overdueCents: 100_000, daysPastDue: 200, dueDate: '2026-05-18' });
      expect(snapshot?.contactPoints[0]?.address).toBe('+573001234567');
    });
  });

  describe('importPortfolio: bad files store nothing', () => {
    beforeEach(async () => {
      await importCsv([portfolioRow({ numero_documento: '11111111', numero_obligacion: 'BASE-1' })]);
    });

    const cases: { name: string; rows: PortfolioRow[]; expected: string[] }[] = [
      {
        name: 'a word where days past due go',
        rows: [portfolioRow(), portfolioRow({ numero_obligacion: 'TC-2', dias_mora: 'treinta' })],
        expected: ['Línea 3, columna "dias_mora": "treinta" no es un número entero.'],
      },
      {
        name: 'an amount with a decimal point',
        rows: [portfolioRow({ saldo: '1234.56' })],
        expected: ['Línea 2, columna "saldo": "1234.56" no es un valor en pesos válido.'],
      },
      {
        name: 'an impossible date',
        rows: [portfolioRow({ fecha_vencimiento: '31/02/2026' })],
        expected: ['Línea 2, columna "fecha_vencimiento": "31/02/2026" no es una fecha que exista.'],
      },
      {
        name: 'an old seven-digit landline',
        rows: [portfolioRow({ fijo: '2345678' })],
        expected: ['Línea 2, columna "fijo": "2345678" no es un teléfono colombiano válido.'],
      },
      {
        name: 'a landline in the mobile column',
        rows: [portfolioRow({ celular: '6012345678' })],
        expected: ['Línea 2, columna "celular": "6012345678" no es un celular colombiano.'],
      },
      {
        name: 'an unknown document type',
        rows: [portfolioRow({ tipo_documento: 'DNI' })],
        expected: ['Línea 2, columna "tipo_documento": "DNI" no es un tipo de documento válido.'],
      },
      {
        name: 'an empty required cell',
        rows: [portfolioRow({ nombre: '' })],
        expected: ['Línea 2, columna "nombre": está vacío y es obligatorio.'],
      },
      {
        name: 'an authorisation without evidence',
        rows: [portfolioRow({ celular_evidencia: '' })],
        expected: ['Línea 2, columna "celular_evidencia": está vacío y es obligatorio porque "celular_autorizado" dice que hay autorización.'],
      },
      {
        name: 'an authorisation without the address',
        rows: [portfolioRow({ celular: '' })],
        expected: ['Línea 2, columna "celular_autorizado": "sí" dice que hay autorización, pero la columna "celular" está vacía.'],
      },
      {
        name: 'an unknown product',
        rows: [portfolioRow({ producto: 'Leasing' })],
        expected: ['Línea 2, columna "producto": "Leasing" no es un producto conocido.'],
      },
      {
        name: 'a co-obligor with an unknown relation',
        rows: [portfolioRow({ codeudor_tipo_documento: 'CC', codeudor_numero_documento: '52333444', codeudor_nombre: 'Luz Peña', codeudor_relacion: 'primo' })],
        expected: ['Línea 2, columna "codeudor_relacion": "primo" no es una calidad válida.'],
      },
      {
        name: 'the same obligation twice',
        rows: [portfolioRow(), portfolioRow()],
        expected: ['Línea 3, columna "numero_obligacion": "TC-0001" está repetida: la misma obligación de Banco Cafetero del Sur ya aparece en la línea 2.'],
      },
      {
        name: 'debtor data that disagrees between rows',
        rows: [portfolioRow(), portfolioRow({ numero_obligacion: 'TC-2', nombre: 'Maria Jose Pena Munoz' })],
        expected: ['Línea 3, columna "nombre": "Maria Jose Pena Munoz" no coincide con "María José Peña Muñoz" de la línea 2 para el mismo deudor (CC 1020304050).'],
      },
      {
        name: 'a reference present on one row only',
        rows: [portfolioRow(), portfolioRow({ numero_obligacion: 'TC-2', referencia1_nombre: '', referencia1_relacion: '', referencia1_telefono: '' })],
        expected: ['Línea 3, columna "referencia1_nombre": "" no coincide con "Inés Báez Núñez" de la línea 2 para el mismo deudor'],
      },
      {
        name: 'an obligation already loaded for another debtor',
        rows: [portfolioRow({ numero_obligacion: 'BASE-1' })],
        expected: ['Línea 2, columna "numero_obligacion": "BASE-1" ya está cargada para otro deudor (CC-11111111) de Banco Cafetero del Sur.'],
      },
    ];

    it.each(cases)('rejects $name', async ({ rows, expected }) => {
      const before = await counts();
      const problems = await problemsOf(importCsv(rows));
      for (const text of expected) expect(problems.some((line) => line.startsWith(text)), `${text}\nin\n${problems.join('\n')}`).toBe(true);
      expect(await counts()).toEqual(before);
    });

    it('rolls back rows already written when a later write fails', async () => {
      await backend.execute(location, FAIL_ON_BOOM_TRIGGER[backend.name]);

      const before = await counts();
      const rows = [
        portfolioRow({ numero_documento: '22222222', numero_obligacion: 'OK-1' }),
        portfolioRow({ numero_documento: '33333333', numero_obligacion: 'OK-2' }),
        portfolioRow({ numero_documento: '44444444', numero_obligacion: 'BOOM' }),
      ];
      await expect(importCsv(rows)).rejects.toThrow(/boom/);
      expect(await counts()).toEqual(before);
    });

    it('rejects unknown and missing columns by name', async () => {
      const row = portfolioRow({ dias_de_mora: '3' });
      delete row.dias_mora;
      const problems = await problemsOf(importCsv([row]));
      expect(problems).toContain('Línea 1, columna "dias_de_mora": no es una columna conocida. Corrija el encabezado; las columnas válidas están en el formato de cartera.');
      expect(problems).toContain('Línea 1, columna "dias_mora": falta en el encabezado. Agregue la columna: es obligatoria.');
    });

    it('rejects an authorisation column for a reference', async () => {
      const problems = await problemsOf(importCsv([portfolioRow({ referencia1_autorizado: 'sí' })]));
      expect(problems[0]).toMatch(/^Línea 1, columna "referencia1_autorizado": las referencias personales nunca se pueden autorizar/);
    });

    it('rejects a comma-separated file with the fix named', async () => {
      const text = 'tipo_documento,numero_documento,nombre\r\nCC,1,Ana\r\n';
      const problems = await problemsOf(store.importPortfolio({ fileName: 'c.csv', bytes: utf8(text), now: NOW }));
      expect(problems[0]).toMatch(/no usa punto y coma/);
    });

    it('rejects a file with only the header and an empty file', async () => {
      expect((await problemsOf(importCsv([], { headers: ['tipo_documento', 'numero_documento', 'nombre', 'numero_obligacion', 'entidad', 'producto', 'saldo', 'valor_vencido', 'dias_mora'] })))[0]).toMatch(
        /solo tiene el encabezado/,
      );
      expect((await problemsOf(store.importPortfolio({ fileName: 'vacio.csv', bytes: new Uint8Array(), now: NOW })))[0]).toMatch(/está vacío/);
    });

    it('reports every error, listing the first ones and counting the rest', async () => {
      const rows = Array.from({ length: 80 }, (_, index) => portfolioRow({ numero_documento: String(30_000_000 + index), numero_obligacion: `X-${index}`, dias_mora: 'muchos' }));
      const error = await importCsv(rows).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PortfolioImportError);
      const importError = error as PortfolioImportError;
      expect(importError.total).toBe(80);
      expect(importError.problems).toHaveLength(80);
      expect(importError.message.split('\n')).toHaveLength(1 + SHOWN_PROBLEMS + 1);
      expect(importError.message).toMatch(/tiene 80 errores\. No se guardó nada/);
      expect(importError.message).toMatch(/… y 30 errores más\.$/);
      expect(await counts()).toEqual({ debtors: 1, obligations: 1, imports: 1 });
    });
  });
});
