/**
 * `GET /api/debtors/:id/evidence?format=json|pdf` for team leads and administrators. A team lead
 * exports only debtors that are or were leased to an agent of a team they lead. Any other debtor
 * gets the same 404 as an unknown one, because a document number is personal data and a different
 * answer would tell a team lead that the person is in the portfolio.
 */
import { normalizeDebtorId } from '@gestiona/core/debtor-id';
import { z } from 'zod';
import type { HttpRouter } from '../compliance/alarm-routes.ts';
import { ledByOf, requireSupervisor } from '../compliance/supervisor-auth.ts';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import { buildDebtorEvidence } from './build-evidence.ts';
import { renderEvidencePdf } from './evidence-pdf.ts';

const evidenceQuerySchema = z.object({ format: z.enum(['json', 'pdf']).default('json') });
const evidenceParamsSchema = z.object({ id: z.string().min(1).max(100).transform(normalizeDebtorId) });

export function registerEvidenceRoutes(app: HttpRouter, options: { store: ServerStore; logger: Logger; now: () => Date }): void {
  const { store, logger, now } = options;

  app.get('/api/debtors/:id/evidence', async (request, reply) => {
    const user = await requireSupervisor(store, request, reply, now(), logger);
    if (!user) return reply;

    const query = evidenceQuerySchema.safeParse(request.query);
    const params = evidenceParamsSchema.safeParse(request.params);
    if (!query.success || !params.success) {
      logger.info({ userId: user.id }, 'export evidence: rejected invalid request');
      return query.success
        ? reply.code(400).send({ error: 'Identificador de deudor inválido: use TIPO-NÚMERO, p. ej. CC-1020304050.', field: 'id' })
        : reply.code(400).send({ error: 'Formato inválido: use format=json o format=pdf.', field: 'format' });
    }

    const debtorId = params.data.id;
    const ledBy = ledByOf(user);
    if (ledBy !== undefined && !(await store.isDebtorLedBy(debtorId, ledBy))) {
      logger.info({ userId: user.id, debtorId }, 'export evidence: debtor not found in the teams of the team lead');
      return reply.code(404).send({ error: `El deudor ${debtorId} no existe o nunca estuvo asignado a un agente de sus equipos.` });
    }
    const evidence = await buildDebtorEvidence(store, debtorId, now());
    if (evidence === null) {
      logger.info({ userId: user.id, debtorId }, 'export evidence: debtor not found');
      return reply.code(404).send({ error: `El deudor ${debtorId} no existe.` });
    }
    logger.info({ userId: user.id, debtorId, format: query.data.format, contacts: evidence.contacts.length }, 'export evidence: done');

    if (query.data.format === 'json') return evidence;
    const pdf = await renderEvidencePdf(evidence);
    const fileName = `evidencia-${debtorId.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf`;
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName}"`).send(pdf);
  });
}
