/**
 * Authorisation of the team lead's HTTP routes: a live session token in `Authorization: Bearer`,
 * of a team lead or an administrator. Agents work debtors and never read other agents' evidence.
 * A team lead then sees only the agents of the teams they lead (`ledByOf`), an administrator every agent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@gestiona/core/sync';
import { findLiveSession } from '../auth/login.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';

const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_.~+/=-]{20,200})$/;

/**
 * Returns the user when the request carries a live team-lead or admin session. Otherwise sends
 * 401 (no or unknown token) or 403 (an agent's token) and returns null.
 */
export async function requireSupervisor(store: ServerStore, request: FastifyRequest, reply: FastifyReply, now: Date, logger: Logger): Promise<User | null> {
  const match = BEARER_PATTERN.exec(request.headers.authorization ?? '');
  if (!match) {
    logger.info({ url: request.url }, 'authorize supervisor: rejected missing token');
    await reply.code(401).send({ error: 'Falta la sesión: envíe el token de inicio de sesión en el encabezado "Authorization: Bearer TOKEN".' });
    return null;
  }
  const session = await findLiveSession(store, match[1]!, now);
  if (!session) {
    logger.info({ url: request.url }, 'authorize supervisor: rejected unknown or expired session');
    await reply.code(401).send({ error: 'La sesión no existe o venció. Inicie sesión de nuevo.' });
    return null;
  }
  if (session.user.role !== 'team-lead' && session.user.role !== 'admin') {
    logger.warn({ url: request.url, userId: session.user.id, role: session.user.role }, 'authorize supervisor: rejected role');
    await reply.code(403).send({ error: 'Solo un supervisor o un administrador puede consultar las alarmas y la evidencia.' });
    return null;
  }
  return session.user;
}

/**
 * Returns the user id that scopes a supervisor's reads to the teams they lead, or undefined for an
 * administrator, who sees every team. Store queries take it as `ledBy`.
 */
export function ledByOf(user: User): string | undefined {
  return user.role === 'admin' ? undefined : user.id;
}
