/**
 * The administrator's catalog API (`GET /api/admin/catalog`, `GET /api/admin/catalog/history`,
 * `POST /api/admin/catalog`) and the supervisor's collection holds (`GET /api/holds`,
 * `POST /api/holds/:debtorId/lift`). Publishing is for administrators only; team leads and
 * administrators lift holds.
 */
import { normalizeDebtorId } from '@gestiona/core/debtor-id';
import { toBogotaIso } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { holdKindSchema } from '@gestiona/core/catalog-holds';
import { z } from 'zod';
import { requireAdmin } from '../admin/admin-auth.ts';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import { ledByOf, requireSupervisor } from '../compliance/supervisor-auth.ts';
import type { Logger } from '../logger.ts';
import { MAX_REASON_LENGTH } from '../store/rule-pack-operation.ts';
import type { ServerStore } from '../store/types.ts';
import { MAX_LIFT_REASON_LENGTH } from './holds.ts';
import type { CatalogVersionRecord, CollectionHoldRecord } from './types.ts';

/** A catalog of a few hundred codes is well under this. */
const CATALOG_BODY_LIMIT_BYTES = 512 * 1024;

const FORBIDDEN_MESSAGE = 'Solo un administrador puede consultar o cambiar el catálogo de tipificación. Pida el cambio al administrador.';

const publishBodySchema = z
  .object({
    catalog: z.record(z.string(), z.unknown()),
    reason: z.string().max(MAX_REASON_LENGTH).nullable().optional(),
  })
  .strict();

const liftBodySchema = z.object({ reason: z.string().min(1).max(MAX_LIFT_REASON_LENGTH), kind: holdKindSchema.optional() }).strict();
const debtorIdSchema = z.string().min(1).max(100).transform(normalizeDebtorId);

const STATUS_BY_CODE: Partial<Record<AppError['code'], number>> = { 'invalid-input': 400, forbidden: 403, conflict: 409, 'not-found': 404 };

export function catalogVersionJson(record: CatalogVersionRecord) {
  return {
    version: record.version,
    source: record.source,
    sourceLabel: record.source === 'admin' ? 'Publicado por un administrador' : 'Archivo de fábrica (resources/catalog.json)',
    publishedBy: record.publishedBy === null ? null : { username: record.publishedBy.username, fullName: record.publishedBy.fullName },
    publishedAt: toBogotaIso(record.publishedAt),
    reason: record.reason,
    sha256: record.sha256,
    catalog: record.catalog,
  };
}

export function holdJson(hold: CollectionHoldRecord) {
  return {
    debtorId: hold.debtorId,
    debtorName: hold.debtorName,
    kind: hold.kind,
    code: hold.code,
    since: toBogotaIso(hold.since),
    interactionId: hold.interactionId,
    agentId: hold.agentId,
    liftedAt: hold.liftedAt === null ? null : toBogotaIso(hold.liftedAt),
    liftedBy: hold.liftedBy,
    liftReason: hold.liftReason,
  };
}

export function registerCatalogRoutes(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.get('/api/admin/catalog', async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN_MESSAGE);
    if (!user) return reply;
    const [current] = await store.listCatalogVersions(1);
    logger.info({ userId: user.id, version: current?.version }, 'read catalog: done');
    return { current: current === undefined ? null : catalogVersionJson(current) };
  });

  app.get('/api/admin/catalog/history', async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN_MESSAGE);
    if (!user) return reply;
    const history = await store.listCatalogVersions();
    logger.info({ userId: user.id, versions: history.length }, 'read catalog history: done');
    return { history: history.map(catalogVersionJson) };
  });

  app.post('/api/admin/catalog', { bodyLimit: CATALOG_BODY_LIMIT_BYTES }, async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN_MESSAGE);
    if (!user) return reply;

    const body = publishBodySchema.safeParse(request.body);
    if (!body.success) {
      const field = body.error.issues[0]?.path.map(String).join('.') || '(cuerpo)';
      logger.info({ userId: user.id, field }, 'publish catalog: rejected invalid body');
      return reply.code(400).send({
        error: `Solicitud inválida en "${field}". Envíe un objeto JSON { "catalog": { …catálogo… }, "reason": "motivo opcional" }.`,
        fields: { [field]: 'inválido' },
      });
    }
    try {
      const publication = await store.publishCatalog({ catalog: body.data.catalog, reason: body.data.reason, publishedBy: user.id, now: now() });
      return reply.code(publication.published ? 201 : 200).send({
        published: publication.published,
        current: catalogVersionJson(publication.current),
        previousVersion: publication.previous?.version ?? null,
      });
    } catch (error) {
      const failure = appErrorReply(error, logger, user.id, 'publish catalog');
      return reply.code(failure.status).send(failure.body);
    }
  });

  app.get('/api/holds', async (request, reply) => {
    const user = await requireSupervisor(store, request, reply, now(), logger);
    if (!user) return reply;
    const holds = await store.listCollectionHolds();
    // A team lead lists only the holds of debtors worked in their teams, as with alarms and evidence.
    const ledBy = ledByOf(user);
    const visible = [];
    for (const hold of holds) if (ledBy === undefined || (await store.isDebtorLedBy(hold.debtorId, ledBy))) visible.push(hold);
    return { holds: visible.map(holdJson) };
  });

  app.post<{ Params: { debtorId: string } }>('/api/holds/:debtorId/lift', async (request, reply) => {
    const user = await requireSupervisor(store, request, reply, now(), logger);
    if (!user) return reply;
    const debtorId = debtorIdSchema.safeParse(request.params.debtorId);
    const body = liftBodySchema.safeParse(request.body);
    if (!debtorId.success || !body.success) {
      return reply.code(400).send({ error: `Escriba el motivo para levantar la pausa: { "reason": "…" } (de 1 a ${MAX_LIFT_REASON_LENGTH} caracteres).`, fields: { reason: 'obligatorio' } });
    }
    const ledBy = ledByOf(user);
    if (ledBy !== undefined && !(await store.isDebtorLedBy(debtorId.data, ledBy))) {
      // The same response as for an unknown debtor, because a document number is personal data.
      logger.info({ userId: user.id, debtorId: debtorId.data }, 'lift collection holds: rejected debtor outside the lead teams');
      return reply.code(404).send({ error: `El deudor ${debtorId.data} no existe o nunca estuvo asignado a un agente de sus equipos.` });
    }
    try {
      const lifted = await store.liftCollectionHolds({ debtorId: debtorId.data, liftedBy: user.id, reason: body.data.reason, kind: body.data.kind, now: now() });
      return { lifted: lifted.map(holdJson) };
    } catch (error) {
      const failure = appErrorReply(error, logger, user.id, 'lift collection holds');
      return reply.code(failure.status).send(failure.body);
    }
  });
}

/** Maps an expected `AppError` to its HTTP status and body; anything else is rethrown as a server error. */
function appErrorReply(error: unknown, logger: Logger, userId: string, action: string): { status: number; body: { error: string; fields: Record<string, string> } } {
  const status = error instanceof AppError ? STATUS_BY_CODE[error.code] : undefined;
  if (!(error instanceof AppError) || status === undefined) throw error;
  logger.info({ userId, code: error.code, fields: Object.keys(error.fields ?? {}) }, `${action}: rejected`);
  return { status, body: { error: error.message, fields: error.fields ?? {} } };
}
