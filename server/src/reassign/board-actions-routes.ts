/**
 * The team lead's actions on the board, for team leads (scoped to the teams they lead) and
 * administrators:
 *
 * - `GET /api/board/actions`: pending and recent reassignments, and alerts for workstations offline
 *   longer than the threshold.
 * - `GET /api/board/debtors?agentId=&q=`: debtors to pick for a reassignment.
 * - `POST /api/board/reassignments` `{ debtorIds, toAgentId }`: reassigns debtors (see `reassign-operation.ts`).
 * - `GET /api/board/debtors/:debtorId/timeline`: the debtor's history held by the server, read-only;
 *   each read is stored as a view of the debtor's file.
 * - `POST /api/board/agents/:agentId/pause` `{ reason }` and `.../resume`: pauses or resumes an agent
 *   at their workstation (see `remote-pause.ts`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Server } from 'socket.io';
import { z } from 'zod';
import { normalizeDebtorId } from '@gestiona/core/debtor-id';
import { PAUSE_REASONS } from '@gestiona/core/agent-state';
import { AppError } from '@gestiona/core/result';
import { findLiveSession } from '../auth/login.ts';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import { ledByOf } from '../compliance/supervisor-auth.ts';
import type { Logger } from '../logger.ts';
import type { LiveSession, ServerStore } from '../store/types.ts';
import { MAX_REASSIGN_DEBTORS } from './reassign-operation.ts';
import { offlineAlerts } from './offline-alerts.ts';
import { sendRemotePause } from './remote-pause.ts';
import { buildDebtorTimeline } from './timeline.ts';

const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_.~+/=-]{20,200})$/;

export const BOARD_ACTIONS_FORBIDDEN_MESSAGE = 'Solo un supervisor o un administrador puede actuar desde el tablero.';

/** How far back the board lists reassignments that are no longer pending. */
const RECENT_REASSIGNMENTS_MS = 24 * 60 * 60 * 1000;
/** How far back the board looks for pending ones: a handover by expiry comes at most a lease length (7 days) and a day later. */
const PENDING_LOOKBACK_MS = 14 * 24 * 60 * 60 * 1000;
const MAX_LISTED_REASSIGNMENTS = 200;
const MAX_LISTED_DEBTORS = 100;

const STATUS_BY_CODE: Partial<Record<AppError['code'], number>> = { 'invalid-input': 400, forbidden: 403, 'not-found': 404, conflict: 409, offline: 504 };

// People type ids as the screens show them (`CE 174799`); the store keys them `CE-174799`.
const debtorIdSchema = z.string().trim().min(1).max(100).transform(normalizeDebtorId);
const reassignBodySchema = z.object({ debtorIds: z.array(debtorIdSchema).min(1).max(MAX_REASSIGN_DEBTORS), toAgentId: z.string().trim().min(1).max(100) }).strict();
const debtorsQuerySchema = z.object({ agentId: z.string().trim().min(1).max(100).optional(), q: z.string().trim().max(100).optional() });
const pauseBodySchema = z.object({ reason: z.enum(PAUSE_REASONS) }).strict();
const agentParamsSchema = z.object({ agentId: z.string().trim().min(1).max(100) });
const debtorParamsSchema = z.object({ debtorId: debtorIdSchema });

export interface BoardActionOptions {
  store: ServerStore;
  /** The socket.io server that reaches the agents' workstations. */
  io: Server;
  logger: Logger;
  now: () => Date;
  /** Minutes without connection after which a workstation raises an alert. */
  offlineAlertMinutes: number;
}

