/**
 * The socket.io side of sync, on the same HTTP server as the routes. Every socket is authenticated
 * at the handshake. Each handler replies through its acknowledgement, and a malformed payload gets
 * an error acknowledgement instead of reaching the store.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { toBogotaIso } from '@gestiona/core/format';
import { INTERNAL_ERROR_MESSAGE } from '@gestiona/core/result';
import { pullRequestSchema, pushRequestSchema, SOCKET_EVENTS, socketAuthSchema, type PullAck, type PushAck, type User } from '@gestiona/core/sync';
import { findLiveSession } from './auth/login.ts';
import { attachBoardLiveTo, boardLiveFor } from './board/board-live.ts';
import { orderBatchBySeq } from './compliance/batch-order.ts';
import { ingestLimitsFor, socketConnectionGate, type IngestLimits, type SocketConnectionRate } from './limits.ts';
import type { Logger } from './logger.ts';
import type { RaisedAlarm, ServerStore } from './store/types.ts';
import { GroupCommitter } from './sync/group-commit.ts';
import { ingestBatch } from './sync/ingest.ts';
import { IngestGate } from './sync/ingest-gate.ts';
import { workstationStateSchema } from './sync/workstation-state.ts';
import { TaskQueue } from './task-queue.ts';

/** A full push batch (200 events of a few KiB each) fits with room to spare; larger frames are refused by socket.io. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export const UNAUTHORIZED = 'unauthorized';

interface SocketData {
  user: User;
  workstationId: string;
}

type GestionaSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

export interface SocketOptions {
  httpServer: HttpServer;
  store: ServerStore;
  logger: Logger;
  now: () => Date;
  /** socket.io adapter shared by several server nodes (the Redis adapter); default: this node's rooms only. */
  adapter?: ServerOptions['adapter'];
  /** Handshakes accepted per remote address; default `DEFAULT_SERVER_LIMITS.socketConnections`. */
  connectionRate?: SocketConnectionRate;
  /** Push events ingested and batches held at once on this node; default `ingestLimitsFor(store.groupCommit)`. */
  ingestLimits?: IngestLimits;
}

/** Sent with `retryAfterMs` when this node's ingest queue is full; the client waits and sends the batch again. */
export const INGEST_BUSY_MESSAGE = 'Servidor ocupado: el lote no se procesó y la estación lo reenviará en unos segundos (server busy).';

export const agentRoom = (agentId: string): string => `agent:${agentId}`;
export const workstationRoom = (workstationId: string): string => `workstation:${workstationId}`;
/** The sockets of every signed-in user of one role; administrators get every alarm hint. */
export const roleRoom = (role: User['role']): string => `role:${role}`;
/** The sockets of the team leads of one team; they get the alarm hints of that team's agents. */
export const teamRoom = (teamId: string): string => `team:${teamId}`;

export interface AttachedSockets {
  io: Server;
  /**
   * Closes every socket of the workstation, on every node when the adapter is shared. A revoked
   * session's socket stays open otherwise, because sessions are checked only at the handshake.
   */
  disconnectWorkstation(workstationId: string): void;
  close(): Promise<void>;
}

