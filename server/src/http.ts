/** HTTP routes: health and login. Errors go back as `{ error }` in Spanish; details stay in the log. */
import Fastify, { LogController } from 'fastify';
import { toBogotaIso } from '@gestiona/core/format';
import { INTERNAL_ERROR_MESSAGE } from '@gestiona/core/result';
import { loginRequestSchema } from '@gestiona/core/sync';
import type { z } from 'zod';
import { authenticate, WRONG_CREDENTIALS_MESSAGE } from './auth/login.ts';
import type { Logger } from './logger.ts';
import type { ServerStore } from './store/types.ts';

export interface HttpOptions {
  store: ServerStore;
  logger: Logger;
  now: () => Date;
}

/** Login bodies are a few hundred bytes; anything far larger is not a login. */
const BODY_LIMIT_BYTES = 16 * 1024;

export function buildHttpApp(options: HttpOptions) {
  const { store, logger, now } = options;
  // Requests are not logged one by one; the routes log what matters (login outcomes, failures) with ids.
  const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: BODY_LIMIT_BYTES });

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

  app.post('/api/auth/login', async (request, reply) => {
    const parsed = loginRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      const { field, message } = describeFirstIssue(parsed.error, request.body);
      return reply.code(400).send({ error: message, field });
    }

    const response = await authenticate(store, parsed.data, now());
    if (!response) {
      logger.info({ workstationId: parsed.data.workstationId }, 'login: rejected wrong credentials');
      return reply.code(401).send({ error: WRONG_CREDENTIALS_MESSAGE });
    }
    logger.info({ userId: response.user.id, workstationId: parsed.data.workstationId }, 'login: session opened');
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
