/** `worklist:list`: leased debtors, those with a timeline call due first, then in priority order, each with its legal status right now. */
import type { IpcArgs, IpcValue, WorklistItem } from '@gestiona/core/ipc';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import { bogotaDate } from '@gestiona/core/format';
import type { ServiceContext } from './context.ts';
import { checkContact, isAuthorized } from './gate-check.ts';
import { heldStatus } from './holds.ts';
import { instantOf } from './instant.ts';
import { promiseFollowUp } from './promises.ts';
import { summarizeLegalStatus, type LegalStatus } from './legal-status.ts';
import { segmentOptions, taskOf, taskPage } from './tasks-worklist.ts';

export const UNTRUSTED_CLOCK_STATUS = 'Reloj del equipo no confiable: sincronice la hora';

export function listWorklist(ctx: ServiceContext, args: IpcArgs<'worklist:list'>): IpcValue<'worklist:list'> {
  ctx.session.requireUser();
  const now = instantOf(ctx.clock);
  purgeExpiredLeases(ctx, now.ms);
  ctx.store.promises.purgeOrphans();
  const today = bogotaDate(now.iso);

  const pack = ctx.rulePack();
  const clockTrusted = ctx.clock.reading().distrust === null;
  const { rows, total } = taskPage(ctx, args, now.ms, clockTrusted);

  // Statuses are computed only for the page returned: each one runs the gate over the debtor's points.
  const items = rows.map((row): WorklistItem => {
    const debtor = ctx.store.debtors.get(row.debtorId);
    const hold = ctx.store.holds.current(row.debtorId);
    let status: LegalStatus;
    if (!clockTrusted) {
      // Every dial is rejected until the clock is measured again, and the banner gives the reason.
      status = { legalStatus: 'blocked', statusText: UNTRUSTED_CLOCK_STATUS, nextAllowedAt: null };
    } else if (hold !== null) {
      // A dispute or a deceased debtor takes the debtor out of the call queue until the hold is lifted.
      status = heldStatus(hold);
    } else if (debtor) {
      const { decisions, otherChannels } = debtorDecisions(ctx, debtor, now.iso, pack);
      status = summarizeLegalStatus(decisions, now.iso, otherChannels ? 'Sin teléfono autorizado (solo correo o WhatsApp)' : undefined);
    } else {
      status = { legalStatus: 'blocked', statusText: 'Sin canal autorizado', nextAllowedAt: null };
    }
    const last = ctx.store.ledger.forDebtor(row.debtorId, 1)[0];
    return {
      ...row,
      ...status,
      task: taskOf(row.task, status, now.iso),
      followUp: promiseFollowUp(ctx.store, row.debtorId, today),
      lastResultCode: last?.code ?? null,
      lastContactAt: last?.at ?? null,
    };
  });

  return { items, total, segments: segmentOptions(ctx) };
}

/**
 * Evaluates the gate now for each authorised phone of the debtor in person (not co-obligors, not
 * references). Only phones count because the workstation dials only phones: an authorised e-mail
 * alone must not make the row read "Contactable". `otherChannels` is true when such points exist.
 */
function debtorDecisions(ctx: ServiceContext, debtor: DebtorSnapshot, nowIso: string, pack: ReturnType<ServiceContext['rulePack']>) {
  const holder = debtor.persons.find((person) => person.role === 'debtor');
  if (!holder) return { decisions: [], otherChannels: false };

  const authorized = debtor.contactPoints.filter((point) => point.personId === holder.id && isAuthorized(point));
  const decisions = authorized
    .filter((point) => point.channel === 'voice')
    .map((point) => checkContact(ctx.store.ledger, pack, { atIso: nowIso, point, party: 'debtor', person: holder }).decision);
  return { decisions, otherChannels: authorized.some((point) => point.channel !== 'voice') };
}

/** Deletes debtors whose lease ended, except the one whose wrap-up is pending, and notifies the renderer when any went. */
export function purgeExpiredLeases(ctx: ServiceContext, nowMs: number): string[] {
  const keep = ctx.store.attempts.pending()?.debtorId ?? null;
  const purged = ctx.store.debtors.purgeExpired(nowMs, keep);
  if (purged.length > 0) {
    ctx.logger.store.info({ debtorIds: purged }, 'purge leases: removed expired debtors');
    ctx.notify.worklistChanged();
  }
  return purged;
}
