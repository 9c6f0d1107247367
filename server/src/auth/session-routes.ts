/**
 * `POST /api/auth/renew` and `POST /api/auth/logout`. A renewal exchanges a renewal token once for
 * a new session token and renewal token. A retired renewal token presented again, or a token
 * presented by another workstation, means a copy leaked, so its whole chain is revoked and the
 * workstation's sockets are dropped.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toBogotaIso } from '@gestiona/core/format';
import { renewRequestSchema, type RenewRefusal, type RenewResponse } from '@gestiona/core/sync';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import { addressKey, DEFAULT_SERVER_LIMITS, RateLimiter, shouldLogRejection, type MonotonicClock, type RateLimit } from '../limits.ts';
import type { Logger } from '../logger.ts';
import type { RenewalOutcome, ServerStore } from '../store/types.ts';
import { DEFAULT_RENEWAL_LIFETIME_MS, hashToken, newRenewalToken, newSessionToken, SESSION_LIFETIME_MS } from './tokens.ts';

export interface SessionRouteOptions {
  store: ServerStore;
  logger: Logger;
  now: () => Date;
  /** Lifetime of each renewal token, in ms; default `DEFAULT_RENEWAL_LIFETIME_MS` (7 days). */
  renewalLifetimeMs?: number;
  /** Renewal and logout requests per remote address; default the socket handshake limit, since a whole office renews when it reconnects. */
  rate?: RateLimit;
  clock?: MonotonicClock;
  /** Called after a commit that revoked a session chain, so that the workstation's open sockets are closed. */
  onSessionRevoked?: (revoked: { workstationId: string; userId: string }) => void;
}

export const RENEWAL_MESSAGES: Record<RenewRefusal['reason'], string> = {
  invalid: 'La sesión guardada en esta estación no es válida. Inicie sesión de nuevo con su usuario y contraseña.',
  expired: 'La sesión guardada en esta estación venció. Inicie sesión de nuevo con su usuario y contraseña.',
  revoked: 'La sesión de esta estación fue cerrada en el servidor central. Inicie sesión de nuevo con su usuario y contraseña.',
  'user-disabled': 'Su usuario está deshabilitado en el servidor central. Pida a su supervisor que lo revise.',
};

const BEARER_PATTERN = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

export function registerSessionRoutes(app: HttpRouter, options: SessionRouteOptions): void {
  const { store, logger, now } = options;
  const renewalLifetimeMs = options.renewalLifetimeMs ?? DEFAULT_RENEWAL_LIFETIME_MS;
  if (!(renewalLifetimeMs > 0)) throw new Error(`renewalLifetimeMs must be positive, got ${renewalLifetimeMs}`);
  const limiter = new RateLimiter(options.rate ?? DEFAULT_SERVER_LIMITS.socketConnections, options.clock);

  const limitRate = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const address = addressKey(request.ip);
    const decision = limiter.take(address);
    if (decision.allowed) return undefined;
    if (shouldLogRejection(decision.rejections)) {
      logger.warn({ address, rejections: decision.rejections, retryAfterMs: decision.retryAfterMs }, 'limit session requests: request rejected');
    }
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    return reply
      .code(429)
      .header('retry-after', String(seconds))
      .send({ error: `Demasiadas solicitudes de sesión desde esta dirección de red. Intente de nuevo en ${seconds} segundo${seconds === 1 ? '' : 's'}.` });
  };

  const announceRevoked = (revoked: { workstationId: string; userId: string }): void => {
    try {
      options.onSessionRevoked?.(revoked);
    } catch (error) {
      logger.error({ err: error, workstationId: revoked.workstationId }, 'close sockets of revoked session: failed');
    }
  };

  app.post('/api/auth/renew', { onRequest: limitRate }, async (request, reply) => {
    const parsed = renewRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.') || '(cuerpo)';
      return reply.code(400).send({ error: `Solicitud inválida: revise el campo "${field}". Envíe un objeto JSON con renewalToken y workstationId.`, field });
    }

    const at = now();
    const token = newSessionToken();
    const renewalToken = newRenewalToken();
    const expiresAt = new Date(at.getTime() + SESSION_LIFETIME_MS);
    const renewalExpiresAt = new Date(at.getTime() + renewalLifetimeMs);
    const outcome = await store.renewSession({
      renewalTokenHash: hashToken(parsed.data.renewalToken),
      workstationId: parsed.data.workstationId,
      nextSessionTokenHash: hashToken(token),
      sessionExpiresAt: expiresAt,
      nextRenewalTokenHash: hashToken(renewalToken),
      renewalExpiresAt,
      now: at,
    });

    if (outcome.status === 'renewed') {
      logger.info({ userId: outcome.user.id, workstationId: parsed.data.workstationId, chainId: outcome.chainId }, 'renew session: renewed');
      const response: RenewResponse = { token, expiresAt: toBogotaIso(expiresAt), user: outcome.user, renewalToken, renewalExpiresAt: toBogotaIso(renewalExpiresAt) };
      return reply.code(200).send(response);
    }
    const refusal = refuse(outcome, parsed.data.workstationId, logger);
    if (outcome.status === 'reused' || outcome.status === 'wrong-workstation') announceRevoked(outcome);
    return reply.code(refusal.reason === 'user-disabled' ? 403 : 401).send(refusal);
  });

  app.post('/api/auth/logout', { onRequest: limitRate }, async (request, reply) => {
    const match = BEARER_PATTERN.exec(request.headers.authorization ?? '');
    if (!match) {
      return reply.code(401).send({ error: 'Falta la sesión: envíe el encabezado "Authorization: Bearer <token de sesión>".' });
    }
    const owner = await store.revokeSession(hashToken(match[1]!), now());
    if (owner) {
      logger.info({ userId: owner.userId, workstationId: owner.workstationId, chainId: owner.chainId }, 'logout: session revoked');
      announceRevoked(owner);
    } else {
      logger.info('logout: no session for the token');
    }
    // The same response whether or not the token named a session, so that it reveals nothing.
    return reply.code(204).send();
  });
}

/** Builds the refusal body for a renewal that did not renew, and logs it; a leaked token is logged at warn. */
function refuse(outcome: Exclude<RenewalOutcome, { status: 'renewed' }>, presentedBy: string, logger: Logger): RenewRefusal {
  const reason = refusalReason(outcome);
  if (outcome.status === 'unknown') {
    logger.info({ workstationId: presentedBy }, 'renew session: rejected unknown renewal token');
  } else if (outcome.status === 'reused' || outcome.status === 'wrong-workstation') {
    logger.warn(
      { userId: outcome.userId, workstationId: outcome.workstationId, presentedBy, chainId: outcome.chainId, cause: outcome.status },
      'renew session: retired or foreign renewal token presented, chain revoked',
    );
  } else {
    logger.info({ userId: outcome.userId, workstationId: outcome.workstationId, chainId: outcome.chainId, cause: outcome.status }, 'renew session: rejected');
  }
  return { error: RENEWAL_MESSAGES[reason], reason };
}

function refusalReason(outcome: Exclude<RenewalOutcome, { status: 'renewed' }>): RenewRefusal['reason'] {
  switch (outcome.status) {
    case 'unknown':
      return 'invalid';
    case 'expired':
      return 'expired';
    case 'user-inactive':
      return 'user-disabled';
    case 'revoked':
    case 'reused':
    case 'wrong-workstation':
      return 'revoked';
  }
}
