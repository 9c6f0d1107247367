import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitLevel } from '@gestiona/core/agent-state';
import { boardSchema, type Board, type BoardAgent } from '@gestiona/core/board';
import { SOCKET_EVENTS, type User } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { connectWorkstation, login, startTestServer } from '../fixtures/server.ts';
import { BOARD_EXPORT_HEADER } from './board-export.ts';

// Monday 7 Dec 2026, 15:00 in Bogotá.
const NOW = new Date('2026-12-07T15:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const HOSTILE_NAME = '=HYPERLINK("http://malo.example","Ver")';

interface DeskCase {
  username: string;
  fullName: string;
  report: Record<string, string | null>;
  expected: { state: BoardAgent['state']; stateSince: string | null; pauseReason: string | null; limit: 'normal' | 'amber' | 'red' };
}

const CASES: DeskCase[] = [
  {
    username: 'agente1',
    fullName: 'Ana María Peña',
    report: { agentState: 'paused', agentStateSince: '2026-12-07T14:20:00-05:00', pauseReason: 'Almuerzo' },
    expected: { state: 'paused', stateSince: '2026-12-07T14:20:00-05:00', pauseReason: 'Almuerzo', limit: 'red' },
  },
  {
    username: 'agente2',
    fullName: 'Bernardo Díaz',
    report: { agentState: 'paused', agentStateSince: '2026-12-07T14:50:00-05:00', pauseReason: 'Siesta' },
    expected: { state: 'paused', stateSince: '2026-12-07T14:50:00-05:00', pauseReason: null, limit: 'normal' },
  },
  {
    username: 'agente3',
    fullName: 'Carla Ruiz',
    report: { agentState: 'wrap-up', agentStateSince: '2026-12-07T14:57:00-05:00', pauseReason: null },
    expected: { state: 'wrap-up', stateSince: '2026-12-07T14:57:00-05:00', pauseReason: null, limit: 'amber' },
  },
  {
    username: 'agente4',
    fullName: 'Diego Sanz',
    report: { agentState: 'on-call', agentStateSince: '2026-12-07T14:40:00-05:00', pauseReason: null },
    expected: { state: 'on-call', stateSince: '2026-12-07T14:40:00-05:00', pauseReason: null, limit: 'normal' },
  },
  {
    username: 'agente5',
    fullName: HOSTILE_NAME,
    // Reported in UTC: the board shows every instant in Bogotá time.
    report: { agentState: 'available', agentStateSince: '2026-12-07T19:30:00.000Z', pauseReason: null },
    expected: { state: 'available', stateSince: '2026-12-07T14:30:00-05:00', pauseReason: null, limit: 'normal' },
  },
];

describe.each(BACKEND_NAMES)('board agent states and export on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let server: RunningServer;
  const users: Record<string, User> = {};
  const tokens: Record<string, string> = {};
  const sockets: Socket[] = [];

  const fetchWith = (path: string, username: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${tokens[username]}` } });

  const readBoard = async (): Promise<Board> => {
    const response = await fetchWith('/api/board', 'supervisor1');
    expect(response.status).toBe(200);
    return boardSchema.parse(await response.json());
  };

  beforeAll(async () => {
    server = await startTestServer(await backend.createDatabase(), { now: () => NOW });
    for (const { username, fullName } of CASES) {
      users[username] = await server.store.createUser({ username, fullName, role: 'agent', password: PASSWORD });
    }
    await server.store.createUser({ username: 'supervisor1', fullName: 'Luz Dary Ospina', role: 'team-lead', password: PASSWORD });
    tokens.supervisor1 = (await login(server.url, 'supervisor1', PASSWORD, 'ws-supervisor1')).token;

    for (const { username, report } of CASES) {
      tokens[username] = (await login(server.url, username, PASSWORD, `ws-${username}`)).token;
      const socket = await connectWorkstation(server.url, { token: tokens[username], workstationId: `ws-${username}` });
      sockets.push(socket);
      expect(await socket.emitWithAck(SOCKET_EVENTS.reportState, { agentId: users[username]!.id, ...report })).toEqual({ ok: true });
    }
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server.close();
  });

  it.each(CASES)('shows $username as $expected.state', async ({ username, expected }) => {
    const board = await readBoard();
    const row = board.agents.find((agent) => agent.username === username);

    expect(row?.state).toBe(expected.state);
    expect(row?.stateSince).toBe(expected.stateSince);
    expect(row?.pauseReason).toBe(expected.pauseReason);
    expect(limitLevel(row!.state, row!.stateSince, board.generatedAt)).toBe(expected.limit);
  });

  it('exports the figures as CSV', async () => {
    const response = await fetchWith('/api/board/export?format=csv', 'supervisor1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="tablero-07-12-2026.csv"');

    const records = parseCsv(Buffer.from(await response.arrayBuffer()), { bom: true, delimiter: ';' }) as string[][];
    expect(records[0]).toEqual([...BOARD_EXPORT_HEADER]);
    expect(records).toHaveLength(CASES.length + 1);
    const ana = records.find((record) => record[2] === 'agente1');
    expect(ana).toEqual(['07/12/2026', 'Ana María Peña', 'agente1', 'En pausa', 'Almuerzo', '07/12/2026 14:20', '0', '0', '0', '0', '0', '0', '0', '0']);
    const hostile = records.find((record) => record[2] === 'agente5');
    expect(hostile?.[1]).toBe(`'${HOSTILE_NAME}`);
  });

  it('exports the figures as XLSX', async () => {
    const response = await fetchWith('/api/board/export?format=xlsx', 'supervisor1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

    const workbook = new ExcelJS.Workbook();
    // exceljs declares its own Buffer type; a Node Buffer is what it reads at run time.
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('Agentes');
    expect(sheet?.getRow(1).values).toEqual([undefined, ...BOARD_EXPORT_HEADER]);

    const rows = sheet!.getSheetValues().slice(2) as unknown[][];
    const carla = rows.find((row) => row[3] === 'agente3');
    expect(carla?.slice(1)).toEqual(['07/12/2026', 'Carla Ruiz', 'agente3', 'En cierre de gestión', undefined, '07/12/2026 14:57', 0, 0, 0, 0, 0, 0, 0, 0]);

    const hostileRow = rows.findIndex((row) => row[3] === 'agente5') + 2;
    const cell = sheet!.getRow(hostileRow).getCell(2);
    expect(cell.type).toBe(ExcelJS.ValueType.String);
    expect(cell.value).toBe(`'${HOSTILE_NAME}`);
    expect(sheet!.getColumn(12).numFmt).toBe('"$" #,##0');
    expect(workbook.getWorksheet('Bloqueos por regla')?.getRow(1).values).toEqual([undefined, 'Regla', 'Decisiones bloqueadas']);
  });

  it.each([
    ['an unknown format', 'supervisor1', '?format=pdf', 400],
    ['a missing format', 'supervisor1', '', 400],
    ['an agent', 'agente1', '?format=csv', 403],
  ] as const)('rejects %s', async (_case, username, query, status) => {
    const response = await fetchWith(`/api/board/export${query}`, username);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string };
    if (status === 400) expect(body.error).toMatch(/^Formato de exportación no válido: ".*"\. Use format=csv o format=xlsx\.$/);
  });
});
