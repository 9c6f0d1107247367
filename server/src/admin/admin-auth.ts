/**
 * Authorisation of the administrator's HTTP routes: a live session token in
 * `Authorization: Bearer`, of an administrator. Team leads and agents get 403, because changing
 * what the gate enforces on every desk is the compliance administrator's decision alone.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '@gestiona/core/sync';
import { findLiveSession } from '../auth/login.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';

const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_.~+/=-]{20,200})$/;

/**
 * Returns the user when the request carries a live administrator session. Otherwise sends 401 (no,
 * unknown or expired token) or 403 (a team lead's or an agent's token) and returns null.
 */
export async function requireAdmin(
  store: ServerStore,
  request: FastifyRequest,
  reply: FastifyReply,
  now: Date,
  logger: Logger,
  forbiddenMessage = 'Solo un administrador puede consultar o cambiar el paquete de reglas. Pida el cambio al administrador de cumplimiento.',
): Promise<User | null> {
  const match = BEARER_PATTERN.exec(request.headers.authorization ?? '');
  if (!match) {
    logger.info({ url: request.url }, 'authorize admin: rejected missing token');
    await reply.code(401).send({ error: 'Falta la sesión: envíe el token de inicio de sesión en el encabezado "Authorization: Bearer TOKEN".' });
    return null;
  }
  const session = await findLiveSession(store, match[1]!, now);
  if (!session) {
    logger.info({ url: request.url }, 'authorize admin: rejected unknown or expired session');
    await reply.code(401).send({ error: 'La sesión no existe o venció. Inicie sesión de nuevo.' });
    return null;
  }
  if (session.user.role !== 'admin') {
    logger.warn({ url: request.url, userId: session.user.id, role: session.user.role }, 'authorize admin: rejected role');
    await reply.code(403).send({ error: forbiddenMessage });
    return null;
  }
  return session.user;
}
