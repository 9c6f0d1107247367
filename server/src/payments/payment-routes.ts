/**
 * `POST /api/admin/payments`: imports a creditor's payments file and reconciles it with the
 * promises, as `npm run server -- payments import` does. Administrators only. The body is JSON
 * with the file in base64, so the route needs no multipart parser.
 */
import { z } from 'zod';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import { requireAdmin } from '../admin/admin-auth.ts';
import { formatProblem, PortfolioImportError } from '../import/problems.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';

/** Largest file accepted, before base64 (which adds a third). */
export const MAX_PAYMENTS_FILE_BYTES = 20 * 1024 * 1024;
const PAYMENTS_BODY_LIMIT_BYTES = Math.ceil((MAX_PAYMENTS_FILE_BYTES * 4) / 3) + 64 * 1024;

export const FORBIDDEN_MESSAGE = 'Solo un administrador puede importar el archivo de pagos. Pida la importación al administrador.';

const importBodySchema = z
  .object({
    fileName: z.string().min(1).max(200),
    contentBase64: z.string().min(1),
    creditor: z.string().max(200).nullable().optional(),
  })
  .strict();

export function registerPaymentRoutes(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.post('/api/admin/payments', { bodyLimit: PAYMENTS_BODY_LIMIT_BYTES }, async (request, reply) => {
    const user = await requireAdmin(store, request, reply, now(), logger, FORBIDDEN_MESSAGE);
    if (!user) return reply;

    const body = importBodySchema.safeParse(request.body);
    if (!body.success) {
      logger.info({ userId: user.id }, 'import payments: rejected invalid body');
      return reply.code(400).send({ error: 'Envíe un objeto JSON { "fileName": "pagos.csv", "contentBase64": "…", "creditor": "entidad opcional" }.' });
    }
    const bytes = Buffer.from(body.data.contentBase64, 'base64');
    if (bytes.length > MAX_PAYMENTS_FILE_BYTES) {
      return reply.code(413).send({ error: `El archivo pesa más de ${MAX_PAYMENTS_FILE_BYTES / 1024 / 1024} MiB. Divídalo en varios archivos.` });
    }

    try {
      const summary = await store.importPayments({
        fileName: body.data.fileName,
        bytes,
        creditor: body.data.creditor ?? null,
        importedBy: user.username,
        now: now(),
      });
      logger.info({ userId: user.id, importId: summary.importId, stored: summary.stored, duplicates: summary.duplicates }, 'import payments: done');
      return reply.code(summary.stored > 0 ? 201 : 200).send(summary);
    } catch (error) {
      if (!(error instanceof PortfolioImportError)) throw error;
      logger.info({ userId: user.id, problems: error.total }, 'import payments: rejected file');
      return reply.code(400).send({ error: error.message, problems: error.problems.map((problem) => ({ ...problem, text: formatProblem(problem) })), total: error.total });
    }
  });
}