export function registerBoardActionRoutes(app: HttpRouter, options: BoardActionOptions): void {
  const { store, logger, now } = options;

  app.get('/api/board/actions', async (request, reply) => {
    const at = now();
    const session = await requireBoardSession(store, request, reply, at, logger);
    if (!session) return reply;
    const ledBy = ledByOf(session.user);

    const listed = await store.listReassignments({ ledBy, since: new Date(at.getTime() - PENDING_LOOKBACK_MS), limit: MAX_LISTED_REASSIGNMENTS }, at);
    const recentSince = at.getTime() - RECENT_REASSIGNMENTS_MS;
    const reassignments = listed.filter((row) => row.state === 'pending' || Date.parse(row.requestedAt) >= recentSince);

    const [workstations, users] = await Promise.all([store.listWorkstations(), store.listUsers()]);
    // Only agents' workstations alert: a team lead's or administrator's desk carries no contacts.
    const agentIds = new Set(ledBy === undefined ? users.filter((user) => user.role === 'agent').map((user) => user.id) : await store.ledAgentIds(ledBy));
    const scoped = workstations.filter((workstation) => agentIds.has(workstation.agentId));
    const names = new Map(users.map((user) => [user.id, user.fullName]));
    return {
      generatedAt: at.toISOString(),
      reassignments,
      offlineAlerts: offlineAlerts(scoped, names, options.offlineAlertMinutes, at),
      offlineThresholdMinutes: options.offlineAlertMinutes,
    };
  });

  app.get('/api/board/debtors', async (request, reply) => {
    const session = await requireBoardSession(store, request, reply, now(), logger);
    if (!session) return reply;
    const query = debtorsQuerySchema.safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: 'Búsqueda inválida: use agentId=AGENTE y q=TEXTO de hasta 100 caracteres.' });

    const debtors = await store.searchBoardDebtors({ agentId: query.data.agentId, text: query.data.q, ledBy: ledByOf(session.user), limit: MAX_LISTED_DEBTORS });
    return { debtors };
  });

  app.post('/api/board/reassignments', async (request, reply) => {
    const at = now();
    const session = await requireBoardSession(store, request, reply, at, logger);
    if (!session) return reply;
    const body = reassignBodySchema.safeParse(request.body);
    if (!body.success) {
      return reply.code(400).send({ error: `Solicitud inválida: envíe { debtorIds: [...], toAgentId } con 1 a ${MAX_REASSIGN_DEBTORS} deudores.` });
    }

    const ledBy = ledByOf(session.user);
    const ids = await runAction(reply, () =>
      store.requestReassignments({ debtorIds: body.data.debtorIds, toAgentId: body.data.toAgentId, requestedBy: session.user.id, ledBy, now: at }),
    );
    if (ids === null) return reply;
    const listed = await store.listReassignments({ ledBy, since: at, limit: MAX_REASSIGN_DEBTORS }, at);
    const reassignments = listed.filter((row) => ids.includes(row.id)).reverse();
    logger.info({ userId: session.user.id, toAgentId: body.data.toAgentId, debtors: ids.length, pending: reassignments.filter((row) => row.state === 'pending').length }, 'reassign debtors: done');
    return reply.code(201).send({ reassignments });
  });

  app.get('/api/board/debtors/:debtorId/timeline', async (request, reply) => {
    const at = now();
    const session = await requireBoardSession(store, request, reply, at, logger);
    if (!session) return reply;
    const params = debtorParamsSchema.safeParse(request.params);
    if (!params.success) return reply.code(400).send({ error: 'Falta el deudor: use /api/board/debtors/DEUDOR/timeline, p. ej. CC-1020304050.' });

    const { debtorId } = params.data;
    const ledBy = ledByOf(session.user);
    if (ledBy !== undefined && !(await store.isDebtorLedBy(debtorId, ledBy))) {
      logger.info({ userId: session.user.id, debtorId }, 'read debtor timeline: outside the lead’s teams');
      return reply.code(404).send({ error: `El deudor ${debtorId} no existe o nunca estuvo asignado a un agente de sus equipos.` });
    }
    const timeline = await buildDebtorTimeline(store, debtorId, at);
    if (timeline === null) return reply.code(404).send({ error: `El deudor ${debtorId} no existe. Revise el identificador (TIPO-NÚMERO).` });

    await store.recordBoardView({ debtorId, userId: session.user.id, workstationId: session.workstationId, now: at });
    logger.info({ userId: session.user.id, debtorId, items: timeline.items.length }, 'read debtor timeline: done');
    return timeline;
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post(`/api/board/agents/:agentId/${action}`, async (request, reply) => {
      const at = now();
      const session = await requireBoardSession(store, request, reply, at, logger);
      if (!session) return reply;
      const params = agentParamsSchema.safeParse(request.params);
      const body = action === 'pause' ? pauseBodySchema.safeParse(request.body) : null;
      if (!params.success || (body !== null && !body.success)) {
        return reply.code(400).send({ error: `Solicitud inválida: envíe { reason } con uno de estos motivos: ${PAUSE_REASONS.join(', ')}.` });
      }

      const agent = await store.getUser(params.data.agentId);
      const ledBy = ledByOf(session.user);
      if (!agent || agent.role !== 'agent' || (ledBy !== undefined && !(await store.ledAgentIds(ledBy)).includes(agent.id))) {
        return reply.code(404).send({ error: `El agente ${params.data.agentId} no existe o no pertenece a los equipos que usted supervisa.` });
      }
      const reason = body?.success ? body.data.reason : null;
      return runAction(reply, () => sendRemotePause({ io: options.io, agent, lead: session.user, action, reason, now: at, logger }));
    });
  }
}

/** Runs a store or socket action, sending an `AppError` as its HTTP status with the Spanish message; returns null then. */
async function runAction<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | null> {
  try {
    return await work();
  } catch (error) {
    const status = error instanceof AppError ? STATUS_BY_CODE[error.code] : undefined;
    if (!(error instanceof AppError) || status === undefined) throw error;
    await reply.code(status).send({ error: error.message });
    return null;
  }
}

/**
 * Returns the session when the request carries a live team-lead or admin token. Otherwise sends 401
 * (no, unknown or expired token) or 403 (an agent's token) and returns null.
 */
async function requireBoardSession(store: ServerStore, request: FastifyRequest, reply: FastifyReply, now: Date, logger: Logger): Promise<LiveSession | null> {
  const match = BEARER_PATTERN.exec(request.headers.authorization ?? '');
  if (!match) {
    await reply.code(401).send({ error: 'Falta la sesión: envíe el token de inicio de sesión en el encabezado "Authorization: Bearer TOKEN".' });
    return null;
  }
  const session = await findLiveSession(store, match[1]!, now);
  if (!session) {
    await reply.code(401).send({ error: 'La sesión no existe o venció. Inicie sesión de nuevo.' });
    return null;
  }
  if (session.user.role !== 'team-lead' && session.user.role !== 'admin') {
    logger.warn({ url: request.url, userId: session.user.id, role: session.user.role }, 'board action: rejected role');
    await reply.code(403).send({ error: BOARD_ACTIONS_FORBIDDEN_MESSAGE });
    return null;
  }
  return session;
}
