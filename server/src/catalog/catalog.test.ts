import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '@gestiona/core/catalog';
import { AppError } from '@gestiona/core/result';
import type { FeedEntry, User } from '@gestiona/core/sync';
import { loadResources } from '../content/load-resources.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import { SqliteDriver } from '../store/sqlite-driver.ts';
import type { FeedHint, ServerStore } from '../store/types.ts';
import { loadCollectionHolds } from './holds.ts';

const STARTED = new Date('2026-12-01T13:00:00.000Z');
const LATER = new Date('2026-12-04T14:00:00.000Z');
const CALL_AT = '2026-12-04T09:00:00-05:00';
const DEBTOR = 'CC-1020304050';

async function factoryCatalog(): Promise<Catalog> {
  return (await loadResources(DEFAULT_RESOURCES_DIR)).find((item) => item.key === 'catalog')!.entry.payload as Catalog;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(BACKEND_NAMES)('catalog versions on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let admin: User;
  let lead: User;
  let factory: Catalog;
  let hints: FeedHint[];

  beforeEach(async () => {
    store = await backend.openStore(await backend.createDatabase());
    factory = await factoryCatalog();
    expect(await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), STARTED)).toContain('catalog');
    admin = await store.createUser({ username: 'admin', fullName: 'Ana Ruiz', role: 'admin', password: 'clave-segura-1' }, STARTED);
    lead = await store.createUser({ username: 'supervisor1', fullName: 'Julián Muñoz', role: 'team-lead', password: 'clave-segura-1' }, STARTED);
    hints = [];
    store.onFeedChange((hint) => hints.push(hint));
  });

  afterEach(async () => {
    await store.close();
  });

  const withCodes = (version: string, change: (codes: Catalog['codes']) => Catalog['codes']): Catalog => ({ ...factory, version, codes: change(structuredClone(factory.codes)) });

  it('records the resources catalog as the first version, with explicit groups', async () => {
    const history = await store.listCatalogVersions();
    expect(history.map((record) => [record.version, record.source, record.publishedBy])).toEqual([[factory.version, 'resources', null]]);
    expect(history[0]!.catalog.groups?.map((group) => group.name)).toEqual(['Contacto directo', 'Contacto con tercero', 'Sin contacto']);
  });

  it('publishes a new catalog in one step: history, feed entry for everyone, hint', async () => {
    const next = withCodes('2026.4', (codes) => [
      ...codes.map((code) => (code.code === 'BZ' ? { ...code, retired: true, shortcut: null } : code)),
      { code: 'SM', label: 'Solicita información por correo', group: 'contacto-directo', class: 'two-way', fields: [], effects: [], shortcut: 'S', retired: false },
    ]);
    const publication = await store.publishCatalog({ catalog: next, reason: 'Nuevo resultado', publishedBy: admin.id, now: LATER });
    expect(publication).toMatchObject({ published: true, previous: { version: factory.version }, current: { version: '2026.4', source: 'admin', reason: 'Nuevo resultado' } });
    expect(hints).toEqual([{ agentIds: [], global: true }]);
    expect((await store.listCatalogVersions()).map((record) => record.version)).toEqual(['2026.4', factory.version]);
    expect((await store.currentContent()).catalog?.codes.find((code) => code.code === 'BZ')?.retired).toBe(true);

    // The same content again changes nothing.
    expect((await store.publishCatalog({ catalog: next, publishedBy: admin.id, now: LATER })).published).toBe(false);
    // The factory file never replaces an administrator's catalog.
    expect(await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), LATER)).not.toContain('catalog');
  });

  it.each([
    {
      case: 'drops a published code',
      change: (codes: Catalog['codes']) => codes.filter((code) => code.code !== 'OC'),
      field: 'codes',
      message: 'Código OC ("Ocupado"): ya se publicó y no se puede borrar',
    },
    {
      case: "changes a code's compliance class",
      change: (codes: Catalog['codes']) => codes.map((code) => (code.code === 'MT' ? { ...code, class: 'attempt' as const } : code)),
      field: 'codes.7.class',
      message: 'los contactos ya tipificados con él se contaron bajo la clase anterior',
    },
  ])('refuses a catalog that $case, naming the code', async ({ change, field, message }) => {
    const error = await rejection(store.publishCatalog({ catalog: withCodes('2026.4', change), publishedBy: admin.id, now: LATER }));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain(message);
    expect(Object.keys(error.fields ?? {})).toEqual([field]);
    expect(await store.listCatalogVersions()).toHaveLength(1);
    expect(hints).toEqual([]);
  });

  it.each([
    { case: 'a repeated shortcut', change: (codes: Catalog['codes']) => codes.map((code) => (code.code === 'NC' ? { ...code, shortcut: 'p' } : code)), field: 'codes.10.shortcut', text: 'el atajo P ya lo usa el código PP' },
    { case: 'an unknown group', change: (codes: Catalog['codes']) => codes.map((code) => (code.code === 'NC' ? { ...code, group: 'otros' } : code)), field: 'codes.10.group', text: 'el grupo "otros" no existe' },
    { case: 'a promise without a date', change: (codes: Catalog['codes']) => codes.map((code) => (code.code === 'PP' ? { ...code, fields: code.fields.filter((f) => f.type !== 'date') } : code)), field: 'codes.0.fields', text: 'necesita un campo obligatorio de fecha (date)' },
    { case: 'an empty label', change: (codes: Catalog['codes']) => codes.map((code) => (code.code === 'NC' ? { ...code, label: '' } : code)), field: 'codes.10.label', text: 'código NC, nombre: es demasiado corto o pequeño.' },
  ])('refuses $case with a Spanish message naming the field', async ({ change, field, text }) => {
    const error = await rejection(store.publishCatalog({ catalog: withCodes('2026.4', change), publishedBy: admin.id, now: LATER }));
    expect(error.code).toBe('invalid-input');
    expect(error.fields?.[field]).toContain(text);
  });

  it('refuses a reused version with other content (conflict) and a team lead (forbidden)', async () => {
    const reused = withCodes(factory.version, (codes) => codes.map((code) => (code.code === 'NC' ? { ...code, label: 'No contesta nadie' } : code)));
    expect((await rejection(store.publishCatalog({ catalog: reused, publishedBy: admin.id, now: LATER }))).code).toBe('conflict');
    expect((await rejection(store.publishCatalog({ catalog: { ...reused, version: '2026.9' }, publishedBy: lead.id, now: LATER }))).code).toBe('forbidden');
  });
});