export function attachSocketServer(options: SocketOptions): AttachedSockets {
  const { store, logger, now } = options;
  const allowRequest = socketConnectionGate(options.connectionRate, logger);
  const io = new Server(options.httpServer, { maxHttpBufferSize: MAX_MESSAGE_BYTES, serveClient: false, adapter: options.adapter, allowRequest });
  const ingestGate = new IngestGate(options.ingestLimits ?? ingestLimitsFor(store.groupCommit));
  // The admitted batches of every socket share transactions (group commit).
  const committer = new GroupCommitter(store, logger);
  // Board hints to team leads and administrators when an agent's state or figures change.
  const boardLive = attachBoardLiveTo({ io, store, logger, now });

  io.use((socket: GestionaSocket, next) => {
    void authenticateSocket(socket, store, now).then(
      (rejection) => {
        if (rejection) logger.info({ socketId: socket.id, reason: rejection }, 'authenticate socket: rejected');
        next(rejection ? new Error(UNAUTHORIZED) : undefined);
      },
      (error: unknown) => {
        logger.error({ err: error, socketId: socket.id }, 'authenticate socket: failed');
        next(new Error(UNAUTHORIZED));
      },
    );
  });

  // Disconnect records still being written, so that close() lets them finish before the store closes.
  const disconnectWrites = new Set<Promise<void>>();
  io.on('connection', (socket: GestionaSocket) => {
    void onConnection(socket, options, ingestGate, committer, disconnectWrites).catch((error: unknown) => {
      logger.error({ err: error, socketId: socket.id }, 'open socket: failed');
      socket.disconnect(true);
    });
  });

  // With a shared adapter, these emits also reach the matching sockets on the other nodes.
  const unsubscribe = store.onFeedChange((hint) => {
    if (hint.global) io.emit(SOCKET_EVENTS.feedHint);
    else for (const agentId of hint.agentIds) io.to(agentRoom(agentId)).emit(SOCKET_EVENTS.feedHint);
  });
  const unsubscribeAlarms = store.onAlarmRaised((alarms) => {
    void alarmRooms(store, alarms).then(
      (rooms) => {
        io.to(rooms).emit(SOCKET_EVENTS.alarmHint);
        logger.debug({ alarms: alarms.length, rooms: rooms.length }, 'send alarm hint: done');
      },
      (error: unknown) => logger.error({ err: error, alarms: alarms.length }, 'send alarm hint: team lookup failed'),
    );
  });

  return {
    io,
    disconnectWorkstation: (workstationId) => {
      logger.info({ workstationId }, 'close sockets of revoked session: requested');
      io.in(workstationRoom(workstationId)).disconnectSockets(true);
    },
    close: async () => {
      unsubscribe();
      unsubscribeAlarms();
      boardLive.close();
      // `local`: with a shared adapter, a plain disconnectSockets would also drop the other nodes' sockets.
      io.local.disconnectSockets(true);
      await Promise.allSettled([...disconnectWrites]);
      await boardLive.flush();
      await io.of('/').adapter.close();
      // io.close() would also close the HTTP server, which belongs to the HTTP app; close only the engine.
      io.engine.close();
    },
  };
}

/** Returns the rooms that hear about these alarms: every administrator and the leads of the agents' teams. */
async function alarmRooms(store: ServerStore, alarms: readonly RaisedAlarm[]): Promise<string[]> {
  const teamIds = await store.teamIdsOfAgents([...new Set(alarms.map((alarm) => alarm.agentId))]);
  return [roleRoom('admin'), ...teamIds.map(teamRoom)];
}

/** Returns why the handshake is refused, or null when it is accepted (and the socket carries its user). */
async function authenticateSocket(socket: GestionaSocket, store: ServerStore, now: () => Date): Promise<string | null> {
  const auth = socketAuthSchema.safeParse(socket.handshake.auth);
  if (!auth.success) return 'malformed auth';

  const session = await findLiveSession(store, auth.data.token, now());
  if (!session) return 'no live session for the token';
  if (session.workstationId !== auth.data.workstationId) return 'token issued to another workstation';

  socket.data = { user: session.user, workstationId: auth.data.workstationId };
  return null;
}

async function onConnection(
  socket: GestionaSocket,
  options: SocketOptions,
  ingestGate: IngestGate,
  committer: GroupCommitter,
  disconnectWrites: Set<Promise<void>>,
): Promise<void> {
  const { store, now } = options;
  const { user, workstationId } = socket.data;
  const logger = options.logger.child({ userId: user.id, workstationId, socketId: socket.id });

  // This socket's workstation writes run in order. With PostgreSQL each store call may take
  // another pooled connection, so a state report or the disconnect could otherwise reach the
  // database before the row that the connection inserts.
  const workstationWrites = new TaskQueue();
  const recorded = workstationWrites.run(() => store.workstationConnected(workstationId, user.id, now()));

  registerHandlers(socket, options, logger, workstationWrites, ingestGate, committer);
  socket.on('disconnect', (reason) => {
    logger.info({ reason }, 'close socket: disconnected');
    const written = workstationWrites
      .run(() => store.workstationDisconnected(workstationId, now()))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'record workstation disconnect: failed');
      })
      .finally(() => disconnectWrites.delete(written));
    disconnectWrites.add(written);
  });

  // Team rooms are joined once, at connect: a team lead given another team sees its hints after reconnecting.
  const teamRooms = user.role === 'team-lead' ? (await store.teamIdsLedBy(user.id)).map(teamRoom) : [];
  await socket.join([agentRoom(user.id), workstationRoom(workstationId), roleRoom(user.role), ...teamRooms]);
  await recorded;
  const renewed = user.role === 'agent' ? await store.renewLeases(user.id, now()) : 0;
  logger.info({ renewed }, 'open socket: connected');
}

