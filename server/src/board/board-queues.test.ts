/**
 * The board's queues are the segments of the published strategy: named and ordered as in it, with
 * «Sin segmento» for a debtor outside them, and each queue's wrap-up time from the contacts that the
 * agent's wrap-ups closed. The drill-down and the Excel export follow the same queues.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { boardDrillSchema, boardSchema, type Board, type BoardDrill } from '@gestiona/core/board';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import { pushAckSchema, SOCKET_EVENTS, type SyncEvent, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent, type EventTarget } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import { defaultStrategySet } from '../strategy/default-strategy.ts';
import { BOARD_QUEUE_EXPORT_HEADER } from './board-export.ts';
import { NO_SEGMENT_KEY } from './board-segments.ts';

// Monday 7 Dec 2026, 15:00 in Bogotá.
const NOW = new Date('2026-12-07T15:00:00-05:00');
const LEASED_AT = new Date('2026-12-04T08:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const WAIT = { timeout: 5_000, interval: 20 };

/** Bogotá, Medellín, Cali, and a Cali debtor the test takes out of every segment. */
const DEBTORS = ['CC-74000001', 'CC-74000002', 'CC-74000003', 'CC-74000004'] as const;
const CITIES: readonly string[] = ['Bogotá', 'Medellín', 'Cali', 'Cali'];

/** Segments by city, in an order that is not alphabetical, so the board's order can only come from the strategy. */
function strategyByCity(): StrategySet {
  const base = defaultStrategySet();
  const strategy = base.segments[0]!.strategy;
  return {
    version: '2026.12-ciudades',
    segments: [
      { id: 'capital', name: 'Zona capital', rule: { all: [{ variable: 'city', op: 'eq', value: 'Bogotá' }] }, strategy },
      { id: 'antioquia', name: 'Antioquia', rule: { all: [{ variable: 'city', op: 'eq', value: 'Medellín' }] }, strategy },
      { id: 'resto', name: 'Resto del país', rule: { all: [] }, strategy },
    ],
  } as StrategySet;
}

