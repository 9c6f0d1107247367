/**
 * Portfolio columns that the strategy's digital and field channels read: the SMS number with its own
 * authorisation, the postal address for letters and visits, and the R13 facts of each obligation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import type { ServerStore } from '../store/types.ts';
import { PortfolioImportError } from './problems.ts';

const FRIDAY = new Date('2026-12-04T09:00:00-05:00');

const SMS = { sms: '+57 311 222 3344', sms_autorizado: 'sí', sms_fuente: 'formulario web', sms_fecha: '01/02/2025', sms_evidencia: 'FW-2025-77' };

describe.each(BACKEND_NAMES)('channel columns on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;

  beforeEach(async () => {
    store = await backend.openStore(await backend.createDatabase());
  });

  afterEach(async () => {
    await store.close();
  });

  function importRows(rows: Record<string, string>[]) {
    return store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: FRIDAY });
  }

  it('stores an authorised SMS number apart from the mobile', async () => {
    await importRows([portfolioRow(SMS)]);
    const snapshot = await store.getDebtorSnapshot('CC-1020304050', FRIDAY);
    const points = snapshot?.contactPoints.map((point) => [point.channel, point.address, point.authorization?.evidence ?? null]);
    expect(points).toContainEqual(['sms', '+573112223344', 'FW-2025-77']);
    expect(points).toContainEqual(['voice', '+573001234567', 'CT-2024-000123']);
  });

  it('stores the postal address and the visit facts', async () => {
    await importRows([
      portfolioRow({ direccion: 'Calle 45 # 12-30, Bogotá', visita_tipo_credito: 'Microcrédito', visita_autorizada: 'sí' }),
      portfolioRow({ numero_obligacion: 'TC-0002', direccion: 'Calle 45 # 12-30, Bogotá' }),
    ]);
    const stored = await store.writeChannels(async (tables) => ({
      person: await tables.events.sql.get<{ postal_address: string | null }>('SELECT postal_address FROM persons WHERE id = ?', ['CC-1020304050']),
      obligations: await tables.events.sql.all<{ number: string; visit_credit_type: string | null; visit_allowed: number }>(
        'SELECT number, visit_credit_type, visit_allowed FROM obligations WHERE debtor_id = ? ORDER BY number',
        ['CC-1020304050'],
      ),
    }));
    expect(stored.person?.postal_address).toBe('Calle 45 # 12-30, Bogotá');
    expect(stored.obligations.map((row) => [row.number, row.visit_credit_type, Number(row.visit_allowed)])).toEqual([
      ['TC-0001', 'microcredit', 1],
      ['TC-0002', null, 0],
    ]);
  });

  it.each<{ case: string; row: Record<string, string>; expected: string }>([
    { case: 'a credit type that admits no visit', row: { visita_tipo_credito: 'consumo' }, expected: 'columna "visita_tipo_credito": "consumo" no es un tipo de crédito que admita visitas' },
    { case: 'a product named after an inherited key', row: { producto: 'constructor' }, expected: 'columna "producto": "constructor" no es un producto conocido' },
    { case: 'two addresses for one debtor', row: { numero_obligacion: 'TC-0002', direccion: 'Carrera 7 # 1-1' }, expected: 'columna "direccion"' },
  ])('rejects $case', async ({ row, expected }) => {
    const rows = [portfolioRow({ direccion: 'Calle 45 # 12-30, Bogotá' }), portfolioRow(row)];
    const error = await importRows(rows).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PortfolioImportError);
    expect((error as PortfolioImportError).lines().join('\n')).toContain(expected);
  });
});
