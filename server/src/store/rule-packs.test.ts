import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RulePack } from '@gestiona/core/compliance/types';
import { AppError } from '@gestiona/core/result';
import type { User } from '@gestiona/core/sync';
import { loadResources } from '../content/load-resources.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import type { FeedHint, PublishedContent, ServerStore } from './types.ts';

const STARTED = new Date('2026-12-01T13:00:00.000Z');
const LATER = new Date('2026-12-04T14:00:00.000Z');

async function resourcesPack(): Promise<RulePack> {
  const item = (await loadResources(DEFAULT_RESOURCES_DIR)).find((candidate) => candidate.key === 'rulepack')!;
  return item.entry.payload as RulePack;
}

function resourcesItem(pack: RulePack): PublishedContent {
  return { key: 'rulepack', version: pack.version, entry: { type: 'rulepack.set', payload: pack } };
}

/** Returns the AppError a promise rejects with, failing the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe.each(BACKEND_NAMES)('rule pack history on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let admin: User;
  let teamLead: User;
  let factory: RulePack;
  let hints: FeedHint[];

  beforeEach(async () => {
    store = await backend.openStore(await backend.createDatabase());
    factory = await resourcesPack();
    expect(await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), STARTED)).toContain('rulepack');
    admin = await store.createUser({ username: 'admin', fullName: 'Ana Ruiz', role: 'admin', password: 'clave-segura-1' }, STARTED);
    teamLead = await store.createUser({ username: 'supervisor1', fullName: 'Julián Muñoz', role: 'team-lead', password: 'clave-segura-1' }, STARTED);
    hints = [];
    store.onFeedChange((hint) => hints.push(hint));
  });

  afterEach(async () => {
    await store.close();
  });

  const mourning = (): RulePack => ({ ...factory, version: '2026.2', extraBlockedDates: ['2026-12-07'] });

  it('records the resources pack as the first version', async () => {
    const history = await store.listRulePacks();
    expect(history.map((record) => ({ version: record.version, source: record.source, publishedBy: record.publishedBy, publishedAt: record.publishedAt }))).toEqual([
      { version: factory.version, source: 'resources', publishedBy: null, publishedAt: STARTED.toISOString() },
    ]);
    expect(history[0]!.pack).toEqual(factory);
    expect(history[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('publishes an admin pack in one write', async () => {
    const changesBefore = await store.countChanges();
    const publication = await store.publishRulePack({ pack: mourning(), reason: '  Decreto de duelo nacional ', publishedBy: admin.id, now: LATER });

    expect(publication.published).toBe(true);
    expect(publication.previous?.version).toBe(factory.version);
    expect(publication.current).toMatchObject({
      version: '2026.2',
      source: 'admin',
      publishedBy: { id: admin.id, username: 'admin', fullName: 'Ana Ruiz' },
      publishedAt: LATER.toISOString(),
      reason: 'Decreto de duelo nacional',
    });
    expect(await store.countChanges()).toBe(changesBefore + 1);
    expect((await store.currentContent()).rulePack).toEqual(mourning());
    expect(hints).toEqual([{ agentIds: [], global: true }]);

    const feed = await store.pullFeed('any-agent', 0, 500);
    const last = feed.entries.at(-1)!;
    expect(last).toEqual({ seq: publication.current.changeSeq, type: 'rulepack.set', payload: mourning() });
    expect((await store.listRulePacks()).map((record) => record.version)).toEqual(['2026.2', factory.version]);
  });

  it('names every invalid field and writes nothing', async () => {
    const changesBefore = await store.countChanges();
    const { countsAsContact: _dropped, ...withoutCounting } = factory;
    const error = await rejection(
      store.publishRulePack({ pack: { ...withoutCounting, version: '2026.2', lastDialMarginMinutes: 500, extraBlockedDates: ['07/12/2026'] }, publishedBy: admin.id, now: LATER }),
    );

    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('countsAsContact debe ser uno de: "every-attempt", "two-way-only"');
    expect(error.message).toContain('lastDialMarginMinutes debe ser como máximo 120 (valor recibido: 500)');
    expect(error.message).toContain('extraBlockedDates[0] debe ser una fecha existente con formato AAAA-MM-DD');
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(['countsAsContact', 'extraBlockedDates[0]', 'lastDialMarginMinutes']);
    expect(await store.countChanges()).toBe(changesBefore);
    expect(await store.listRulePacks()).toHaveLength(1);
    expect(hints).toEqual([]);
  });

  it('checks the calendar correction dates', async () => {
    const pack = {
      ...factory,
      version: '2026.2',
      calendarCorrections: { add: [{ date: '2026-12-08', name: 'Inmaculada' }], remove: ['2026-12-09'] },
    };
    const error = await rejection(store.publishRulePack({ pack, publishedBy: admin.id, now: LATER }));
    expect(error.code).toBe('invalid-input');
    expect(error.fields).toEqual({
      'calendarCorrections.remove[0]': expect.stringContaining('el 09/12/2026 no es un festivo del calendario calculado') as string,
      'calendarCorrections.add[0].date': expect.stringContaining('el 08/12/2026 ya es festivo (Día de la Inmaculada Concepción)') as string,
    });
  });

  it('rejects a version reused with other content', async () => {
    await store.publishRulePack({ pack: mourning(), publishedBy: admin.id, now: LATER });
    const error = await rejection(store.publishRulePack({ pack: { ...mourning(), extraBlockedDates: ['2026-12-10'] }, publishedBy: admin.id, now: LATER }));
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('La versión "2026.2" del paquete de reglas ya se publicó el 04/12/2026 09:00 con otro contenido');

    const factoryVersion = await rejection(store.publishRulePack({ pack: { ...factory, lastDialMarginMinutes: 5 }, publishedBy: admin.id, now: LATER }));
    expect(factoryVersion.message).toContain(`La versión "${factory.version}"`);
    expect(await store.listRulePacks()).toHaveLength(2);
  });

  it('keeps an identical pack without writing', async () => {
    await store.publishRulePack({ pack: mourning(), publishedBy: admin.id, now: LATER });
    hints.length = 0;
    const again = await store.publishRulePack({ pack: mourning(), publishedBy: admin.id, now: new Date(LATER.getTime() + 60_000) });
    expect(again.published).toBe(false);
    expect(again.current.version).toBe('2026.2');
    expect(await store.listRulePacks()).toHaveLength(2);
    expect(hints).toEqual([]);
  });

  it('republishes an earlier version with its own content', async () => {
    await store.publishRulePack({ pack: mourning(), publishedBy: admin.id, now: LATER });
    const back = await store.publishRulePack({ pack: factory, reason: 'Se levanta el duelo', publishedBy: admin.id, now: new Date(LATER.getTime() + 60_000) });
    expect(back.published).toBe(true);
    expect((await store.listRulePacks()).map((record) => record.version)).toEqual([factory.version, '2026.2', factory.version]);
  });

  it('lets only an active administrator publish', async () => {
    const byTeamLead = await rejection(store.publishRulePack({ pack: mourning(), publishedBy: teamLead.id, now: LATER }));
    expect(byTeamLead.code).toBe('forbidden');
    const byNobody = await rejection(store.publishRulePack({ pack: mourning(), publishedBy: 'no-such-user', now: LATER }));
    expect(byNobody.code).toBe('forbidden');
    expect(await store.listRulePacks()).toHaveLength(1);
  });

  it('rejects a reason that is too long', async () => {
    const error = await rejection(store.publishRulePack({ pack: mourning(), reason: 'x'.repeat(501), publishedBy: admin.id, now: LATER }));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('501 caracteres');
  });

  it('never dates a pack before the one it replaces', async () => {
    await store.publishRulePack({ pack: mourning(), publishedBy: admin.id, now: LATER });
    const behind = await store.publishRulePack({ pack: { ...mourning(), version: '2026.3', extraBlockedDates: [] }, publishedBy: admin.id, now: STARTED });
    expect(behind.current.publishedAt).toBe(LATER.toISOString());
  });

  describe('resources file at start', () => {
    it('publishes a changed file while no admin published', async () => {
      const changed = { ...factory, version: '2026.9', lastDialMarginMinutes: 15 };
      expect(await store.publishContent([resourcesItem(changed)], LATER)).toEqual(['rulepack']);
      const [current] = await store.listRulePacks(1);
      expect(current).toMatchObject({ version: '2026.9', source: 'resources', publishedBy: null });
    });

    it('rejects a changed file that keeps its version', async () => {
      const error = await rejection(store.publishContent([resourcesItem({ ...factory, lastDialMarginMinutes: 15 })], LATER));
      expect(error.code).toBe('conflict');
      expect(error.message).toContain(`La versión "${factory.version}"`);
    });

    it('is skipped once an admin published, changed or not', async () => {
      await store.publishRulePack({ pack: mourning(), publishedBy: admin.id, now: LATER });
      expect(await store.publishContent([resourcesItem(factory)], LATER)).toEqual([]);
      expect(await store.publishContent([resourcesItem({ ...factory, version: '2026.9', lastDialMarginMinutes: 15 })], LATER)).toEqual([]);
      expect((await store.listRulePacks()).map((record) => record.version)).toEqual(['2026.2', factory.version]);
      expect((await store.currentContent()).rulePack?.version).toBe('2026.2');
    });

    it('keeps publishing the catalog and scripts', async () => {
      await store.publishRulePack({ pack: mourning(), publishedBy: admin.id, now: LATER });
      const items = await loadResources(DEFAULT_RESOURCES_DIR);
      const catalog = items.find((item) => item.key === 'catalog')!;
      const changedCatalog: PublishedContent = { ...catalog, version: '2026.9', entry: { ...catalog.entry, payload: { ...(catalog.entry.payload as object), version: '2026.9' } } };
      expect(await store.publishContent([changedCatalog, ...items.filter((item) => item.key !== 'catalog')], LATER)).toEqual(['catalog']);
    });
  });
});
