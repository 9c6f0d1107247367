/**
 * `GET /api/admin/debtors/:debtorId/views`: every stored view of a debtor's file, oldest first,
 * for the Ley 1581 accountability of who saw which personal data. Administrators only.
 */
import { normalizeDebtorId } from '@gestiona/core/debtor-id';
import { z } from 'zod';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import { parseSince } from '../compliance/alarm-text.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import { requireAdmin } from './admin-auth.ts';
import { viewJson } from './view-report.ts';

const FORBIDDEN_MESSAGE = 'Solo un administrador puede consultar quién vio el expediente de un deudor. Pida el informe al administrador.';

const paramsSchema = z.object({ debtorId: z.string().trim().min(1).max(100).transform(normalizeDebtorId) });
const querySchema = z.object({ since: z.string().max(40).optional() });

export function registerViewRoutes(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.get('/api/admin/debtors/:debtorId/views', async (request, reply) => {
    const admin = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN_MESSAGE);
    if (!admin) return reply;

    const params = paramsSchema.safeParse(request.params);
    if (!params.success) return reply.code(400).send({ error: 'Falta el deudor: use /api/admin/debtors/DEUDOR/views, p. ej. CC-1020304050.' });
    const query = querySchema.safeParse(request.query);
    const since = query.success && query.data.since !== undefined ? parseSince(query.data.since) : undefined;
    if (!query.success || since === null) {
      return reply.code(400).send({ error: 'Parámetro inválido: "since". Use since=dd/mm/aaaa o un instante ISO con zona, p. ej. 2026-12-04T00:00:00-05:00.' });
    }

    const { debtorId } = params.data;
    if ((await store.getDebtorSnapshot(debtorId, now())) === null) {
      return reply.code(404).send({ error: `El deudor "${debtorId}" no existe. Use el identificador TIPO-NÚMERO, p. ej. CC-1020304050.` });
    }
    const views = await store.findDebtorViews({ debtorId, since });
    logger.info({ adminId: admin.id, debtorId, views: views.length }, 'list debtor views: done');
    return { debtorId, views: views.map(viewJson) };
  });
}
