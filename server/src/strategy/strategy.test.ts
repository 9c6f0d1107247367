import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { login, startTestServer } from '../fixtures/server.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import type { ServerStore } from '../store/types.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const LATER = new Date('2026-12-04T10:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const factory = JSON.parse(readFileSync(`${DEFAULT_RESOURCES_DIR}/strategy.json`, 'utf8')) as StrategySet;

/** Five debtors, one per factory segment, with a score on two of them and origination on one. */
const ROWS = [
  portfolioRow({ numero_documento: '10001', numero_obligacion: 'O-1', dias_mora: '0', puntaje: '700' }),
  portfolioRow({ numero_documento: '10002', numero_obligacion: 'O-2', dias_mora: '15', puntaje: '420' }),
  portfolioRow({ numero_documento: '10003', numero_obligacion: 'O-3', dias_mora: '45', canal_originacion: 'Digital', fecha_originacion: '01/02/2025', monto_originacion: '5.000.000,00' }),
  portfolioRow({ numero_documento: '10004', numero_obligacion: 'O-4', dias_mora: '120' }),
  portfolioRow({ numero_documento: '10005', numero_obligacion: 'O-5', dias_mora: '10', castigada: 'sí' }),
];

/** Builds the factory set with Temprana split by score and a champion/challenger on Media. */
function customSet(version: string): StrategySet {
  const set = structuredClone(factory);
  set.version = version;
  const temprana = set.segments.findIndex((segment) => segment.id === 'temprana');
  set.segments.splice(temprana, 0, {
    id: 'temprana-bajo-puntaje',
    name: 'Temprana, puntaje bajo',
    rule: { all: [{ variable: 'dpdBucket', op: 'eq', value: '1-30' }, { variable: 'writtenOff', op: 'eq', value: false }, { variable: 'score', op: 'lt', value: 500 }] },
    strategy: { priority: '5000 + daysPastDue', scriptId: 'guion-temprana', timeline: [] },
  });
  const media = set.segments.find((segment) => segment.id === 'media')!;
  media.strategy.treatments = [
    { id: 'campeon', name: 'Campeón', role: 'champion', percent: 50 },
    { id: 'retador', name: 'Retador', role: 'challenger', percent: 50, scriptId: 'guion-tardia' },
  ];
  return set;
}

describe.each(BACKEND_NAMES)('strategies on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let store: ServerStore;
  let agentId: string;
  let location: Awaited<ReturnType<typeof backend.createDatabase>>;
  const tokens: Record<string, string> = {};

  const api = (path: string, token: string | undefined, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function feedOf(agent: string, after: number) {
    return (await store.pullFeed(agent, after, 500)).entries;
  }

  beforeAll(async () => {
    location = await backend.createDatabase();
    server = await startTestServer(location, { now: () => NOW });
    store = server.store;
    agentId = (await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD })).id;
    await store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });
    for (const username of ['agente1', 'admin']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(ROWS)), now: NOW });
    for (const id of ['CC-10001', 'CC-10002', 'CC-10003']) await store.grantLease(id, agentId, NOW);
  });

  afterAll(async () => {
    await server.close();
  });

  it('publishes the factory default at start and places the import by it', async () => {
    const [current] = await store.listStrategies();
    expect(current).toMatchObject({ version: factory.version, source: 'resources', publishedBy: null });
    const snapshot = (await store.getDebtorSnapshot('CC-10003', LATER))!;
    expect(snapshot).toMatchObject({ segment: 'media', segmentName: 'Media', strategyVersion: factory.version, treatmentId: null, scriptId: 'guion-media' });
    expect(await store.countDebtorsBySegment()).toEqual({ preventiva: 1, temprana: 1, media: 1, tardia: 1, castigada: 1 });
  });

  it('previews the moves without storing anything', async () => {
    const response = await api('/api/admin/strategy/preview', tokens.admin, { strategy: customSet('2026.2') });
    expect(response.status).toBe(200);
    const preview = (await response.json()) as { debtors: number; moved: number; moves: { from: string; to: string; debtors: number }[] };
    expect(preview.debtors).toBe(5);
    expect(preview.moved).toBe(1);
    expect(preview.moves).toContainEqual({ from: 'temprana', fromName: 'Temprana', to: 'temprana-bajo-puntaje', toName: 'Temprana, puntaje bajo', debtors: 1 });
    expect(preview.moves).toContainEqual({ from: 'preventiva', fromName: 'Preventiva', to: 'preventiva', toName: 'Preventiva', debtors: 1 });
    expect((await store.getDebtorSnapshot('CC-10002', LATER))!.segment).toBe('temprana');
    expect(await store.listStrategies()).toHaveLength(1);
  });

  it('forbids an agent and rejects an invalid set naming the segment and field', async () => {
    expect((await api('/api/admin/strategy', tokens.agente1)).status).toBe(403);
    expect((await api('/api/admin/strategy', tokens.agente1, { strategy: customSet('x') })).status).toBe(403);
    const broken = customSet('2026.9');
    broken.segments[1]!.strategy.priority = 'saldo + 1';
    const response = await api('/api/admin/strategy', tokens.admin, { strategy: broken });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; fields: Record<string, string> };
    expect(body.error).toMatch(/segmento "Temprana, puntaje bajo": la fórmula "saldo \+ 1" usa la variable desconocida "saldo"/);
    expect(Object.keys(body.fields)).toEqual(['segments[1].strategy.priority']);
  });

  it('rejects a set naming a script the workstations never received', async () => {
    const unknown = customSet('2026.8');
    unknown.segments[0]!.strategy.scriptId = 'guion-inexistente';
    const response = await api('/api/admin/strategy', tokens.admin, { strategy: unknown });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; fields: Record<string, string> };
    expect(body.error).toContain(`segmento "${unknown.segments[0]!.name}": el guion guion-inexistente no está publicado`);
    expect(body.fields).toEqual({ 'segments[0].strategy.scriptId': 'guion guion-inexistente no publicado' });
    expect((await store.listStrategies()).map((entry) => entry.version)).not.toContain('2026.8');
  });

  it('publish re-segments and sends snapshots', async () => {
    const cursor = (await store.pullFeed(agentId, 0, 500)).cursor;
    const response = await api('/api/admin/strategy', tokens.admin, { strategy: customSet('2026.2'), reason: 'Prueba de puntaje' });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { published: boolean; preview: { moved: number } };
    expect(body).toMatchObject({ published: true, preview: { moved: 1 } });

    const entries = await feedOf(agentId, cursor);
    expect(entries[0]!.type).toBe('strategy.set');
    const upserts = entries.filter((entry) => entry.type === 'debtor.upsert').map((entry) => entry.payload as DebtorSnapshot);
    // CC-1002 moved; CC-1003 (Media) changed only if the challenger picked it; CC-1001 kept everything.
    expect(upserts.map((snapshot) => snapshot.id)).toContain('CC-10002');
    expect(upserts.map((snapshot) => snapshot.id)).not.toContain('CC-10001');
    const moved = upserts.find((snapshot) => snapshot.id === 'CC-10002')!;
    expect(moved).toMatchObject({ segment: 'temprana-bajo-puntaje', segmentName: 'Temprana, puntaje bajo', priority: 5015, strategyVersion: '2026.2', assignedAt: '2026-12-04T09:00:00-05:00' });

    const media = (await store.getDebtorSnapshot('CC-10003', LATER))!;
    expect(['campeon', 'retador']).toContain(media.treatmentId);
    expect(media.scriptId).toBe(media.treatmentId === 'retador' ? 'guion-tardia' : 'guion-media');
    expect(media.strategyVersion).toBe('2026.2');

    const [current] = await store.listStrategies(1);
    expect(current).toMatchObject({ version: '2026.2', source: 'admin', reason: 'Prueba de puntaje', debtors: 5, moved: 1, publishedBy: { username: 'admin' } });
  });

  it('publish of a reused version', async () => {
    const same = await api('/api/admin/strategy', tokens.admin, { strategy: customSet('2026.2') });
    expect(same.status).toBe(200);
    expect(((await same.json()) as { published: boolean }).published).toBe(false);
    const other = customSet('2026.2');
    other.segments[0]!.name = 'Preventiva digital';
    const conflict = await api('/api/admin/strategy', tokens.admin, { strategy: other });
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: string }).error).toMatch(/La versión "2026.2" de la estrategia ya se publicó/);
    const history = (await (await api('/api/admin/strategy/history', tokens.admin)).json()) as { history: { version: string }[] };
    expect(history.history.map((entry) => entry.version)).toEqual(['2026.2', factory.version]);
  });

  it('keeps the published set when the server restarts with the resources file', async () => {
    await server.close();
    server = await startTestServer(location, { now: () => LATER });
    store = server.store;
    const current = (await (await api('/api/admin/strategy', tokens.admin)).json()) as { current: { version: string } };
    expect(current.current.version).toBe('2026.2');
  });

  it('re-segments the debtors of a new import under the set in force', async () => {
    const summary = await store.importPortfolio({
      fileName: 'cartera-2.csv',
      bytes: utf8(portfolioCsv([portfolioRow({ numero_documento: '10006', numero_obligacion: 'O-6', dias_mora: '20', puntaje: '300' })])),
      now: LATER,
    });
    expect(summary.bySegment['temprana-bajo-puntaje']).toBe(1);
    expect(summary.bySegment.preventiva).toBe(0);
    expect((await store.getDebtorSnapshot('CC-10006', LATER))!.segment).toBe('temprana-bajo-puntaje');
  });

  it('reports results per segment and treatment', async () => {
    const response = await api('/api/admin/strategy/results', tokens.admin);
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: { segmentId: string; treatmentId: string | null; debtors: number; contacts: number }[] };
    expect(results.reduce((sum, row) => sum + row.debtors, 0)).toBe(6);
    expect(results.find((row) => row.segmentId === 'temprana-bajo-puntaje')).toMatchObject({ debtors: 2, contacts: 0, treatmentId: null });
    expect(results.filter((row) => row.segmentId === 'media').map((row) => row.treatmentId)).toHaveLength(1);
  });

  it('reads collection holds: a segment for disputes takes the held debtor first', async () => {
    await backend.execute(
      location,
      `INSERT INTO collection_holds (debtor_id, kind, code, since, interaction_id, agent_id, recorded_at)
       VALUES ('CC-10004', 'dispute', 'RC', '${LATER.toISOString()}', 'i-1', '${agentId}', '${LATER.toISOString()}')`,
    );
    const set = customSet('2026.3');
    set.segments.unshift({
      id: 'reclamacion',
      name: 'Reclamación',
      rule: { any: [{ variable: 'disputeOpen', op: 'eq', value: true }, { variable: 'deceased', op: 'eq', value: true }] },
      strategy: { priority: '0', scriptId: 'guion-castigada', timeline: [] },
    });
    const publication = await store.publishStrategy({ strategy: set, publishedBy: (await store.findUserByUsername('admin'))!.id, now: LATER });
    expect(publication.preview?.moves).toContainEqual({ from: 'tardia', fromName: 'Tardía', to: 'reclamacion', toName: 'Reclamación', debtors: 1 });
    expect((await store.getDebtorSnapshot('CC-10004', LATER))!).toMatchObject({ segment: 'reclamacion', priority: 0, scriptId: 'guion-castigada' });
  });
});
