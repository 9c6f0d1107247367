import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { loadResources } from '../content/load-resources.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { PortfolioImportError } from '../import/problems.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import type { ServerStore } from '../store/types.ts';

/** Friday 4 December 2026: the portfolio and the requests arrive; the contacts happen the next week. */
const FRIDAY = new Date('2026-12-04T09:00:00-05:00');

const HEADER = 'tipo_documento;numero_documento;dias;desde;hasta;fecha_solicitud;fecha_contrato;evidencia;iniciativa';

type RequestRow = Partial<Record<'tipo_documento' | 'numero_documento' | 'dias' | 'desde' | 'hasta' | 'fecha_solicitud' | 'fecha_contrato' | 'evidencia' | 'iniciativa', string>>;

function requestRow(overrides: RequestRow = {}): string {
  const row = {
    tipo_documento: 'CC',
    numero_documento: '1020304050',
    dias: 'L-V',
    desde: '19:00',
    hasta: '21:00',
    fecha_solicitud: '03/02/2026',
    fecha_contrato: '10/06/2025',
    evidencia: 'SOL-2026-0042',
    iniciativa: 'consumidor',
    ...overrides,
  };
  return HEADER.split(';')
    .map((column) => row[column as keyof typeof row])
    .join(';');
}

function requestsCsv(rows: readonly string[]): string {
  return `${[HEADER, ...rows].join('\r\n')}\r\n`;
}

