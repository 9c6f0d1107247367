/**
 * `GET /api/admin/scripts`, `GET /api/admin/scripts/:id/history` and `POST /api/admin/scripts`: the
 * call scripts in force, a script's history, and publishing a new version. Administrators only.
 */
import { toBogotaIso } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { z } from 'zod';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import { requireAdmin } from '../admin/admin-auth.ts';
import type { Logger } from '../logger.ts';
import { MAX_REASON_LENGTH } from '../store/rule-pack-operation.ts';
import type { ServerStore } from '../store/types.ts';
import { ScriptRejected } from './script-operation.ts';
import type { ScriptVersionRecord } from './types.ts';

/** A script of sixty long steps is under 300 KiB; the server's default body limit is for logins. */
const SCRIPT_BODY_LIMIT_BYTES = 512 * 1024;

const FORBIDDEN = 'Solo un administrador puede consultar o publicar los guiones.';

const publishBodySchema = z
  .object({
    script: z.record(z.string(), z.unknown()),
    reason: z.string().max(MAX_REASON_LENGTH).nullable().optional(),
  })
  .strict();

const STATUS_BY_CODE: Partial<Record<AppError['code'], number>> = { 'invalid-input': 400, forbidden: 403, conflict: 409 };

/** Builds a history entry without the script body: who published it, when, why and from where. */
export function scriptVersionJson(record: ScriptVersionRecord) {
  return {
    version: record.version,
    source: record.source,
    publishedBy: record.publishedBy === null ? null : { username: record.publishedBy.username, fullName: record.publishedBy.fullName },
    publishedAt: toBogotaIso(record.publishedAt),
    reason: record.reason,
  };
}

/** Builds a script in force with its history, as the workstation's editor reads it. */
function adminScriptJson(current: ScriptVersionRecord, history: readonly ScriptVersionRecord[]) {
  return { script: current.script, current: scriptVersionJson(current), history: history.map(scriptVersionJson) };
}

export function registerScriptRoutes(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.get('/api/admin/scripts', async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN);
    if (!user) return reply;
    const current = await store.listScripts();
    const scripts = await Promise.all(current.map(async (record) => adminScriptJson(record, await store.scriptHistory(record.scriptId))));
    logger.info({ userId: user.id, scripts: scripts.length }, 'list scripts: done');
    return { scripts };
  });

  app.get<{ Params: { id: string } }>('/api/admin/scripts/:id/history', async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN);
    if (!user) return reply;
    const history = await store.scriptHistory(request.params.id);
    if (history.length === 0) return reply.code(404).send({ error: `No hay ningún guion publicado con el identificador "${request.params.id}".` });
    logger.info({ userId: user.id, scriptId: request.params.id, versions: history.length }, 'read script history: done');
    return { scriptId: request.params.id, history: history.map((record) => ({ ...scriptVersionJson(record), script: record.script })) };
  });

  app.post('/api/admin/scripts', { bodyLimit: SCRIPT_BODY_LIMIT_BYTES }, async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN);
    if (!user) return reply;

    const body = publishBodySchema.safeParse(request.body);
    if (!body.success) {
      const field = body.error.issues[0]?.path.map(String).join('.') || '(cuerpo)';
      logger.info({ userId: user.id, field }, 'publish script: rejected invalid body');
      return reply.code(400).send({
        error: `Solicitud inválida en el campo "${field}". Envíe un objeto JSON { "script": { …guion… }, "reason": "motivo opcional" }.`,
        fields: { [field]: 'inválido' },
      });
    }

    try {
      const publication = await store.publishScript({ script: body.data.script, reason: body.data.reason, publishedBy: user.id, now: now() });
      const history = await store.scriptHistory(publication.current.scriptId);
      return reply.code(publication.published ? 201 : 200).send({ published: publication.published, script: adminScriptJson(publication.current, history) });
    } catch (error) {
      const status = error instanceof AppError ? STATUS_BY_CODE[error.code] : undefined;
      if (!(error instanceof AppError) || status === undefined) throw error;
      logger.info({ userId: user.id, code: error.code, fields: Object.keys(error.fields ?? {}) }, 'publish script: rejected');
      return reply.code(status).send({
        error: error.message,
        fields: error.fields ?? {},
        ...(error instanceof ScriptRejected ? { problems: error.problems } : {}),
      });
    }
  });
}
