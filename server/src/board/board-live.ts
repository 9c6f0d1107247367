/**
 * Push updates of the live board. When an agent's desk state, connection or stored events change,
 * the board of their team leads and of every administrator is out of date. This module then sends
 * the board hint to the rooms `team:<id>` of the agent's team and `role:admin` through the socket.io
 * adapter, so across nodes with Redis. Hints are coalesced per room, at most one every `intervalMs`
 * (default 250 ms, so at most 4 board refreshes a second), and the workstation reads the board again.
 * A team lead's or administrator's own workstation is a row of their board too (its backlog, its
 * clock): its reports and connections hint their own room `agent:<id>` as well.
 *
 * It also keeps the desk state changes that the wrap-up figures need (`agent_state_changes`).
 */
import type { Server } from 'socket.io';
import { BOARD_HINT_EVENT } from '@gestiona/core/board';
import type { User } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import type { SqlConnection } from '../store/sql.ts';
import type { ServerStore } from '../store/types.ts';
import { reportedDesk, type WorkstationState } from '../sync/workstation-state.ts';

export const BOARD_HINT_INTERVAL_MS = 250;

/** How long an agent's team is remembered; a move to another team reaches the hints within this time. */
const TEAM_CACHE_MS = 30_000;

/** The room of every administrator; the same name as `roleRoom('admin')` in socket.ts. */
const ADMIN_ROOM = 'role:admin';
const teamRoom = (teamId: string): string => `team:${teamId}`;
/** The room every signed-in user joins; the same name as `agentRoom(userId)` in socket.ts. */
const userRoom = (userId: string): string => `agent:${userId}`;

/** A desk state as `agent_state_changes` stores it. */
export type StoredDeskState = 'available' | 'on-call' | 'wrap-up' | 'paused' | 'offline';

export interface BoardLiveOptions {
  io: Server;
  store: ServerStore;
  logger: Logger;
  now: () => Date;
  intervalMs?: number;
}

export interface BoardLive {
  /** A state report of the workstation was stored: keep its desk state change (written within `intervalMs`) and send the hint. */
  stateReported(user: User, workstationId: string, state: WorkstationState, reportedAt: Date): void;
  /** Something of the agent's board figures changed (a stored event, a connection). */
  agentChanged(agentId: string): void;
  /** Writes the desk state changes kept so far and keeps no more; `close()` of the sockets awaits it before the store closes. */
  flush(): Promise<void>;
  close(): void;
}

interface DeskChange {
  workstationId: string;
  agentId: string;
  state: StoredDeskState;
  since: string;
  reportedAt: string;
}

/** The payload of the board hint: the agents whose row changed. Clients that only refresh ignore it. */
export interface BoardHintPayload {
  agentIds: string[];
}

/** Inserts the change unless the workstation's latest row already has this state and start. */
export async function recordDeskStateChange(
  sql: SqlConnection,
  change: { workstationId: string; agentId: string; state: StoredDeskState; since: string; reportedAt: string },
): Promise<boolean> {
  const latest = await sql.get<{ state: string; since: string }>(
    'SELECT state, since FROM agent_state_changes WHERE workstation_id = ? ORDER BY since DESC, id DESC LIMIT 1',
    [change.workstationId],
  );
  if (latest && latest.state === change.state && (change.state === 'offline' || latest.since === change.since)) return false;
  await sql.run('INSERT INTO agent_state_changes (workstation_id, agent_id, state, since, reported_at) VALUES (?, ?, ?, ?, ?)', [
    change.workstationId,
    change.agentId,
    change.state,
    change.since,
    change.reportedAt,
  ]);
  return true;
}

/** Reads the desk state of a report as stored, with its start in UTC; null when the report carries none. */
export function deskStateOf(state: WorkstationState, reportedAt: Date): { state: StoredDeskState; since: string } | null {
  if (state.agentState === 'signed-out') return { state: 'offline', since: reportedAt.toISOString() };
  const desk = reportedDesk(state);
  if (!desk) return null;
  const since = desk.agentStateSince === null ? reportedAt : new Date(desk.agentStateSince);
  // A start after the report comes from a workstation clock ahead of the server's; the report is the better bound.
  return { state: desk.agentState, since: (since.getTime() > reportedAt.getTime() ? reportedAt : since).toISOString() };
}

