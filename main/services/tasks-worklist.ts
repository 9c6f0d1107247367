/**
 * The worklist page with the strategy's tasks: debtors with a follow-up due come first, then those
 * with a timeline call due ("Tareas de hoy"), and the page may be filtered by segment and by legal
 * status. Plans and, for a legal status filter, the cached statuses are brought up to date before
 * the page is read.
 */
import { formatSlot } from '@gestiona/core/format';
import type { IpcArgs, WorklistTask } from '@gestiona/core/ipc';
import type { ServiceContext } from './context.ts';
import type { LegalStatus } from './legal-status.ts';
import { refreshLegalStatuses } from './tasks-legal.ts';
import { currentStrategySet, refreshPlans } from './tasks.ts';
import type { TaskPageRow } from '../store/tasks.ts';

/**
 * Reads one page of leased debtors. While the clock is not trusted every debtor reads as blocked,
 * so a "blocked" filter keeps them all and any other legal-status filter keeps none.
 */
export function taskPage(
  ctx: ServiceContext,
  args: IpcArgs<'worklist:list'>,
  nowMs: number,
  clockTrusted: boolean,
  followUps: ReadonlyArray<{ debtorId: string; dueMs: number }> = [],
): { rows: TaskPageRow[]; total: number } {
  refreshPlans(ctx.store, nowMs, ctx.logger.store);

  let legalStatus = args.legalStatus;
  if (legalStatus !== undefined && !clockTrusted) {
    if (legalStatus !== 'blocked') return { rows: [], total: 0 };
    legalStatus = undefined;
  }
  if (legalStatus !== undefined) refreshLegalStatuses(ctx.store, ctx.rulePack(), nowMs);

  return ctx.store.tasks.page({
    search: args.search,
    segment: args.segment,
    legalStatus,
    offset: args.offset,
    limit: args.limit,
    nowMs,
    followUps,
  });
}

/** Adds the legal slot to the row's task from the row's legal status now: the call is made now, or moves to the next legal slot. */
export function taskOf(task: TaskPageRow['task'], status: LegalStatus, nowIso: string): WorklistTask | null {
  if (task === null) return null;
  const allowedNow = status.legalStatus === 'contactable';
  const slotAt = allowedNow ? nowIso : status.nextAllowedAt;
  let text: string;
  if (allowedNow) text = 'Se puede hacer ahora';
  else if (slotAt === null) text = `No se puede hacer: ${status.statusText}`;
  else text = `Pasa a ${formatSlot(slotAt, nowIso)}`;
  return { activityId: task.activityId, name: task.name, plannedDate: task.plannedDate, slotAt, allowedNow, text };
}

/** Lists the segments of the strategy set in force, for the worklist's segment filter. */
export function segmentOptions(ctx: ServiceContext): Array<{ id: string; name: string }> {
  return currentStrategySet(ctx.store, ctx.logger.store)?.segments.map((segment) => ({ id: segment.id, name: segment.name })) ?? [];
}
