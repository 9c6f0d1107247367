/**
 * The admin API of strategies, for administrators only (403 for team leads and agents). The routes:
 * `GET /api/admin/strategy` (the set in force), `GET /api/admin/strategy/history`,
 * `POST /api/admin/strategy/preview` (movements between segments, nothing stored),
 * `POST /api/admin/strategy` (publish; 409 for a version reused with other content) and
 * `GET /api/admin/strategy/results` (per segment and treatment).
 */
import { toBogotaIso } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { z } from 'zod';
import { requireAdmin } from '../admin/admin-auth.ts';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import type { Logger } from '../logger.ts';
import { MAX_REASON_LENGTH } from '../store/rule-pack-operation.ts';
import type { ServerStore } from '../store/types.ts';
import { defaultStrategySet } from './default-strategy.ts';
import type { StrategyRecord } from './types.ts';

/** Fifty segments with their rules and timelines fit well under this. */
const STRATEGY_BODY_LIMIT_BYTES = 512 * 1024;

const publishBodySchema = z
  .object({
    strategy: z.record(z.string(), z.unknown()),
    reason: z.string().max(MAX_REASON_LENGTH).nullable().optional(),
  })
  .strict();

const previewBodySchema = z.object({ strategy: z.record(z.string(), z.unknown()) }).strict();

const STATUS_BY_CODE: Partial<Record<AppError['code'], number>> = { 'invalid-input': 400, forbidden: 403, conflict: 409 };

const BODY_HINT = 'Envíe un objeto JSON { "strategy": { …estrategia… }, "reason": "motivo opcional" }.';

/** A history entry as the API returns it, with instants in Bogotá time. */
export function strategyJson(record: StrategyRecord) {
  return {
    version: record.version,
    source: record.source,
    publishedBy: record.publishedBy === null ? null : { username: record.publishedBy.username, fullName: record.publishedBy.fullName },
    publishedAt: toBogotaIso(record.publishedAt),
    reason: record.reason,
    sha256: record.sha256,
    debtors: record.debtors,
    moved: record.moved,
    strategy: record.strategy,
  };
}

function appErrorReply(error: unknown): { status: number; body: { error: string; fields: Record<string, string> } } | null {
  if (!(error instanceof AppError)) return null;
  const status = STATUS_BY_CODE[error.code];
  return status === undefined ? null : { status, body: { error: error.message, fields: error.fields ?? {} } };
}

export function registerStrategyRoutes(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.get('/api/admin/strategy', async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger);
    if (!user) return reply;
    const [current] = await store.listStrategies(1);
    logger.info({ userId: user.id, version: current?.version ?? null }, 'read strategy: done');
    // Before the first publication the factory default is in force.
    return current === undefined ? { current: null, strategy: defaultStrategySet() } : { current: strategyJson(current), strategy: current.strategy };
  });

  app.get('/api/admin/strategy/history', async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger);
    if (!user) return reply;
    const history = await store.listStrategies();
    logger.info({ userId: user.id, versions: history.length }, 'read strategy history: done');
    return { history: history.map(strategyJson) };
  });

  app.get('/api/admin/strategy/results', async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger);
    if (!user) return reply;
    const results = await store.strategyResults();
    logger.info({ userId: user.id, rows: results.length }, 'read strategy results: done');
    return { results };
  });

  app.post('/api/admin/strategy/preview', { bodyLimit: STRATEGY_BODY_LIMIT_BYTES }, async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger);
    if (!user) return reply;
    const body = previewBodySchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: `Solicitud inválida: falta el objeto "strategy". ${BODY_HINT}`, field: 'strategy' });
    try {
      const preview = await store.previewStrategy(body.data.strategy, now());
      logger.info({ userId: user.id, version: preview.version, moved: preview.moved }, 'preview strategy: done');
      return preview;
    } catch (error) {
      const failure = appErrorReply(error);
      if (failure === null) throw error;
      logger.info({ userId: user.id, fields: Object.keys(failure.body.fields) }, 'preview strategy: rejected');
      return reply.code(failure.status).send(failure.body);
    }
  });

  app.post('/api/admin/strategy', { bodyLimit: STRATEGY_BODY_LIMIT_BYTES }, async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger);
    if (!user) return reply;
    const body = publishBodySchema.safeParse(request.body);
    if (!body.success) {
      const issue = body.error.issues[0];
      const field = issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? '(cuerpo)') : issue?.path.map(String).join('.') || '(cuerpo)';
      logger.info({ userId: user.id, field }, 'publish strategy: rejected invalid body');
      return reply.code(400).send({ error: `Solicitud inválida en el campo "${field}". ${BODY_HINT}`, field });
    }
    try {
      const publication = await store.publishStrategy({ strategy: body.data.strategy, reason: body.data.reason, publishedBy: user.id, now: now() });
      return reply.code(publication.published ? 201 : 200).send({
        published: publication.published,
        current: strategyJson(publication.current),
        previousVersion: publication.previous?.version ?? null,
        preview: publication.preview,
      });
    } catch (error) {
      const failure = appErrorReply(error);
      if (failure === null) throw error;
      logger.info({ userId: user.id, code: (error as AppError).code, fields: Object.keys(failure.body.fields) }, 'publish strategy: rejected');
      return reply.code(failure.status).send(failure.body);
    }
  });
}