export function attachBoardLive(options: BoardLiveOptions): BoardLive {
  const { io, store, logger, now } = options;
  const intervalMs = options.intervalMs ?? BOARD_HINT_INTERVAL_MS;
  const teams = new Map<string, { teamIds: string[]; until: number }>();
  /** Agents waiting for the next hint, per room. */
  const pending = new Map<string, Set<string>>();
  /** The last desk state stored per workstation, so an unchanged report costs no write. */
  const lastDesk = new Map<string, string>();
  let timer: NodeJS.Timeout | null = null;
  let lastFlush = 0;
  let closed = false;

  const flush = (): void => {
    timer = null;
    lastFlush = Date.now();
    for (const [room, agentIds] of pending) {
      const payload: BoardHintPayload = { agentIds: [...agentIds] };
      // The workstation's sync client turns this hint into a board refresh (main pushes `board-changed`).
      io.to(room).emit(BOARD_HINT_EVENT, payload);
    }
    pending.clear();
  };

  const schedule = (): void => {
    if (timer !== null || closed) return;
    const wait = Math.max(0, lastFlush + intervalMs - Date.now());
    timer = setTimeout(flush, wait);
  };

  const teamIdsOf = async (agentId: string): Promise<string[]> => {
    const cached = teams.get(agentId);
    if (cached && cached.until > Date.now()) return cached.teamIds;
    const teamIds = await store.teamIdsOfAgents([agentId]);
    teams.set(agentId, { teamIds, until: Date.now() + TEAM_CACHE_MS });
    return teamIds;
  };

  /** Hints the boards that show the user's rows; `ownBoard` adds the user's own, for a team lead's or administrator's workstation. */
  const userChanged = (userId: string, ownBoard: boolean): void => {
    if (closed) return;
    void teamIdsOf(userId).then(
      (teamIds) => {
        const rooms = [ADMIN_ROOM, ...teamIds.map(teamRoom), ...(ownBoard ? [userRoom(userId)] : [])];
        for (const room of rooms) {
          let agents = pending.get(room);
          if (!agents) {
            agents = new Set();
            pending.set(room, agents);
          }
          agents.add(userId);
        }
        schedule();
      },
      (error: unknown) => logger.error({ err: error, userId }, 'send board hint: team lookup failed'),
    );
  };
  const agentChanged = (agentId: string): void => userChanged(agentId, false);

  // Desk state changes are written together, at most one transaction every `intervalMs`, because
  // on SQLite each commit waits for the disk and a floor of 500 agents changes state hundreds of
  // times a second. The wrap-up figures can wait that long, and the board's states come from the reports.
  let changes: DeskChange[] = [];
  let writeTimer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const writeChanges = (): Promise<void> => {
    writeTimer = null;
    const batch = changes;
    changes = [];
    if (batch.length === 0) return writing;
    writing = writing
      .then(() =>
        store.writeBoardView(async (sql) => {
          for (const change of batch) await recordDeskStateChange(sql, change);
        }),
      )
      .catch((error: unknown) => {
        // Lost rows shorten the wrap-up figures; the next change of each workstation is kept again.
        for (const change of batch) lastDesk.delete(change.workstationId);
        logger.error({ err: error, changes: batch.length }, 'record desk state changes: failed');
      });
    return writing;
  };
  let flushed = false;
  const recordChange = (workstationId: string, agentId: string, desk: { state: StoredDeskState; since: string }, reportedAt: Date): void => {
    // After the last flush the store is closing: a disconnection seen that late is not kept.
    if (flushed) return;
    const key = `${desk.state} ${desk.since}`;
    if (lastDesk.get(workstationId) === key) return;
    lastDesk.set(workstationId, key);
    changes.push({ workstationId, agentId, ...desk, reportedAt: reportedAt.toISOString() });
    writeTimer ??= setTimeout(() => void writeChanges(), intervalMs);
  };

  const onConnection = (socket: { data: { user?: User; workstationId?: string }; on(event: 'disconnect', listener: () => void): unknown }): void => {
    const { user, workstationId } = socket.data;
    if (!user || workstationId === undefined) return;
    const agent = user.role === 'agent';
    userChanged(user.id, !agent);
    socket.on('disconnect', () => {
      if (agent) {
        const at = now();
        recordChange(workstationId, user.id, { state: 'offline', since: at.toISOString() }, at);
      }
      userChanged(user.id, !agent);
    });
  };
  io.on('connection', onConnection);

  return {
    stateReported(user, workstationId, state, reportedAt) {
      if (user.role !== 'agent') {
        // A team lead's desk has no agent state, but its backlog and clock are on their board.
        userChanged(user.id, true);
        return;
      }
      const desk = deskStateOf(state, reportedAt);
      if (desk) recordChange(workstationId, user.id, desk, reportedAt);
      agentChanged(user.id);
    },
    agentChanged,
    flush: () => {
      flushed = true;
      if (writeTimer !== null) clearTimeout(writeTimer);
      return writeChanges();
    },
    close() {
      closed = true;
      io.off('connection', onConnection);
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending.clear();
    },
  };
}

const attached = new WeakMap<Server, BoardLive>();

/** Attaches the live board to `io` once; `boardLiveFor(io)` returns it to the socket handlers. */
export function attachBoardLiveTo(options: BoardLiveOptions): BoardLive {
  const live = attachBoardLive(options);
  attached.set(options.io, live);
  return live;
}

export function boardLiveFor(io: Server): BoardLive | undefined {
  return attached.get(io);
}