function registerHandlers(
  socket: GestionaSocket,
  options: SocketOptions,
  logger: Logger,
  workstationWrites: TaskQueue,
  ingestGate: IngestGate,
  committer: GroupCommitter,
): void {
  const { store, now } = options;
  const { user, workstationId } = socket.data;

  handleWithAck(socket, SOCKET_EVENTS.pushEvents, logger, async (payload): Promise<PushAck> => {
    const request = pushRequestSchema.safeParse(payload);
    if (!request.success) {
      logger.warn({ issues: request.error.issues.length }, 'push events: rejected malformed batch');
      return { ok: false, error: 'Lote inválido: envíe { events: [...] } con 1 a 200 eventos (invalid batch).' };
    }
    const events = orderBatchBySeq(request.data.events);
    const gate = ingestGate.tryRun(events.length, () => ingestBatch(store, events, { agentId: user.id, workstationId }, now(), logger, committer));
    if (!gate.admitted) {
      const stats = ingestGate.stats();
      // One line per hundred turned-away batches: a restart storm turns away thousands.
      if (stats.turnedAway === 1 || stats.turnedAway % 100 === 0) {
        logger.warn({ ...stats, retryAfterMs: gate.retryAfterMs, events: events.length }, 'push events: ingest queue full, batch turned away');
      }
      return { ok: false, error: INGEST_BUSY_MESSAGE, retryAfterMs: gate.retryAfterMs };
    }
    const results = await gate.result;
    boardLiveFor(socket.nsp.server)?.agentChanged(user.id);
    return { ok: true, results };
  });

  handleWithAck(socket, SOCKET_EVENTS.pullFeed, logger, async (payload): Promise<PullAck> => {
    const request = pullRequestSchema.safeParse(payload);
    if (!request.success) {
      logger.warn('pull feed: rejected malformed request');
      return { ok: false, error: 'Solicitud inválida: envíe { after, limit } con after ≥ 0 y limit de 1 a 500 (invalid pull).' };
    }
    const page = await store.pullFeed(user.id, request.data.after, request.data.limit);
    return { ok: true, ...page };
  });

  handleWithAck(socket, SOCKET_EVENTS.clockPing, logger, async () => ({ serverTime: toBogotaIso(now()) }));

  socket.on(SOCKET_EVENTS.reportState, (...args: unknown[]) => {
    const ack = typeof args.at(-1) === 'function' ? (args.at(-1) as (response: unknown) => void) : null;
    const state = workstationStateSchema.safeParse(args[0]);
    if (!state.success) {
      logger.warn('record workstation state: rejected malformed state');
      ack?.({ ok: false, error: 'Estado inválido: envíe un objeto plano de hasta 32 claves (invalid state).' });
      return;
    }
    const reportedAt = now();
    workstationWrites.run(() => store.recordWorkstationState(workstationId, state.data, reportedAt, user.id)).then(
      () => {
        ack?.({ ok: true });
        boardLiveFor(socket.nsp.server)?.stateReported(user, workstationId, state.data, reportedAt);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'record workstation state: failed');
        ack?.({ ok: false, error: INTERNAL_ERROR_MESSAGE });
      },
    );
  });
}

/**
 * Registers a handler whose result is sent through the acknowledgement. A call without an
 * acknowledgement gets no reply, so it is logged and ignored. A thrown error becomes an error
 * acknowledgement with the generic message.
 */
function handleWithAck(socket: GestionaSocket, event: string, logger: Logger, handler: (payload: unknown) => Promise<unknown>): void {
  socket.on(event, (...args: unknown[]) => {
    const last = args.at(-1);
    if (typeof last !== 'function') {
      logger.warn({ event }, 'handle socket event: ignored call without acknowledgement');
      return;
    }
    const ack = last as (response: unknown) => void;
    handler(args.length > 1 ? args[0] : undefined).then(ack, (error: unknown) => {
      logger.error({ err: error, event }, 'handle socket event: failed');
      ack({ ok: false, error: INTERNAL_ERROR_MESSAGE });
    });
  });
}