describe.each(BACKEND_NAMES)('board queues by strategy segment on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  let ana: User;
  let anaSocket: Socket;
  const tokens: Record<string, string> = {};

  const get = async (path: string, token = tokens.lider!): Promise<Response> => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const readBoard = async (): Promise<Board> => boardSchema.parse(await (await get('/api/board')).json());
  const readDrill = async (query: string): Promise<BoardDrill> => {
    const response = await get(`/api/board/drill?${query}`);
    expect(response.status).toBe(200);
    return boardDrillSchema.parse(await response.json());
  };

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    const { store } = server;
    await store.createTeam('Equipo Norte', LEASED_AT);
    ana = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD, team: 'Equipo Norte' });
    await store.createUser({ username: 'lider', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD, team: 'Equipo Norte' });
    await store.addTeamLead('lider', 'Equipo Norte');
    const admin = await store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD });

    const rows = DEBTORS.map((debtorId, index) => portfolioRow({ numero_documento: debtorId.slice(3), numero_obligacion: `TC-74${index}`, ciudad: CITIES[index]! }));
    await store.importPortfolio({ fileName: 'colas.csv', bytes: utf8(portfolioCsv(rows)), now: LEASED_AT });
    const publication = await store.publishStrategy({ strategy: strategyByCity(), publishedBy: admin.id, now: LEASED_AT });
    expect(publication.published).toBe(true);
    // A debtor the strategy has not placed yet: the board must not lose it.
    await store.writeBoardView((sql) => sql.run('UPDATE debtors SET segment_id = NULL, segment_name = NULL WHERE id = ?', [DEBTORS[3]]));
    for (const debtorId of DEBTORS) await store.grantLease(debtorId, ana.id, LEASED_AT);

    for (const username of ['agente1', 'lider']) tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
    anaSocket = await connectWorkstation(server.url, { token: tokens.agente1, workstationId: 'ws-agente1' });

    const target = (debtorId: string, seq: number, at: string): EventTarget => ({
      agentId: ana.id,
      workstationId: 'ws-agente1',
      debtorId,
      personId: debtorId,
      contactPointId: `${debtorId}/celular`,
      seq,
      at,
    });
    /** A dial at `at` typified `seconds` later. */
    const contact = (debtorId: string, seq: number, at: string, seconds: number): SyncEvent[] => {
      const dial = decisionEvent(target(debtorId, seq, at));
      const interaction = interactionEvent(target(debtorId, seq + 1, at));
      if (interaction.type !== 'interaction.recorded' || dial.type !== 'decision.recorded') throw new Error('expected a decision and its interaction');
      const typifiedAt = new Date(Date.parse(at) + seconds * 1000).toISOString();
      return [dial, { ...interaction, payload: { ...interaction.payload, decisionId: dial.payload.decisionId, typifiedAt, localTypifiedAt: typifiedAt } }];
    };
    const events = [
      ...contact(DEBTORS[0], 1, '2026-12-07T09:00:00-05:00', 180),
      ...contact(DEBTORS[1], 3, '2026-12-07T10:00:00-05:00', 60),
      ...contact(DEBTORS[3], 5, '2026-12-07T11:00:00-05:00', 90),
    ];
    const ack = pushAckSchema.parse(await anaSocket.emitWithAck(SOCKET_EVENTS.pushEvents, { events }));
    expect(ack.ok && ack.results.map((result) => result.status)).toEqual(events.map(() => 'stored'));

    // Wrap-ups of 120 s (Bogotá), 30 s (Medellín) and 60 s (the debtor without a segment), then one
    // of 45 s at 12:00 that closed no stored contact: it counts for Ana, in no queue.
    const desk = (agentState: string, since: string) => ({ agentState, agentStateSince: since, pending: 0, clockTrusted: true });
    for (const report of [
      desk('on-call', '2026-12-07T09:00:00-05:00'),
      desk('wrap-up', '2026-12-07T09:01:00-05:00'),
      desk('available', '2026-12-07T09:03:00-05:00'),
      desk('on-call', '2026-12-07T10:00:00-05:00'),
      desk('wrap-up', '2026-12-07T10:00:30-05:00'),
      desk('available', '2026-12-07T10:01:00-05:00'),
      desk('on-call', '2026-12-07T11:00:00-05:00'),
      desk('wrap-up', '2026-12-07T11:00:30-05:00'),
      desk('available', '2026-12-07T11:01:30-05:00'),
      desk('wrap-up', '2026-12-07T12:00:00-05:00'),
      desk('available', '2026-12-07T12:00:45-05:00'),
    ]) {
      expect(await anaSocket.emitWithAck(SOCKET_EVENTS.reportState, report)).toEqual({ ok: true });
    }
    // (120 + 30 + 60 + 45) / 4; the desk state changes are written in batches.
    await vi.waitFor(async () => expect((await readBoard()).figures.total.avgWrapUpSeconds).toBe(64), WAIT);
  });

  afterAll(async () => {
    anaSocket.close();
    await server.close();
  });

  it('lists the queues in the strategy order with its names, and «Sin segmento» last', async () => {
    const { figures } = await readBoard();
    expect(figures.queues.map((queue) => [queue.key, queue.label])).toEqual([
      ['capital', 'Zona capital'],
      ['antioquia', 'Antioquia'],
      ['resto', 'Resto del país'],
      [NO_SEGMENT_KEY, 'Sin segmento'],
    ]);
    expect(figures.queues.map((queue) => [queue.key, queue.interactions, queue.debtorsPending])).toEqual([
      ['capital', 1, 0],
      ['antioquia', 1, 0],
      ['resto', 0, 1],
      [NO_SEGMENT_KEY, 1, 0],
    ]);
    for (const key of ['interactions', 'debtorsPending', 'debtorsWorked', 'untypified', 'budgetUsedDebtors'] as const) {
      expect(figures.queues.reduce((sum, queue) => sum + queue[key], 0)).toBe(figures.total[key]);
    }
  });

  it("averages each queue's wrap-up time over the contacts its wrap-ups closed", async () => {
    const { figures, agents } = await readBoard();
    expect(figures.queues.map((queue) => [queue.key, queue.avgWrapUpSeconds])).toEqual([
      ['capital', 120],
      ['antioquia', 30],
      ['resto', null],
      [NO_SEGMENT_KEY, 60],
    ]);
    expect(agents.find((agent) => agent.agentId === ana.id)!.avgWrapUpSeconds).toBe(64);
  });

  it('opens the debtors of a queue, with its name in the title', async () => {
    const capital = await readDrill('figure=interactions&scope=queue:capital');
    expect(capital.title).toBe('Gestiones de hoy · Zona capital');
    expect(capital.debtors.map((debtor) => [debtor.debtorId, debtor.segment])).toEqual([[DEBTORS[0], 'Zona capital']]);

    const none = await readDrill(`figure=interactions&scope=queue:${NO_SEGMENT_KEY}`);
    expect(none.title).toBe('Gestiones de hoy · Sin segmento');
    expect(none.debtors.map((debtor) => [debtor.debtorId, debtor.segment])).toEqual([[DEBTORS[3], 'Sin segmento']]);

    const pending = await readDrill('figure=pending&scope=queue:resto');
    expect(pending.debtors.map((debtor) => debtor.debtorId)).toEqual([DEBTORS[2]]);
  });

  it('opens the wrap-ups of a queue with their debtors, and every wrap-up of the agent without a queue', async () => {
    const antioquia = await readDrill('figure=wrap-up&scope=queue:antioquia');
    expect(antioquia.agents).toEqual([{ agentId: ana.id, fullName: 'Ana María Peña', value: 30 }]);
    expect(antioquia.debtors.map((debtor) => [debtor.debtorId, debtor.detail])).toEqual([[DEBTORS[1], 'NC · 30 s']]);

    const none = await readDrill(`figure=wrap-up&scope=queue:${NO_SEGMENT_KEY}`);
    expect(none.debtors.map((debtor) => debtor.debtorId)).toEqual([DEBTORS[3]]);

    const all = await readDrill('figure=wrap-up&scope=all');
    expect(all.agents).toEqual([{ agentId: ana.id, fullName: 'Ana María Peña', value: 64 }]);
    // The 45 s wrap-up closed no stored contact: no debtor row, but its seconds count for Ana.
    expect(all.debtors.map((debtor) => debtor.debtorId)).toEqual([DEBTORS[0], DEBTORS[1], DEBTORS[3]]);
  });

  it('exports the queues as the board shows them', async () => {
    const response = await get('/api/board/export?format=xlsx');
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('Colas')!;
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((row) => [row[2], row[6], row[11]])).toEqual([
      ['Zona capital', 1, 120],
      ['Antioquia', 1, 30],
      // An empty cell: nobody measured a wrap-up there.
      ['Resto del país', 0, undefined],
      ['Sin segmento', 1, 60],
    ]);
  });

  it('exports the queues as a CSV of their own', async () => {
    const response = await get('/api/board/export?format=csv&table=queues');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="tablero-colas-07-12-2026.csv"');
    const records = parseCsv(Buffer.from(await response.arrayBuffer()), { bom: true, delimiter: ';' }) as string[][];
    expect(records[0]).toEqual([...BOARD_QUEUE_EXPORT_HEADER]);
    expect(records.slice(1).map((record) => [record[1], record[5], record[10]])).toEqual([
      ['Zona capital', '1', '120'],
      ['Antioquia', '1', '30'],
      ['Resto del país', '0', ''],
      ['Sin segmento', '1', '60'],
    ]);

    const rejected = await get('/api/board/export?format=csv&table=colas');
    expect(rejected.status).toBe(400);
    expect(await rejected.json()).toEqual({ error: 'Tabla de exportación no válida: "colas". Use table=agents o table=queues.' });
  });

  it('follows a new publication: its names, its order, its segments', async () => {
    const admin = (await server.store.findUserByUsername('admin'))!;
    const previous = strategyByCity();
    const [capital, antioquia, resto] = previous.segments as [StrategySet['segments'][number], StrategySet['segments'][number], StrategySet['segments'][number]];
    const next = { version: '2026.12-ciudades-2', segments: [antioquia, capital, { ...resto, name: 'Resto de Colombia' }] } as StrategySet;
    expect((await server.store.publishStrategy({ strategy: next, publishedBy: admin.id, now: NOW })).published).toBe(true);

    const { figures } = await readBoard();
    // The publication placed the debtor that had no segment (Cali), so «Sin segmento» is gone.
    expect(figures.queues.map((queue) => [queue.key, queue.label])).toEqual([
      ['antioquia', 'Antioquia'],
      ['capital', 'Zona capital'],
      ['resto', 'Resto de Colombia'],
    ]);
    expect(figures.queues.find((queue) => queue.key === 'resto')).toMatchObject({ interactions: 1, debtorsPending: 1, avgWrapUpSeconds: 60 });
    expect((await readDrill('figure=interactions&scope=queue:resto')).title).toBe('Gestiones de hoy · Resto de Colombia');
  });
});