describe.each(BACKEND_NAMES)('catalog at ingest on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let agent: User;
  let lead: User;
  let seq: number;

  beforeEach(async () => {
    store = await backend.openStore(await backend.createDatabase());
    await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), STARTED);
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, STARTED);
    lead = await store.createUser({ username: 'supervisor1', fullName: 'Julián Muñoz', role: 'team-lead', password: 'clave-segura-1' }, STARTED);
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([portfolioRow()])), now: STARTED });
    await store.grantLease(DEBTOR, agent.id, STARTED);
    seq = 0;
  });

  afterEach(async () => {
    await store.close();
  });

  const target = (): EventTarget => ({ agentId: agent.id, workstationId: 'ws-1', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq: (seq += 1), at: CALL_AT });
  const ingest = (code: string, complianceClass: 'two-way' | 'third-party' | 'attempt') => {
    const event = interactionEvent(target(), { code, kind: complianceClass === 'two-way' ? 'two-way' : 'attempt' });
    if (event.type !== 'interaction.recorded') throw new Error('expected an interaction');
    event.payload.complianceClass = complianceClass;
    return store.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-1', receivedAt: LATER });
  };
  const holdEntries = async (): Promise<FeedEntry[]> =>
    ((await store.pullFeed(agent.id, 0, 500)).entries as FeedEntry[]).filter((entry) => entry.type === 'hold.set');

  it('rejects an unknown code and a code sent under another class, clearly', async () => {
    expect(await ingest('ZZ', 'attempt')).toEqual({ status: 'rejected', code: 'unknown-code', reason: expect.stringContaining('Código de tipificación desconocido: "ZZ"') });
    expect(await ingest('NC', 'two-way')).toMatchObject({ status: 'rejected', code: 'unknown-code', reason: expect.stringContaining('El código NC es de clase attempt') });
    expect(await ingest('NC', 'attempt')).toEqual({ status: 'stored' });
  });

  // Every effect: what the server records for it. Promises and agreements belong to the promises
  // ledger; the flag and the revocation travel in the interaction and the debtor's next snapshot.
  it.each([
    { code: 'RC', complianceClass: 'two-way' as const, holds: [{ kind: 'dispute', code: 'RC' }] },
    { code: 'FA', complianceClass: 'third-party' as const, holds: [{ kind: 'stopped', code: 'FA' }] },
    { code: 'PP', complianceClass: 'two-way' as const, holds: [] },
    { code: 'VL', complianceClass: 'two-way' as const, holds: [] },
    { code: 'NE', complianceClass: 'third-party' as const, holds: [] },
    { code: 'RA', complianceClass: 'two-way' as const, holds: [] },
    { code: 'AP', complianceClass: 'two-way' as const, holds: [] },
    { code: 'YP', complianceClass: 'two-way' as const, holds: [] },
    { code: 'FS', complianceClass: 'attempt' as const, holds: [] },
  ])('$code records the holds $holds and sends them to the lease holder', async ({ code, complianceClass, holds }) => {
    expect(await ingest(code, complianceClass)).toEqual({ status: 'stored' });
    expect((await store.listCollectionHolds()).map((hold) => ({ kind: hold.kind, code: hold.code }))).toEqual(holds);
    const entries = await holdEntries();
    expect(entries.map((entry) => entry.payload)).toEqual(
      holds.length === 0 ? [] : [{ debtorId: DEBTOR, holds: holds.map((hold) => ({ ...hold, since: new Date(CALL_AT).toISOString() })) }],
    );
  });

  it('holds: one per kind, lifted by a lead', async () => {
    await ingest('RC', 'two-way');
    await ingest('RC', 'two-way');
    await ingest('FA', 'third-party');
    expect((await store.listCollectionHolds()).map((hold) => hold.kind)).toEqual(['dispute', 'stopped']);

    expect((await rejection(store.liftCollectionHolds({ debtorId: DEBTOR, liftedBy: agent.id, reason: 'x', now: LATER }))).code).toBe('forbidden');
    expect((await rejection(store.liftCollectionHolds({ debtorId: DEBTOR, liftedBy: lead.id, reason: ' ', now: LATER }))).code).toBe('invalid-input');
    const lifted = await store.liftCollectionHolds({ debtorId: DEBTOR, liftedBy: lead.id, reason: 'Reclamación resuelta', now: LATER });
    expect(lifted.map((hold) => [hold.kind, hold.liftedBy, hold.liftReason])).toEqual([
      ['dispute', lead.id, 'Reclamación resuelta'],
      ['stopped', lead.id, 'Reclamación resuelta'],
    ]);
    expect(await store.listCollectionHolds()).toEqual([]);
    expect((await holdEntries()).at(-1)?.payload).toEqual({ debtorId: DEBTOR, holds: [] });
    expect((await rejection(store.liftCollectionHolds({ debtorId: DEBTOR, liftedBy: lead.id, reason: 'otra vez', now: LATER }))).code).toBe('not-found');
  });

  it('lifts only the hold of the kind given', async () => {
    await ingest('RC', 'two-way');
    await ingest('FA', 'third-party');

    const lifted = await store.liftCollectionHolds({ debtorId: DEBTOR, liftedBy: lead.id, reason: 'Reclamación resuelta', kind: 'dispute', now: LATER });
    expect(lifted.map((hold) => hold.kind)).toEqual(['dispute']);
    expect((await store.listCollectionHolds()).map((hold) => hold.kind)).toEqual(['stopped']);
    // The lease holder receives the hold that remains, so the desk keeps the debtor out of the queue.
    expect((await holdEntries()).at(-1)?.payload).toMatchObject({ debtorId: DEBTOR, holds: [{ kind: 'stopped', code: 'FA' }] });

    const again = await rejection(store.liftCollectionHolds({ debtorId: DEBTOR, liftedBy: lead.id, reason: 'otra vez', kind: 'dispute', now: LATER }));
    expect(again.code).toBe('not-found');
    expect(again.message).toBe(`El deudor ${DEBTOR} no tiene ninguna pausa vigente de tipo reclamación.`);
  });

  it.runIf(backendName === 'sqlite')('loadCollectionHolds maps each held debtor to its ranking hold', async () => {
    await ingest('RC', 'two-way');
    await ingest('FA', 'third-party');
    const location = store.path;
    await store.close();
    const { driver } = SqliteDriver.open(location);
    try {
      const holds = await driver.connect((sql) => loadCollectionHolds(sql, [DEBTOR, 'CC-999']));
      expect([...holds.entries()]).toEqual([[DEBTOR, { kind: 'stopped', code: 'FA', since: new Date(CALL_AT).toISOString() }]]);
    } finally {
      await driver.close();
    }
    store = await backend.openStore({ dbPath: location });
  });
});
