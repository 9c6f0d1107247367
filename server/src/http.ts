/**
 * HTTP routes: health, login, session renewal and sign-out, the team lead's alarms and evidence exports, and the administrator's rule pack and user routes. Errors go back as `{ error }` in Spanish; details stay in the log.
 * Login is rate-limited per remote address and locks a username or address after repeated failures.
 *
 * NOTE: `request.ip` is the TCP peer. Behind a reverse proxy every client shares the proxy's
 * address, because Fastify's `trustProxy` is not enabled here.
 */
import Fastify, { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import { toBogotaIso } from '@gestiona/core/format';
import { INTERNAL_ERROR_MESSAGE } from '@gestiona/core/result';
import { loginRequestSchema } from '@gestiona/core/sync';
import type { z } from 'zod';
import { registerRulePackRoutes } from './admin/rule-pack-routes.ts';
import { registerStrategyRoutes } from './strategy/strategy-routes.ts';
import { registerCatalogRoutes } from './catalog/catalog-routes.ts';
import { registerScriptRoutes } from './scripts/script-routes.ts';
import { registerUserRoutes } from './admin/user-routes.ts';
import { registerViewRoutes } from './admin/view-routes.ts';
import { LoginLockout, lockedMessage, usernameLogId, type Lock, type LockoutSettings } from './auth/lockout.ts';
import { authenticate, USER_DISABLED_MESSAGE, WRONG_CREDENTIALS_MESSAGE } from './auth/login.ts';
import { registerSessionRoutes } from './auth/session-routes.ts';
import { registerBoardRoute } from './board/board-route.ts';
import { registerPaymentRoutes } from './payments/payment-routes.ts';
import { registerAlarmRoutes } from './compliance/alarm-routes.ts';
import { registerEvidenceRoutes } from './evidence/evidence-routes.ts';
import { addressKey, DEFAULT_SERVER_LIMITS, rateLimitedMessage, RateLimiter, shouldLogRejection, type MonotonicClock, type RateLimit } from './limits.ts';
import type { Logger } from './logger.ts';
import type { ServerStore } from './store/types.ts';
import type { TlsMaterial } from './tls.ts';

export interface HttpOptions {
  store: ServerStore;
  logger: Logger;
  now: () => Date;
  loginProtection?: LoginProtection;
  /** Lifetime of each renewal token, in ms; default 7 days (`DEFAULT_RENEWAL_LIFETIME_MS`). */
  renewalLifetimeMs?: number;
  /** Called after a session chain was revoked (sign-out, or a leaked renewal token), to close the workstation's sockets. */
  onSessionRevoked?: (revoked: { workstationId: string; userId: string }) => void;
  /** Serve HTTPS with this certificate; socket.io attaches to the same server, so it speaks WSS. */
  tls?: TlsMaterial;
}

export interface LoginProtection {
  /** Failure limits; default `DEFAULT_LOCKOUT`, where 5 failures of a username or 50 of an address within 15 minutes lock it for 15 minutes. */
  lockout?: LockoutSettings;
  /** Login requests per remote address, whatever their outcome; default `DEFAULT_SERVER_LIMITS.loginRequests`. */
  rate?: RateLimit;
  /** Monotonic clock of the lockout and the rate limit, so a change of the wall clock neither lifts nor extends a lock. */
  clock?: MonotonicClock;
}

/** Login bodies are a few hundred bytes; anything far larger is not a login. */
const BODY_LIMIT_BYTES = 16 * 1024;

export function buildHttpApp(options: HttpOptions) {
  const { store, logger, now } = options;
  // Requests are not logged one by one; the routes log what matters (login outcomes, failures) with ids.
  const tls = options.tls;
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify serves plain HTTP when `https` is null. Its types then still say https.Server, which
    // socket.io accepts as the http.Server it attaches to.
    https: tls ?? null,
  });
  const lockout = new LoginLockout(options.loginProtection?.lockout, options.loginProtection?.clock);
  const loginRate = new RateLimiter(options.loginProtection?.rate ?? DEFAULT_SERVER_LIMITS.loginRequests, options.loginProtection?.clock);

  app.setErrorHandler((error, request, reply) => {
    const statusCode = typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : 500;
    if (statusCode === 415) return reply.code(415).send({ error: 'Envíe el cuerpo como JSON (Content-Type: application/json).' });
    if (statusCode === 413) return reply.code(413).send({ error: 'El cuerpo de la solicitud es demasiado grande.' });
    if (statusCode >= 400 && statusCode < 500) {
      return reply.code(400).send({ error: 'El cuerpo de la solicitud no es JSON válido. Envíe un objeto JSON.' });
    }
    logger.error({ err: error, url: request.url }, 'handle request: failed');
    return reply.code(500).send({ error: INTERNAL_ERROR_MESSAGE });
  });

  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `Ruta desconocida: ${request.method} ${request.url}.` }));

  app.get('/api/health', async () => ({ ok: true, time: toBogotaIso(now()) }));
  registerAlarmRoutes(app, { store, logger, now });
  registerEvidenceRoutes(app, { store, logger, now });
  registerBoardRoute(app, { store, logger, now });
  registerRulePackRoutes(app, { store, logger, now });
  registerStrategyRoutes(app, { store, logger, now });
  registerCatalogRoutes(app, { store, logger, now });
  registerScriptRoutes(app, { store, logger, now });
  registerPaymentRoutes(app, { store, logger, now });
  registerUserRoutes(app, { store, logger, now, onSessionRevoked: options.onSessionRevoked });
  registerViewRoutes(app, { store, logger, now });
  registerSessionRoutes(app, {
    store,
    logger,
    now,
    renewalLifetimeMs: options.renewalLifetimeMs,
    clock: options.loginProtection?.clock,
    onSessionRevoked: options.onSessionRevoked,
  });

  // The rate limit runs before the body is read, so a burst costs neither parsing nor scrypt.
  const limitLoginRate = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const address = addressKey(request.ip);
    const decision = loginRate.take(address);
    if (decision.allowed) return undefined;

    if (shouldLogRejection(decision.rejections)) {
      logger.warn({ address, rejections: decision.rejections, retryAfterMs: decision.retryAfterMs }, 'limit login requests: request rejected');
    }
    return reply
      .code(429)
      .header('retry-after', String(Math.ceil(decision.retryAfterMs / 1000)))
      .send({ error: rateLimitedMessage('solicitudes de inicio de sesión', decision.retryAfterMs) });
  };

  const sendLocked = (reply: FastifyReply, lock: Lock): FastifyReply => {
    const retryAfterSeconds = Math.ceil(lock.retryAfterMs / 1000);
    return reply.code(429).header('retry-after', String(retryAfterSeconds)).send({ error: lockedMessage(lock, now()), retryAfterSeconds });
  };

  app.post('/api/auth/login', { onRequest: limitLoginRate }, async (request, reply) => {
    const parsed = loginRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const { field, message } = describeFirstIssue(parsed.error, request.body);
      return reply.code(400).send({ error: message, field });
    }

    const { username, workstationId } = parsed.data;
    const address = addressKey(request.ip);
    const logIds = { usernameHash: usernameLogId(username), address, workstationId };
    const lock = lockout.check(username, address);
    if (lock) {
      // Debug only: the start of the lock is logged once at warn, and every rejection here is already rate-limited.
      logger.debug({ ...logIds, scope: lock.scope }, 'login: rejected while locked');
      return sendLocked(reply, lock);
    }

    const result = await authenticate(store, parsed.data, now(), options.renewalLifetimeMs);
    if (!result.ok && result.reason === 'user-disabled') {
      // The password was right, so this is no guess and does not count toward the lockout.
      logger.info(logIds, 'login: rejected disabled user');
      return reply.code(403).send({ error: USER_DISABLED_MESSAGE, reason: 'user-disabled' });
    }
    if (!result.ok) {
      const started = lockout.recordFailure(username, address);
      if (started) {
        logger.warn({ ...logIds, scope: started.scope, lockMs: started.retryAfterMs }, 'login: locked after repeated failures');
        return sendLocked(reply, started);
      }
      logger.info(logIds, 'login: rejected wrong credentials');
      return reply.code(401).send({ error: WRONG_CREDENTIALS_MESSAGE });
    }

    const { response } = result;
    lockout.recordSuccess(username);
    logger.info({ userId: response.user.id, workstationId }, 'login: session opened');
    return reply.code(200).send(response);
  });

  return app;
}

/** Names the first invalid field of a request body in Spanish, e.g. `Solicitud inválida: falta el campo "password".` */
export function describeFirstIssue(error: z.ZodError, body: unknown): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(cuerpo)';
  if (!issue || field === '(cuerpo)') return { field, message: 'Solicitud inválida: envíe un objeto JSON con username, password y workstationId.' };

  switch (issue.code) {
    case 'invalid_type': {
      // zod does not keep the input in its issues, so look at the body to tell a missing field from a wrong type.
      const present = typeof body === 'object' && body !== null && String(issue.path[0]) in body;
      return !present
        ? { field, message: `Solicitud inválida: falta el campo "${field}".` }
        : { field, message: `Solicitud inválida: el campo "${field}" debe ser ${issue.expected === 'string' ? 'texto' : issue.expected}.` };
    }
    case 'too_small':
      return { field, message: `Solicitud inválida: el campo "${field}" está vacío.` };
    case 'too_big':
      return { field, message: `Solicitud inválida: el campo "${field}" es demasiado largo.` };
    default:
      return { field, message: `Solicitud inválida: el campo "${field}" no es válido.` };
  }
}

export type HttpApp = ReturnType<typeof buildHttpApp>;
