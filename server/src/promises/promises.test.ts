import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedEntry, SyncEvent } from '@gestiona/core/sync';
import { loadResources } from '../content/load-resources.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { PortfolioImportError } from '../import/problems.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import type { ServerStore } from '../store/types.ts';

const DEBTOR = 'CC-1020304050';
const OTHER_DEBTOR = 'CC-5060708090';
const CREDITOR = 'Banco Cafetero del Sur';
const TYPIFIED = new Date('2026-12-04T10:00:00-05:00');
const HEADER = 'tipo_documento;numero_documento;numero_obligacion;entidad;fecha_pago;valor_pagado;referencia_pago';

function paymentsCsv(...rows: string[]): Uint8Array {
  return utf8(`${[HEADER, ...rows].join('\r\n')}\r\n`);
}

type Interaction = Extract<SyncEvent, { type: 'interaction.recorded' }>;

describe.each(BACKEND_NAMES)('promises on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let agentId: string;
  let catalogVersion: string;
  let seq = 0;

  beforeEach(async () => {
    // Leases long enough that the holder still has the debtor when the grace days end.
    store = await backend.openStore(await backend.createDatabase(), { leaseDays: 30 });
    const rows = [
      portfolioRow(),
      portfolioRow({ numero_obligacion: 'HP-0002', producto: 'Hipotecario' }),
      portfolioRow({ numero_documento: '5060708090', nombre: 'Jorge Iván Ríos', numero_obligacion: 'TC-0009', celular: '+57 301 555 0101' }),
    ];
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: TYPIFIED });
    const content = await loadResources(DEFAULT_RESOURCES_DIR);
    await store.publishContent(content, TYPIFIED);
    catalogVersion = content.find((item) => item.key === 'catalog')!.version;
    const agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, TYPIFIED);
    agentId = agent.id;
    await store.grantLease(DEBTOR, agentId, new Date('2026-12-04T08:00:00-05:00'));
  });
  afterEach(async () => {
    await store.close();
  });

  function typified(code: 'PP' | 'AP' | 'NC', fields: Interaction['payload']['fields'], at = TYPIFIED): Interaction {
    seq += 1;
    const base = interactionEvent(
      { agentId, workstationId: 'ws-1', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq, at: at.toISOString() },
      { code, kind: code === 'NC' ? 'attempt' : 'two-way' },
    ) as Interaction;
    return { ...base, payload: { ...base.payload, fields, catalogVersion } };
  }

  const ingest = (event: SyncEvent, receivedAt = TYPIFIED) => store.ingestEvent(event, { agentId, workstationId: 'ws-1', receivedAt });
  const importPayments = (bytes: Uint8Array, now: Date) => store.importPayments({ fileName: 'pagos.csv', bytes, now });

  async function promisesOf(debtorId = DEBTOR) {
    return store.debtorPromises(debtorId);
  }

  async function feedOfType<T extends FeedEntry['type']>(type: T): Promise<Array<Extract<FeedEntry, { type: T }>>> {
    const page = await store.pullFeed(agentId, 0, 500);
    return (page.entries as FeedEntry[]).filter((entry): entry is Extract<FeedEntry, { type: T }> => entry.type === type);
  }

  async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PortfolioImportError);
    return (error as PortfolioImportError).lines();
  }

  it('creates a pending promise once', async () => {
    const event = typified('PP', { amount: 50_000_000, date: '2026-12-10' });
    expect(await ingest(event)).toEqual({ status: 'stored' });
    expect(await ingest(event)).toEqual({ status: 'duplicate' });

    const promises = await promisesOf();
    expect(promises).toHaveLength(1);
    expect(promises[0]).toMatchObject({
      id: event.payload.interactionId,
      kind: 'promise',
      code: 'PP',
      amountCents: 50_000_000,
      status: 'pending',
      instalments: [{ number: 1, dueOn: '2026-12-10', amountCents: 50_000_000, paidCents: 0, status: 'pending' }],
    });
    expect(promises[0]!.obligationIds).toHaveLength(2);
    const upserts = await feedOfType('promise.upsert');
    expect(upserts.map((entry) => entry.payload.id)).toEqual([event.payload.interactionId]);
  });

  it('creates an agreement with its instalments', async () => {
    const plan = [
      { dueDate: '2026-12-15', amountCents: 30_000_000 },
      { dueDate: '2027-01-15', amountCents: 30_000_000 },
    ];
    await ingest(typified('AP', { instalments: plan }));
    const [agreement] = await promisesOf();
    expect(agreement).toMatchObject({ kind: 'agreement', amountCents: 60_000_000, status: 'pending' });
    expect(agreement!.instalments.map((instalment) => instalment.dueOn)).toEqual(['2026-12-15', '2027-01-15']);
  });

  it('ignores codes without a promise effect', async () => {
    await ingest(typified('NC', {}));
    expect(await promisesOf()).toEqual([]);
  });

  it('keeps a promise paid in full', async () => {
    const event = typified('PP', { amount: 50_000_000, date: '2026-12-10' });
    await ingest(event);
    const summary = await importPayments(paymentsCsv(`CC;1020304050;TC-0001;${CREDITOR};08/12/2026;500.000,00;R-1`), new Date('2026-12-08T12:00:00-05:00'));
    expect(summary).toMatchObject({ rows: 1, stored: 1, duplicates: 0, matched: 1, excessCents: 0 });
    expect(summary.promisesChanged.kept).toBe(1);

    const [promise] = await promisesOf();
    expect(promise).toMatchObject({ status: 'kept', paidCents: 50_000_000 });
    const history = await store.promiseHistory(event.payload.interactionId);
    expect(history.map((change) => [change.from, change.to, change.cause])).toEqual([
      [null, 'pending', 'typified'],
      ['pending', 'kept', 'payments-import'],
    ]);
    expect(history[1]!.reason).toContain('cumplida');

    const payments = await feedOfType('payment.add');
    expect(payments.map((entry) => entry.payload)).toMatchObject([{ reference: 'R-1', promiseId: event.payload.interactionId, amountCents: 50_000_000 }]);
  });

  it('notes an overpayment as excess', async () => {
    await ingest(typified('PP', { amount: 50_000_000, date: '2026-12-10' }));
    const summary = await importPayments(paymentsCsv(`CC;1020304050;HP-0002;${CREDITOR};09/12/2026;600.000;R-1`), new Date('2026-12-09T12:00:00-05:00'));
    expect(summary.excessCents).toBe(10_000_000);
    const [promise] = await promisesOf();
    expect(promise).toMatchObject({ status: 'kept', excessCents: 10_000_000, paidCents: 60_000_000 });
    const [payment] = await feedOfType('payment.add');
    expect(payment!.payload.note).toContain('Excedente');
  });

  it('skips references already imported', async () => {
    await ingest(typified('PP', { amount: 50_000_000, date: '2026-12-10' }));
    const file = paymentsCsv(`CC;1020304050;TC-0001;${CREDITOR};05/12/2026;200.000;R-1`, `CC;1020304050;TC-0001;${CREDITOR};06/12/2026;100.000;R-2`);
    const first = await importPayments(file, new Date('2026-12-06T12:00:00-05:00'));
    const feedBefore = (await store.pullFeed(agentId, 0, 500)).entries.length;
    const again = await importPayments(file, new Date('2026-12-06T13:00:00-05:00'));
    expect(first).toMatchObject({ stored: 2, duplicates: 0 });
    expect(again).toMatchObject({ stored: 0, duplicates: 2, matched: 0 });
    expect((await store.pullFeed(agentId, 0, 500)).entries.length).toBe(feedBefore);
    expect((await promisesOf())[0]).toMatchObject({ paidCents: 30_000_000, status: 'pending' });
  });

  it('rejects an unknown obligation and stores nothing', async () => {
    await ingest(typified('PP', { amount: 50_000_000, date: '2026-12-10' }));
    const lines = await problemsOf(
      importPayments(paymentsCsv(`CC;1020304050;TC-0001;${CREDITOR};05/12/2026;200.000;R-1`, `CC;1020304050;XX-404;${CREDITOR};05/12/2026;1,00;R-2`), new Date('2026-12-06T12:00:00-05:00')),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Línea 3, columna "numero_obligacion": "XX-404"');
    expect(lines[0]).toContain('obligación desconocida');
    expect((await promisesOf())[0]).toMatchObject({ paidCents: 0 });
  });

  it('rejects an obligation of another document', async () => {
    const lines = await problemsOf(importPayments(paymentsCsv(`CC;5060708090;TC-0001;${CREDITOR};05/12/2026;200.000;R-1`), new Date('2026-12-06T12:00:00-05:00')));
    expect(lines[0]).toContain('columna "numero_documento"');
    expect(lines[0]).toContain('no es el titular');
  });

  const invalidCells: Array<{ name: string; row: string; where: string }> = [
    { name: 'bad date', row: `CC;1020304050;TC-0001;${CREDITOR};2026-12-05;200.000;R-1`, where: 'columna "fecha_pago": "2026-12-05"' },
    { name: 'future date', row: `CC;1020304050;TC-0001;${CREDITOR};07/12/2026;200.000;R-1`, where: 'fecha futura' },
    { name: 'decimal point amount', row: `CC;1020304050;TC-0001;${CREDITOR};05/12/2026;200.5;R-1`, where: 'columna "valor_pagado": "200.5"' },
    { name: 'zero amount', row: `CC;1020304050;TC-0001;${CREDITOR};05/12/2026;0;R-1`, where: 'es cero' },
    { name: 'missing reference', row: `CC;1020304050;TC-0001;${CREDITOR};05/12/2026;200.000;`, where: 'columna "referencia_pago"' },
    { name: 'bad document type', row: `XX;1020304050;TC-0001;${CREDITOR};05/12/2026;200.000;R-1`, where: 'columna "tipo_documento": "XX"' },
  ];

  it.each(invalidCells)('rejects a file with $name', async ({ row, where }) => {
    const lines = await problemsOf(importPayments(paymentsCsv(row), new Date('2026-12-06T12:00:00-05:00')));
    expect(lines.join('\n')).toContain(where);
    expect(lines[0]).toMatch(/^Línea 2/);
  });

  it('rejects a reference repeated in the file', async () => {
    const lines = await problemsOf(
      importPayments(paymentsCsv(`CC;1020304050;TC-0001;${CREDITOR};05/12/2026;1,00;R-1`, `CC;1020304050;TC-0001;${CREDITOR};05/12/2026;2,00;R-1`), new Date('2026-12-06T12:00:00-05:00')),
    );
    expect(lines).toEqual([expect.stringContaining('ya aparece en la línea 2')]);
  });

  it('reads a Windows-1252 file with decimal comma', async () => {
    await ingest(typified('PP', { amount: 123_456_789, date: '2026-12-10' }));
    const text = `${HEADER}\r\nCC;1020304050;TC-0001;Banco Cafetero del Sur;10/12/2026;1.234.567,89;Pago-Ñ1\r\n`;
    const summary = await importPayments(new Uint8Array(iconv.encode(text, 'win1252')), new Date('2026-12-10T12:00:00-05:00'));
    expect(summary).toMatchObject({ encoding: 'windows-1252', stored: 1, matched: 1 });
    expect((await promisesOf())[0]).toMatchObject({ status: 'kept' });
  });

  it('records payments without a promise', async () => {
    const summary = await importPayments(paymentsCsv(`CC;5060708090;TC-0009;${CREDITOR};05/12/2026;200.000;R-9`), new Date('2026-12-06T12:00:00-05:00'));
    expect(summary).toMatchObject({ stored: 1, matched: 0, unmatched: { 'no-promise': 1, 'before-promise': 0, 'after-grace': 0 } });
    expect(await promisesOf(OTHER_DEBTOR)).toEqual([]);
  });

  it('breaks an unpaid promise after the grace days', async () => {
    const event = typified('PP', { amount: 50_000_000, date: '2026-12-10' });
    await ingest(event);
    await importPayments(paymentsCsv(`CC;1020304050;TC-0001;${CREDITOR};09/12/2026;100.000;R-1`), new Date('2026-12-09T12:00:00-05:00'));

    const lastGraceDay = await store.sweepPromises(new Date('2026-12-13T23:00:00-05:00'));
    expect(lastGraceDay.debtorsChanged).toEqual([]);
    const dayAfter = await store.sweepPromises(new Date('2026-12-14T00:30:00-05:00'));
    expect(dayAfter.debtorsChanged).toEqual([DEBTOR]);
    expect(dayAfter.changed.broken).toBe(1);

    const [promise] = await promisesOf();
    expect(promise).toMatchObject({ status: 'broken', paidCents: 10_000_000 });
    expect(promise!.statusReason).toContain('incumplida');
    const upserts = await feedOfType('promise.upsert');
    expect(upserts.at(-1)!.payload.status).toBe('broken');
    expect((await store.sweepPromises(new Date('2026-12-15T09:00:00-05:00'))).debtorsChanged).toEqual([]);
  });

  it('keeps a broken promise when a late file brings an on-time payment', async () => {
    await ingest(typified('PP', { amount: 50_000_000, date: '2026-12-10' }));
    await store.sweepPromises(new Date('2026-12-14T08:00:00-05:00'));
    expect((await promisesOf())[0]!.status).toBe('broken');
    await importPayments(paymentsCsv(`CC;1020304050;TC-0001;${CREDITOR};12/12/2026;500.000;R-1`), new Date('2026-12-15T08:00:00-05:00'));
    expect((await promisesOf())[0]!.status).toBe('kept');
  });

  it('does not count a payment after the grace days', async () => {
    await ingest(typified('PP', { amount: 50_000_000, date: '2026-12-10' }));
    const summary = await importPayments(paymentsCsv(`CC;1020304050;TC-0001;${CREDITOR};14/12/2026;500.000;R-1`), new Date('2026-12-14T12:00:00-05:00'));
    expect(summary.unmatched['after-grace']).toBe(1);
    expect((await promisesOf())[0]).toMatchObject({ status: 'broken', paidCents: 0 });
  });

  it('sends promises with a new lease', async () => {
    await ingest(typified('PP', { amount: 50_000_000, date: '2026-12-10' }));
    const other = await store.createUser({ username: 'agente2', fullName: 'Luis Gómez', role: 'agent', password: 'clave-segura-2' }, TYPIFIED);
    await importPayments(paymentsCsv(`CC;5060708090;TC-0009;${CREDITOR};05/12/2026;200.000;R-9`), new Date('2026-12-06T12:00:00-05:00'));
    await store.grantLease(OTHER_DEBTOR, other.id, new Date('2026-12-06T13:00:00-05:00'));
    const page = await store.pullFeed(other.id, 0, 500);
    const types = (page.entries as FeedEntry[]).filter((entry) => entry.type !== 'catalog.set' && entry.type !== 'script.set' && entry.type !== 'rulepack.set').map((entry) => entry.type);
    expect(types).toContain('payment.add');
  });

  it('board figures of a day', async () => {
    const minute = 60_000;
    await ingest(typified('PP', { amount: 50_000_000, date: '2026-12-10' }));
    await ingest(typified('PP', { amount: 20_000_000, date: '2026-12-10' }, new Date(TYPIFIED.getTime() + minute)));
    const plan = [
      { dueDate: '2026-12-10', amountCents: 5_000_000 },
      { dueDate: '2027-01-10', amountCents: 5_000_000 },
    ];
    await ingest(typified('AP', { instalments: plan }, new Date(TYPIFIED.getTime() + 2 * minute)));
    // $100.000 goes to the oldest promise due that day, which stays below the partly-kept share.
    await importPayments(paymentsCsv(`CC;1020304050;TC-0001;${CREDITOR};09/12/2026;100.000;R-1`), new Date('2026-12-09T12:00:00-05:00'));

    expect(await store.promiseBoardFigures('2026-12-10')).toEqual([
      { agentId, dueToday: { count: 3, amountCents: 75_000_000 }, brokenToday: { count: 0, amountCents: 0 } },
    ]);
    await store.sweepPromises(new Date('2026-12-14T06:00:00-05:00'));
    expect(await store.promiseBoardFigures('2026-12-14')).toEqual([
      { agentId, dueToday: { count: 0, amountCents: 0 }, brokenToday: { count: 3, amountCents: 70_000_000 } },
    ]);
    expect(await store.promiseBoardFigures('2026-12-15')).toEqual([]);
  });
});