describe.each(BACKEND_NAMES)('schedule requests on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let agent: User;

  beforeEach(async () => {
    store = await backend.openStore(await backend.createDatabase());
    await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), FRIDAY);
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, FRIDAY);
    const rows = [
      portfolioRow({ codeudor_tipo_documento: 'CC', codeudor_numero_documento: '79111222', codeudor_nombre: 'Héctor Ibáñez', codeudor_relacion: 'codeudor' }),
      portfolioRow({
        numero_documento: '52000111',
        nombre: 'Lucía Fernández',
        ciudad: 'Madrid',
        pais_residencia: 'España',
        numero_obligacion: 'TC-0002',
        celular: '+34 612 345 678',
      }),
      portfolioRow({ numero_documento: '52000222', nombre: 'Tomás Herrera', numero_obligacion: 'TC-0003', celular: '+1 305 555 0134' }),
    ];
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: FRIDAY });
    for (const debtorId of ['CC-1020304050', 'CC-52000111', 'CC-52000222']) await store.grantLease(debtorId, agent.id, FRIDAY);
  });

  afterEach(async () => {
    await store.close();
  });

  function importRequests(rows: readonly string[], now = FRIDAY) {
    return store.importScheduleRequests({ fileName: 'horarios.csv', bytes: utf8(requestsCsv(rows)), importedBy: 'prueba', now });
  }

  async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PortfolioImportError);
    return (error as PortfolioImportError).lines();
  }

  describe('import', () => {
    it('stores windows and updates the holder', async () => {
      const before = await store.pullFeed(agent.id, 0, 500);
      const summary = await importRequests([requestRow(), requestRow({ dias: 'sábado', desde: '9:00', hasta: '12:00' })]);
      expect(summary).toMatchObject({ requests: 1, replaced: 0, debtorsUpdated: 1, rows: 2, encoding: 'utf-8' });

      const snapshot = await store.getDebtorSnapshot('CC-1020304050', FRIDAY);
      expect(snapshot?.persons[0]?.scheduleRequest).toEqual({
        window: [
          { days: [1, 2, 3, 4, 5], from: '19:00', to: '21:00' },
          { days: [6], from: '09:00', to: '12:00' },
        ],
        requestedOn: '2026-02-03',
        contractSignedOn: '2025-06-10',
        evidence: 'SOL-2026-0042',
        consumerInitiated: true,
        receivedAt: '2026-12-04T09:00:00-05:00',
      });

      const after = await store.pullFeed(agent.id, before.cursor, 500);
      const upserts = after.entries.filter((entry) => entry.type === 'debtor.upsert');
      expect(upserts).toHaveLength(1);
      expect(upserts[0]!.payload).toMatchObject({ id: 'CC-1020304050', persons: [{ scheduleRequest: { evidence: 'SOL-2026-0042' } }, {}, {}] });
    });

    it('finds a co-obligor by document', async () => {
      await importRequests([requestRow({ numero_documento: '79.111.222', dias: 'L,M,X' })]);
      const snapshot = await store.getDebtorSnapshot('CC-1020304050', FRIDAY);
      const coObligor = snapshot?.persons.find((person) => person.role === 'co-obligor');
      expect(coObligor?.scheduleRequest?.window).toEqual([{ days: [1, 2, 3], from: '19:00', to: '21:00' }]);
      expect(snapshot?.persons.find((person) => person.role === 'debtor')).not.toHaveProperty('scheduleRequest');
    });

    it('replaces the previous request and keeps it in the history', async () => {
      await importRequests([requestRow()]);
      const later = new Date('2026-12-05T10:00:00-05:00');
      const summary = await importRequests([requestRow({ dias: 'L-S', desde: '18:00', hasta: '20:30', fecha_solicitud: '01/12/2026' })], later);
      expect(summary).toMatchObject({ requests: 1, replaced: 1 });

      const history = await store.listScheduleRequests('CC', '1020304050');
      expect(history.map((request) => ({ from: request.window[0]!.from, replacedAt: request.replacedAt }))).toEqual([
        { from: '19:00', replacedAt: '2026-12-05T10:00:00-05:00' },
        { from: '18:00', replacedAt: null },
      ]);
      expect((await store.getDebtorSnapshot('CC-1020304050', FRIDAY))?.persons[0]?.scheduleRequest?.requestedOn).toBe('2026-12-01');
    });

    it('stores requests the gate will ignore, so that they can be shown', async () => {
      await importRequests([requestRow({ iniciativa: 'acreedor', evidencia: '', fecha_solicitud: '01/03/2025' })]);
      expect((await store.getDebtorSnapshot('CC-1020304050', FRIDAY))?.persons[0]?.scheduleRequest).toMatchObject({
        consumerInitiated: false,
        evidence: '',
        requestedOn: '2025-03-01',
      });
    });

    it('reads a Windows-1252 file', async () => {
      const bytes = iconv.encode(requestsCsv([requestRow({ dias: 'lunes a miércoles' })]), 'windows-1252');
      const summary = await store.importScheduleRequests({ fileName: 'horarios.csv', bytes, now: FRIDAY });
      expect(summary.encoding).toBe('windows-1252');
      expect((await store.getDebtorSnapshot('CC-1020304050', FRIDAY))?.persons[0]?.scheduleRequest?.window[0]?.days).toEqual([1, 2, 3]);
    });

    it.each([
      [{ dias: 'L-Q' }, 'Línea 2, columna "dias": "L-Q" no son días válidos'],
      [{ dias: 'V-L' }, 'Línea 2, columna "dias": "V-L" no son días válidos: un rango va del primer día al último'],
      [{ desde: '7pm' }, 'Línea 2, columna "desde": "7pm" no es una hora válida'],
      [{ hasta: '24:30' }, 'Línea 2, columna "hasta": "24:30" no es una hora válida'],
      [{ desde: '21:00', hasta: '19:00' }, 'Línea 2, columna "hasta": "19:00" no es posterior a "desde" (21:00)'],
      [{ fecha_solicitud: '31/02/2026' }, 'Línea 2, columna "fecha_solicitud": "31/02/2026" no es una fecha que exista'],
      [{ fecha_solicitud: '05/12/2027' }, 'Línea 2, columna "fecha_solicitud": "05/12/2027" es una fecha futura'],
      [{ iniciativa: 'banco' }, 'Línea 2, columna "iniciativa": "banco" no es una iniciativa válida'],
      [{ numero_documento: '' }, 'Línea 2, columna "numero_documento": está vacío y es obligatorio'],
    ])('rejects %o with the line, column and value', async (overrides, expected) => {
      const lines = await problemsOf(importRequests([requestRow(overrides)]));
      expect(lines[0]).toContain(expected);
      expect(await store.listScheduleRequests('CC', '1020304050')).toEqual([]);
    });

    it('rejects the whole file when one person is unknown, naming the document', async () => {
      const lines = await problemsOf(importRequests([requestRow(), requestRow({ numero_documento: '99887766' })]));
      expect(lines).toEqual([expect.stringContaining('Línea 3, columna "numero_documento": "99887766" no es titular ni codeudor en ninguna cartera importada (CC 99887766)')]);
      expect(await store.listScheduleRequests('CC', '1020304050')).toEqual([]);
    });

    it('rejects rows of one person that disagree outside days and hours', async () => {
      const lines = await problemsOf(importRequests([requestRow(), requestRow({ dias: 'S', evidencia: 'OTRA' })]));
      expect(lines).toEqual([expect.stringContaining('Línea 3, columna "evidencia": "OTRA" no coincide con la línea 2')]);
    });

    it('rejects an unknown column', async () => {
      const bytes = utf8(`${HEADER};observaciones\r\n${requestRow()};x\r\n`);
      const lines = await problemsOf(store.importScheduleRequests({ fileName: 'horarios.csv', bytes, now: FRIDAY }));
      expect(lines[0]).toContain('columna "observaciones"');
    });
  });

  describe('portfolio residence columns', () => {
    it('resolves country and phone zones', async () => {
      const snapshot = await store.getDebtorSnapshot('CC-52000111', FRIDAY);
      expect(snapshot?.persons[0]).toMatchObject({ residenceCountry: 'ES', timeZones: ['Europe/Madrid', 'Africa/Ceuta', 'Atlantic/Canary'] });
      expect(snapshot?.contactPoints.find((point) => point.id === 'CC-52000111/celular')).toMatchObject({
        address: '+34612345678',
        country: 'ES',
        timeZones: ['Europe/Madrid', 'Africa/Ceuta', 'Atlantic/Canary'],
      });
      const inColombia = await store.getDebtorSnapshot('CC-52000222', FRIDAY);
      expect(inColombia?.persons[0]).not.toHaveProperty('timeZones');
      expect(inColombia?.contactPoints.find((point) => point.id === 'CC-52000222/celular')?.timeZones).toContain('Pacific/Honolulu');
    });

    it('prefers the explicit zone to the country', async () => {
      const row = portfolioRow({ numero_documento: '52000333', numero_obligacion: 'TC-0004', pais_residencia: 'ES', zona_horaria: 'atlantic/canary' });
      await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([row])), now: FRIDAY });
      expect((await store.getDebtorSnapshot('CC-52000333', FRIDAY))?.persons[0]).toMatchObject({ residenceCountry: 'ES', timeZones: ['Atlantic/Canary'] });
    });

    it('gives a co-obligor abroad the zones of their own country', async () => {
      const coObligor = { codeudor_tipo_documento: 'CE', codeudor_numero_documento: '612345', codeudor_nombre: 'Jordi Puig', codeudor_relacion: 'avalista' };
      const rows = [
        portfolioRow({ numero_documento: '52000777', numero_obligacion: 'TC-0008', ...coObligor, codeudor_pais_residencia: 'España' }),
        portfolioRow({ numero_documento: '52000888', numero_obligacion: 'TC-0009', ...coObligor, codeudor_zona_horaria: 'america/new_york', codeudor_pais_residencia: 'ES' }),
        portfolioRow({ numero_documento: '52000999', numero_obligacion: 'TC-0010', ...coObligor, codeudor_pais_residencia: 'Colombia' }),
      ];
      await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: FRIDAY });
      const coObligorOf = async (debtorId: string) => (await store.getDebtorSnapshot(debtorId, FRIDAY))?.persons.find((person) => person.role === 'co-obligor');

      expect(await coObligorOf('CC-52000777')).toMatchObject({ residenceCountry: 'ES', timeZones: ['Europe/Madrid', 'Africa/Ceuta', 'Atlantic/Canary'] });
      expect(await coObligorOf('CC-52000888')).toMatchObject({ residenceCountry: 'ES', timeZones: ['America/New_York'] });
      expect(await coObligorOf('CC-52000999')).not.toHaveProperty('timeZones');
    });

    it('rejects a co-obligor zone without the co-obligor', async () => {
      const row = portfolioRow({ numero_documento: '52001000', numero_obligacion: 'TC-0011', codeudor_pais_residencia: 'Narnia' });
      const lines = await problemsOf(store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([row])), now: FRIDAY }));
      expect(lines).toEqual([
        expect.stringContaining('columna "codeudor_tipo_documento": está vacío y es obligatorio'),
        expect.stringContaining('columna "codeudor_nombre": está vacío y es obligatorio'),
        expect.stringContaining('columna "codeudor_relacion": está vacío y es obligatorio'),
        expect.stringContaining('columna "codeudor_pais_residencia": "Narnia" no es un país conocido'),
      ]);
    });

    it('rejects an unknown zone or country with the line, column and value', async () => {
      const rows = [
        portfolioRow({ numero_documento: '52000444', numero_obligacion: 'TC-0005', zona_horaria: 'Madrid' }),
        portfolioRow({ numero_documento: '52000555', numero_obligacion: 'TC-0006', pais_residencia: 'Narnia' }),
        portfolioRow({ numero_documento: '52000666', numero_obligacion: 'TC-0007', celular: '+34 12' }),
      ];
      const lines = await problemsOf(store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: FRIDAY }));
      expect(lines).toEqual([
        expect.stringContaining('Línea 2, columna "zona_horaria": "Madrid" no es una zona horaria IANA'),
        expect.stringContaining('Línea 3, columna "pais_residencia": "Narnia" no es un país conocido'),
        expect.stringContaining('Línea 4, columna "celular": "+34 12" no es un número internacional válido'),
      ]);
    });
  });

  describe('the server re-evaluates with the same facts', () => {
    let seq = 0;
    const target = (debtorId: string, at: string): EventTarget => ({
      agentId: agent.id,
      workstationId: 'ws-horarios',
      debtorId,
      personId: debtorId,
      contactPointId: `${debtorId}/celular`,
      seq: (seq += 1),
      at,
    });

    async function violationRules(debtorId: string, at: string): Promise<string[][]> {
      const event: SyncEvent = interactionEvent(target(debtorId, at));
      expect(await store.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-horarios', receivedAt: new Date(at) })).toEqual({ status: 'stored' });
      const alarms = await store.listAlarms({ limit: 1000 });
      return alarms.filter((alarm) => alarm.kind === 'violation' && alarm.debtorId === debtorId).map((alarm) => alarm.detail.rules as string[]);
    }

    it('raises no alarm for a contact at 20:00 inside a valid request', async () => {
      await importRequests([requestRow()]);
      expect(await violationRules('CC-1020304050', '2026-12-09T20:00:00-05:00')).toEqual([]);
    });

    it('raises a violation for the same contact without a request', async () => {
      expect(await violationRules('CC-1020304050', '2026-12-09T20:00:00-05:00')).toEqual([['R1']]);
    });

    it('raises a violation when the request reached the server after the contact', async () => {
      await importRequests([requestRow()], new Date('2026-12-10T08:00:00-05:00'));
      expect(await violationRules('CC-1020304050', '2026-12-09T20:00:00-05:00')).toEqual([['R1']]);
    });

    it('allows 07:30 Bogotá for a debtor in Madrid in winter (13:30 there)', async () => {
      expect(await violationRules('CC-52000111', '2026-12-09T07:30:00-05:00')).toEqual([]);
    });

    it('flags a forged 16:00 Bogotá contact with a debtor in Madrid (22:00 there)', async () => {
      expect(await violationRules('CC-52000111', '2026-12-09T16:00:00-05:00')).toEqual([['R1']]);
      const alarm = (await store.listAlarms({ kind: 'violation', limit: 10 }))[0]!;
      expect(alarm.message).toContain('miércoles 22:00');
    });

    it('holds a United States number to the hours of every US zone', async () => {
      expect(await violationRules('CC-52000222', '2026-12-09T09:00:00-05:00')).toEqual([['R1']]);
      expect(await violationRules('CC-52000222', '2026-12-10T12:00:00-05:00')).toEqual([['R1']]);
    });

    it('keeps decisions of a forged allowed dial to one violation', async () => {
      const decision = decisionEvent(target('CC-52000111', '2026-12-10T16:00:00-05:00'));
      // Received when it was made: a decision received days before its instant raises a clock alarm and is re-evaluated at receipt.
      const receivedAt = new Date('2026-12-10T16:00:00-05:00');
      expect(await store.ingestEvent(decision, { agentId: agent.id, workstationId: 'ws-horarios', receivedAt })).toEqual({ status: 'stored' });
      const alarms = (await store.listAlarms({ kind: 'violation', limit: 10 })).filter((alarm) => alarm.debtorId === 'CC-52000111');
      expect(alarms.map((alarm) => alarm.detail.rules)).toEqual([['R1']]);
    });
  });
});
