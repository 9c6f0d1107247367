import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { boardSchema, type Board } from '@gestiona/core/board';
import { debtorViewSchema, ipcContract, type PushMessage } from '@gestiona/core/ipc';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import type { RunningServer } from '../../server/src/app.ts';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import { connectWorkstation, login } from '../../server/src/fixtures/server.ts';
import type { AlarmRecord } from '../../server/src/store/types.ts';
import { TrustedClock } from '../clock.ts';
import { manualTime } from '../test-support/manual-time.ts';
import { SERVER_NOW, startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openTestDatabaseFile, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { ALARM_FORBIDDEN_MESSAGE } from './board.ts';

const WAIT = { timeout: 15_000, interval: 50 };
const MINUTE = 60_000;
const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;

describe('compliance alarms on the board', () => {
  let root: string;
  let server: RunningServer;
  const opened: OpenedWorkstation[] = [];
  // Every read of the server's clock moves it one second, so a state report always comes after
  // the pushes before it, as on a real server.
  let tick = 0;

  beforeEach(async () => {
    root = makeTempDir('gestiona-alarms-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    tick = 0;
    server = await startTestServer(serverDir, { now: () => new Date(SERVER_NOW.getTime() + 1000 * tick++) });
  });

  afterEach(async () => {
    for (const ws of opened.splice(0)) await ws.workstation.close();
    await server?.close();
    removeDir(root);
  });

  /** Opens a workstation in its own data folder, signed in as `username`, with its machine clock `skewMs` off. */
  async function signedIn(username: string, dataDir = path.join(root, `ws-${opened.length}`), skewMs = 0): Promise<OpenedWorkstation> {
    mkdirSync(dataDir, { recursive: true });
    const time = manualTime(SERVER_NOW.getTime() + skewMs);
    const ws = await openWorkstation(dataDir, { clock: new TrustedClock({ sources: time }), serverUrl: server.url, secretStore: new MemorySecretStore(null) });
    opened.push(ws);
    const user = demoUser(username);
    const result = await ws.call('auth:login', { username: user.username, password: user.password });
    if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.message}`);
    return ws;
  }

  async function readBoard(ws: OpenedWorkstation): Promise<Board> {
    const result = await ws.call('board:get', {});
    if (!result.ok) throw new Error(result.error.message);
    return boardSchema.parse(result.value);
  }

  /** Reports a clock jump as the agent's workstation would, through a plain socket. */
  async function reportClockJump(jumpAt: string): Promise<void> {
    const agent = demoUser('agente2');
    const { token } = await login(server.url, agent.username, agent.password, 'ws-reloj');
    const socket = await connectWorkstation(server.url, { token, workstationId: 'ws-reloj' });
    try {
      const ack: unknown = await socket.emitWithAck(SOCKET_EVENTS.reportState, { clockTrusted: false, clockJumpAt: jumpAt, clockJumpMs: -20 * MINUTE, clockJumps: 1 });
      expect(ack).toEqual({ ok: true });
    } finally {
      socket.close();
    }
  }

  it('pushes board-changed to a team lead when an alarm is raised', async () => {
    const supervisor = await signedIn('supervisor1');
    const agent = await signedIn('agente1');
    await vi.waitFor(() => expect(supervisor.workstation.sync.status().connection).toBe('online'), WAIT);
    const pushes = { supervisor: [] as PushMessage[], agent: [] as PushMessage[] };
    supervisor.workstation.onPush((message) => pushes.supervisor.push(message));
    agent.workstation.onPush((message) => pushes.agent.push(message));

    await reportClockJump('2026-03-03T08:40:00-05:00');

    await vi.waitFor(() => expect(pushes.supervisor).toContainEqual({ type: 'board-changed' }), WAIT);
    expect(pushes.agent).not.toContainEqual({ type: 'board-changed' });
    const board = await readBoard(supervisor);
    expect(board.alarms.open).toHaveLength(1);
    expect(board.alarms.open[0]).toMatchObject({ category: 'clock', workstationId: 'ws-reloj', agentName: demoUser('agente2').fullName });
    expect(board.alarms.open[0]!.message).toContain('cambió de hora el 03/03/2026 08:40 (se atrasó 20 min)');
  });

  it('acknowledges an alarm for a team lead only', async () => {
    await reportClockJump('2026-03-03T08:50:00-05:00');
    const supervisor = await signedIn('supervisor1');
    const agent = await signedIn('agente1');
    const [alarm] = (await readBoard(supervisor)).alarms.open;

    expect(await agent.call('alarm:acknowledge', { alarmId: alarm!.id })).toEqual({ ok: false, error: { code: 'forbidden', message: ALARM_FORBIDDEN_MESSAGE } });
    const missing = await supervisor.call('alarm:acknowledge', { alarmId: 999_999 });
    expect(missing).toEqual({ ok: false, error: { code: 'not-found', message: 'La alerta 999999 no existe en el servidor. Actualice el tablero.' } });
    const invalid = await supervisor.call('alarm:acknowledge', { alarmId: 'uno' });
    expect(invalid.ok ? null : invalid.error.code).toBe('invalid-input');

    const acknowledged = await supervisor.call('alarm:acknowledge', { alarmId: alarm!.id });
    expect(acknowledged.ok).toBe(true);
    if (!acknowledged.ok) return;
    expect(ipcContract['alarm:acknowledge'].result.parse(acknowledged.value)).toMatchObject({ alarmId: alarm!.id, acknowledgedBy: 'supervisor1' });
    const board = await readBoard(supervisor);
    expect(board.alarms.open).toEqual([]);
    expect(board.alarms.lastSevenDays).toContainEqual({ category: 'clock', count: 1 });
  });

  describe('decision chain of a real workstation', () => {
    const agentDir = () => path.join(root, 'agent');

    /** Signs the agent in with an untrusted clock, so every dial is refused and recorded, and dials `count` times. */
    async function recordDecisions(count: number): Promise<OpenedWorkstation> {
      const ws = await signedIn('agente1', agentDir(), 10 * MINUTE);
      await vi.waitFor(async () => {
        const session = await ws.call<{ clock: { lastSyncAt: string | null } | null }>('session:get', {});
        expect(session.ok).toBe(true);
        expect(session.ok && session.value.clock?.lastSyncAt).toBeTruthy();
      }, WAIT);
      const list = await ws.call('worklist:list', { offset: 0, limit: 10 });
      if (!list.ok) throw new Error(list.error.message);
      const debtorId = ipcContract['worklist:list'].result.parse(list.value).items[0]!.debtorId;
      const view = await ws.call('debtor:open', { debtorId });
      if (!view.ok) throw new Error(view.error.message);
      const holder = debtorViewSchema.parse(view.value).persons.find((person) => person.role === 'debtor')!;
      const contactPointId = holder.contactPoints.find((point) => point.authorized)!.id;
      for (let dial = 0; dial < count; dial += 1) {
        const result = await ws.call('contact:dial', { debtorId, contactPointId, requestId: randomUUID() });
        if (!result.ok) throw new Error(`dial failed: ${result.error.message}`);
      }
      await ws.workstation.sync.flushNow();
      expect(ws.workstation.sync.status().pending).toBe(0);
      return ws;
    }

    async function closeAgent(ws: OpenedWorkstation): Promise<void> {
      await ws.workstation.close();
      opened.splice(opened.indexOf(ws), 1);
    }

    async function waitForChainAlarm(kind: AlarmRecord['kind'], problem: string): Promise<AlarmRecord> {
      let found: AlarmRecord | undefined;
      await vi.waitFor(async () => {
        found = (await server.store.listAlarms({ kind, limit: 10 })).find((alarm) => alarm.detail.problem === problem);
        expect(found).toBeDefined();
      }, WAIT);
      return found!;
    }

    const databaseFile = () => path.join(agentDir(), 'workstation.sqlite');

    it('raises an alarm when the pushed tail is deleted', async () => {
      await closeAgent(await recordDecisions(3));

      const db = openTestDatabaseFile(databaseFile());
      const first = db.prepare('SELECT hash FROM decision_chain WHERE chain_index = 1').get() as { hash: string };
      db.prepare('DELETE FROM decision_chain WHERE chain_index > 1').run();
      db.prepare('UPDATE decision_chain_head SET head_index = 1, head_hash = ? WHERE id = 1').run(first.hash);
      db.close();
      await signedIn('agente1', agentDir(), 10 * MINUTE);

      const alarm = await waitForChainAlarm('chain-gap', 'rewound');
      expect(alarm.detail).toMatchObject({ reportedIndex: 1, serverIndex: 3 });
      expect(alarm.message).toContain('Se borraron los registros 2 a 3 en la estación');
    });

    it('raises an alarm when the last pushed record is rewritten', async () => {
      await closeAgent(await recordDecisions(2));

      const db = openTestDatabaseFile(databaseFile());
      const forged = 'f'.repeat(64);
      db.prepare('UPDATE decision_chain SET hash = ? WHERE chain_index = 2').run(forged);
      db.prepare('UPDATE decision_chain_head SET head_hash = ? WHERE id = 1').run(forged);
      db.close();
      await signedIn('agente1', agentDir(), 10 * MINUTE);

      const alarm = await waitForChainAlarm('chain-edited', 'rewritten');
      expect(alarm.detail).toMatchObject({ reportedIndex: 2, reportedHash: forged });
    });

    it('raises an alarm when an old copy of the database is restored', async () => {
      const ws = await recordDecisions(1);
      await closeAgent(ws);
      const copy = path.join(root, 'copy.sqlite');
      copyFileSync(databaseFile(), copy);

      await closeAgent(await recordDecisions(2));
      copyFileSync(copy, databaseFile());
      await signedIn('agente1', agentDir(), 10 * MINUTE);

      const alarm = await waitForChainAlarm('chain-gap', 'rewound');
      expect(alarm.detail).toMatchObject({ reportedIndex: 1, serverIndex: 3 });
    });
  });
});
