/** `GET` and `POST /api/admin/rule-pack`: the rule pack in force, its history, and publishing a new one. Administrators only. */
import { toBogotaIso } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { z } from 'zod';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import type { Logger } from '../logger.ts';
import { MAX_REASON_LENGTH } from '../store/rule-pack-operation.ts';
import type { RulePackRecord, ServerStore } from '../store/types.ts';
import { requireAdmin } from './admin-auth.ts';
import { describePackChanges, sourceLabel } from './pack-text.ts';

/** A pack with a few hundred dated corrections is about 30 KiB; the server's default body limit is for logins. */
const RULE_PACK_BODY_LIMIT_BYTES = 256 * 1024;

const publishBodySchema = z
  .object({
    pack: z.record(z.string(), z.unknown()),
    reason: z.string().max(MAX_REASON_LENGTH).nullable().optional(),
  })
  .strict();

const STATUS_BY_CODE: Partial<Record<AppError['code'], number>> = { 'invalid-input': 400, forbidden: 403, conflict: 409 };

/** A history entry as the API returns it: instants in Bogotá time and the source's Spanish label. */
export function rulePackJson(record: RulePackRecord) {
  return {
    version: record.version,
    source: record.source,
    sourceLabel: sourceLabel(record.source),
    publishedBy: record.publishedBy === null ? null : { username: record.publishedBy.username, fullName: record.publishedBy.fullName },
    publishedAt: toBogotaIso(record.publishedAt),
    reason: record.reason,
    sha256: record.sha256,
    pack: record.pack,
  };
}

export function registerRulePackRoutes(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.get('/api/admin/rule-pack', async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger);
    if (!user) return reply;

    const history = await store.listRulePacks();
    logger.info({ userId: user.id, versions: history.length }, 'read rule pack: done');
    return { current: history[0] === undefined ? null : rulePackJson(history[0]), history: history.map(rulePackJson) };
  });

  app.post('/api/admin/rule-pack', { bodyLimit: RULE_PACK_BODY_LIMIT_BYTES }, async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger);
    if (!user) return reply;

    const body = publishBodySchema.safeParse(request.body);
    if (!body.success) {
      const { field, error } = describeBodyIssue(body.error, request.body);
      logger.info({ userId: user.id, field }, 'publish rule pack: rejected invalid body');
      return reply.code(400).send({ error, field });
    }

    try {
      const publication = await store.publishRulePack({ pack: body.data.pack, reason: body.data.reason, publishedBy: user.id, now: now() });
      return reply.code(publication.published ? 201 : 200).send({
        published: publication.published,
        current: rulePackJson(publication.current),
        previousVersion: publication.previous?.version ?? null,
        changes: publication.published ? describePackChanges(publication.previous?.pack ?? null, publication.current.pack) : [],
      });
    } catch (error) {
      const status = error instanceof AppError ? STATUS_BY_CODE[error.code] : undefined;
      if (!(error instanceof AppError) || status === undefined) throw error;
      logger.info({ userId: user.id, code: error.code, fields: Object.keys(error.fields ?? {}) }, 'publish rule pack: rejected');
      return reply.code(status).send({ error: error.message, fields: error.fields ?? {} });
    }
  });
}

/** Names the first invalid field of the body in Spanish, with the body the route expects. */
function describeBodyIssue(error: z.ZodError, body: unknown): { field: string; error: string } {
  const hint = 'Envíe un objeto JSON { "pack": { …paquete de reglas… }, "reason": "motivo opcional" }.';
  const issue = error.issues[0];
  if (issue === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return { field: '(cuerpo)', error: `Solicitud inválida. ${hint}` };

  if (issue.code === 'unrecognized_keys') {
    return { field: issue.keys[0] ?? '(cuerpo)', error: `Solicitud inválida: el campo "${issue.keys.join('", "')}" no se reconoce. ${hint}` };
  }
  const field = issue.path.map(String).join('.') || '(cuerpo)';
  if (field === 'pack' && !('pack' in body)) return { field, error: `Solicitud inválida: falta el campo "pack". ${hint}` };
  if (field === 'pack') return { field, error: `Solicitud inválida: el campo "pack" debe ser un objeto JSON con el paquete de reglas. ${hint}` };
  if (field === 'reason' && issue.code === 'too_big') return { field, error: `Solicitud inválida: el motivo tiene más de ${MAX_REASON_LENGTH} caracteres.` };
  return { field, error: `Solicitud inválida: el campo "${field}" debe ser un texto. ${hint}` };
}
