/**
 * `worklist:list`: leased debtors, those with a follow-up due first, then those with a timeline call
 * due, then in priority order, each with its legal status right now.
 */
import type { IpcArgs, IpcValue, WorklistItem } from '@gestiona/core/ipc';
import type { ServiceContext } from './context.ts';
import { checkContact, HISTORY_WINDOW_MS, isAuthorized } from './gate-check.ts';
import { heldStatus } from './holds.ts';
import { instantOf } from './instant.ts';
import { dueFollowUps, followUpsOf } from './promises.ts';
import { summarizeLegalStatus, type LegalStatus } from './legal-status.ts';
import { segmentOptions, taskOf, taskPage } from './tasks-worklist.ts';
import type { HolderPoints } from '../store/debtors.ts';
import { epochMs } from '../store/rows.ts';

export const UNTRUSTED_CLOCK_STATUS = 'Reloj del equipo no confiable: sincronice la hora';

export function listWorklist(ctx: ServiceContext, args: IpcArgs<'worklist:list'>): IpcValue<'worklist:list'> {
  ctx.session.requireUser();
  const now = instantOf(ctx.clock);
  purgeExpiredLeases(ctx, now.ms);
  ctx.store.promises.purgeOrphans();

  const pack = ctx.rulePack();
  const clockTrusted = ctx.clock.reading().distrust === null;
  const followUps = dueFollowUps(ctx.store, now.iso);
  const { rows, total } = taskPage(ctx, args, now.ms, clockTrusted, followUps);

  // Statuses are computed only for the page returned: each one runs the gate over the debtor's
  // points. Every table is read once for the whole page, not once per row.
  const ids = rows.map((row) => row.debtorId);
  const tags = followUpsOf(ctx.store, ids, now.iso);
  const holders = ctx.store.debtors.holderPoints(ids);
  const holds = ctx.store.holds.ofMany(ids);
  const lastContacts = ctx.store.ledger.latestForDebtors(ids);
  const holderIds = [...holders.values()].map((entry) => entry.holder.id);

  const items = ctx.store.ledger.withHistoryOf(holderIds, epochMs(now.iso) - HISTORY_WINDOW_MS, () =>
    rows.map((row): WorklistItem => {
      const holder = holders.get(row.debtorId);
      const held = heldStatus(holds.get(row.debtorId) ?? []);
      let status: LegalStatus;
      if (!clockTrusted) {
        // Every dial is rejected until the clock is measured again, and the banner gives the reason.
        status = { legalStatus: 'blocked', statusText: UNTRUSTED_CLOCK_STATUS, nextAllowedAt: null };
      } else if (held !== null) {
        // A dispute or a deceased debtor takes the debtor out of the call queue until the hold is lifted.
        status = held;
      } else if (holder) {
        const { decisions, otherChannels } = holderDecisions(ctx, holder, now.iso, pack);
        status = summarizeLegalStatus(decisions, now.iso, otherChannels ? 'Sin teléfono autorizado (solo correo o WhatsApp)' : undefined);
      } else {
        // A debtor without a holder on file has no point the gate could allow.
        status = { legalStatus: 'blocked', statusText: 'Sin canal autorizado', nextAllowedAt: null };
      }
      const last = lastContacts.get(row.debtorId);
      return {
        ...row,
        ...status,
        task: taskOf(row.task, status, now.iso),
        followUp: tags.get(row.debtorId)?.followUp ?? null,
        lastResultCode: last?.code ?? null,
        lastContactAt: last?.at ?? null,
      };
    }),
  );

  return { items, total, segments: segmentOptions(ctx) };
}

/**
 * Evaluates the gate now for each authorised phone of the debtor in person (not co-obligors, not
 * references). Only phones count because the workstation dials only phones: an authorised e-mail
 * alone must not make the row read "Contactable". `otherChannels` is true when such points exist.
 */
function holderDecisions(ctx: ServiceContext, { holder, points }: HolderPoints, nowIso: string, pack: ReturnType<ServiceContext['rulePack']>) {
  const authorized = points.filter((point) => point.personId === holder.id && isAuthorized(point));
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
