import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardSchema, type BoardAgent } from '@gestiona/core/board';
import { ipcContract } from '@gestiona/core/ipc';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import type { RunningServer } from '../../server/src/app.ts';
import { startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { BOARD_FORBIDDEN_MESSAGE } from './board.ts';

const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;

describe('agent state on the board', () => {
  let root: string;
  let server: RunningServer;
  const opened: OpenedWorkstation[] = [];

  async function signedIn(username: string): Promise<OpenedWorkstation> {
    const dataDir = path.join(root, `ws-${opened.length}`);
    mkdirSync(dataDir);
    const ws = await openWorkstation(dataDir, { serverUrl: server.url, secretStore: new MemorySecretStore(null) });
    opened.push(ws);
    const user = demoUser(username);
    const result = await ws.call('auth:login', { username: user.username, password: user.password });
    if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.message}`);
    return ws;
  }

  async function agentRow(lead: OpenedWorkstation, username: string): Promise<BoardAgent | undefined> {
    const result = await lead.call('board:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return boardSchema.parse(result.value).agents.find((agent) => agent.username === username);
  }

  beforeAll(async () => {
    root = makeTempDir('gestiona-board-states-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
  });

  afterAll(async () => {
    for (const ws of opened) await ws.workstation.close();
    await server?.close();
    removeDir(root);
  });

  it('shows a pause and its end', async () => {
    const agent = await signedIn('agente2');
    const lead = await signedIn('supervisor1');

    const paused = await agent.call('agent:pause', { reason: 'Capacitación' });
    expect(paused.ok).toBe(true);
    await expect.poll(async () => (await agentRow(lead, 'agente2'))?.state).toBe('paused');
    expect((await agentRow(lead, 'agente2'))?.pauseReason).toBe('Capacitación');

    await agent.call('agent:resume', {});
    await expect.poll(async () => (await agentRow(lead, 'agente2'))?.state).toBe('available');
    expect((await agentRow(lead, 'agente2'))?.pauseReason).toBeNull();
  });

  it.each(['csv', 'xlsx'] as const)('exports the board as %s', async (format) => {
    const lead = await signedIn('supervisor1');
    const result = await lead.call('board:export', { format });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const file = ipcContract['board:export'].result.parse(result.value);
    expect(file.fileName).toMatch(new RegExp(`^tablero-\\d{2}-\\d{2}-\\d{4}\\.${format}$`));
    const bytes = Buffer.from(file.contentBase64, 'base64');

    let usernames: unknown[];
    if (format === 'csv') {
      const records = parseCsv(bytes, { bom: true, delimiter: ';' }) as string[][];
      usernames = records.slice(1).map((record) => record[2]);
    } else {
      const workbook = new ExcelJS.Workbook();
      // exceljs declares its own Buffer type; a Node Buffer is what it reads at run time.
      await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
      usernames = workbook.getWorksheet('Agentes')!.getColumn(3).values.slice(2);
    }
    expect([...usernames].sort()).toEqual(['agente1', 'agente2', 'agente3']);
  });

  it('exports the queues as their own CSV', async () => {
    const lead = await signedIn('supervisor1');
    const result = await lead.call('board:export', { format: 'csv', table: 'queues' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const file = ipcContract['board:export'].result.parse(result.value);
    expect(file.fileName).toMatch(/^tablero-colas-\d{2}-\d{2}-\d{4}\.csv$/);
    const records = parseCsv(Buffer.from(file.contentBase64, 'base64'), { bom: true, delimiter: ';' }) as string[][];
    expect(records[0]![1]).toBe('Cola (segmento)');
    // Each row names a queue, and the rows add up to the board's pending debtors.
    const board = await lead.call('board:get', {});
    if (!board.ok) throw new Error(board.error.message);
    const { figures } = boardSchema.parse(board.value);
    expect(records.slice(1).map((record) => record[1])).toEqual(figures.queues.map((queue) => queue.label));
    expect(records.slice(1).reduce((sum, record) => sum + Number(record[3]), 0)).toBe(figures.total.debtorsPending);
  });

  it('refuses the export to an agent', async () => {
    const agent = await signedIn('agente3');
    const result = await agent.call('board:export', { format: 'csv' });
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: BOARD_FORBIDDEN_MESSAGE } });
  });
});
