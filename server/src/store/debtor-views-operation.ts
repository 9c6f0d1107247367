/**
 * Ingest of `debtor.viewed`: one view of a debtor's file, stored once. A view by an agent who did
 * not hold the debtor's lease at that instant is stored too, because it is the evidence of an
 * access to personal data, and it raises a `violation` alarm for the team lead. A file reopened to
 * typify a contact that this workstation placed under the lease shortly before raises none.
 */
import { formatDateTime } from '@gestiona/core/format';
import type { Logger } from '../logger.ts';
import { viewReasonText, type DebtorViewedEvent } from './debtor-views.ts';
import type { Tables } from './tables.ts';
import type { IngestContext, IngestOutcome, RejectionCode } from './types.ts';

type Reject = (code: RejectionCode, reason: string) => Promise<IngestOutcome>;

/**
 * How long after an allowed contact a reopen for its wrap-up raises no alarm. A workstation keeps a
 * pending wrap-up across restarts, so an agent who dialled before the lease ended may finish it the
 * next working day; 72 hours cover a weekend.
 */
const WRAP_UP_EXCUSE_MS = 72 * 60 * 60 * 1000;

export async function ingestDebtorView(tables: Tables, event: DebtorViewedEvent, ingest: IngestContext, reject: Reject, logger?: Logger): Promise<IngestOutcome> {
  const facts = await tables.debtorViews.facts(event);
  if (facts.stored) return { status: 'duplicate' };

  const { debtorId, viewedAt, reason } = event.payload;
  if (!facts.debtorKnown) return reject('unknown-debtor', `El deudor ${debtorId} no existe en el servidor (unknown debtor).`);
  if (!(await tables.debtorViews.insert(event, facts.leased, ingest.receivedAt))) return { status: 'duplicate' };

  const excused = !facts.leased && reason === 'wrap-up' && (await tables.debtorViews.hasRecentAllowedContact(event, WRAP_UP_EXCUSE_MS));
  if (!facts.leased && !excused) {
    await tables.alarms.insert({
      kind: 'violation',
      workstationId: event.workstationId,
      agentId: event.agentId,
      debtorId,
      eventId: event.id,
      decisionId: null,
      detail: { check: 'debtor-view', viewedAt, reason: reason ?? null },
      message: unleasedViewMessage(debtorId, viewedAt, event.workstationId, reason),
      createdAt: ingest.receivedAt,
    });
  }
  logger?.info({ eventId: event.id, debtorId, workstationId: event.workstationId, leased: facts.leased, excused }, 'ingest debtor view: stored');
  return { status: 'stored' };
}

/** Spanish text of the alarm raised by a view outside the agent's lease. */
export function unleasedViewMessage(debtorId: string, viewedAt: string, workstationId: string, reason: string | undefined): string {
  const reasonText = reason === undefined ? '' : ` Motivo informado por la estación: ${viewReasonText(reason)}.`;
  return (
    `Consulta del expediente del deudor ${debtorId} sin asignación: el agente lo abrió el ${formatDateTime(viewedAt)} ` +
    `en la estación ${workstationId} sin tener el deudor asignado a esa hora (Ley 1581, acceso a datos personales).${reasonText} ` +
    'Revise con el agente por qué lo consultó.'
  );
}
