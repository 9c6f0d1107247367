/**
 * `agent:status`, `agent:pause`, `agent:resume` and `agent:call-ended`: what the agent is doing at the
 * desk. A placed contact is a call until the agent marks it ended, then a wrap-up until the
 * typification is saved (`wrapup:save` closes the attempt). A pause is stored with its reason, so it
 * survives a restart, and `contact:dial` refuses to dial while it lasts.
 */
import type { AgentStatus, PauseReason } from '@gestiona/core/agent-state';
import { formatDateTime } from '@gestiona/core/format';
import type { IpcArgs } from '@gestiona/core/ipc';
import { AppError } from '@gestiona/core/result';
import { AgentDeskStore, type DeskRecord } from '../store/agent-desk.ts';
import type { ServiceContext } from './context.ts';
import { instantOf } from './instant.ts';
import { toPendingWrapUp, wrapUpPendingError } from './session.ts';

/** The keys the workstation adds to its `state:report` for the team lead's board. */
export interface AgentStateReport {
  agentState: AgentStatus['state'] | 'signed-out';
  agentStateSince: string | null;
  pauseReason: PauseReason | null;
}

export function agentStatus(ctx: ServiceContext): AgentStatus {
  const user = ctx.session.requireUser();
  return statusOf(ctx, deskOf(ctx).read(user.id));
}

export function pauseAgent(ctx: ServiceContext, args: IpcArgs<'agent:pause'>): AgentStatus {
  const user = ctx.session.requireUser();
  const pending = ctx.session.pendingWrapUp();
  if (pending) throw wrapUpPendingError(pending, 'tomar una pausa');

  const desk = deskOf(ctx);
  const record = desk.read(user.id);
  if (record.pause !== null) {
    // Changing the reason would restart the time the board shows, so the agent resumes first.
    throw new AppError(
      'conflict',
      `Ya está en pausa (${record.pause.reason}) desde el ${formatDateTime(record.pause.at)}. Reanude su disponibilidad antes de elegir otro motivo.`,
    );
  }

  const at = instantOf(ctx.clock).iso;
  desk.write({ ...record, pause: { reason: args.reason, at } });
  ctx.logger.session.info({ userId: user.id, reason: args.reason }, 'pause agent: done');
  return changed(ctx, desk.read(user.id));
}

export function resumeAgent(ctx: ServiceContext): AgentStatus {
  const user = ctx.session.requireUser();
  const desk = deskOf(ctx);
  const record = desk.read(user.id);
  if (record.pause === null) return statusOf(ctx, record);

  desk.write({ ...record, pause: null, availableSince: instantOf(ctx.clock).iso });
  ctx.logger.session.info({ userId: user.id, reason: record.pause.reason, pausedAt: record.pause.at }, 'resume agent: done');
  return changed(ctx, desk.read(user.id));
}

export function markCallEnded(ctx: ServiceContext, args: IpcArgs<'agent:call-ended'>): AgentStatus {
  const user = ctx.session.requireUser();
  const attempt = ctx.store.attempts.pending();
  if (!attempt) throw new AppError('not-found', 'No hay ninguna llamada en curso. Recargue la pantalla.');
  if (attempt.id !== args.attemptId) {
    throw new AppError('conflict', `La llamada marcada como terminada no es la llamada en curso con ${attempt.debtorName}. Recargue la pantalla.`);
  }

  const desk = deskOf(ctx);
  const record = desk.read(user.id);
  // A repeated click keeps the first end, so the wrap-up time does not restart.
  if (record.callEnded?.attemptId === attempt.id) return statusOf(ctx, record);

  desk.write({ ...record, callEnded: { attemptId: attempt.id, at: instantOf(ctx.clock).iso } });
  ctx.logger.session.info({ userId: user.id, attemptId: attempt.id }, 'mark call ended: done');
  return changed(ctx, desk.read(user.id));
}

/** Returns the stored pause of the signed-in user, which blocks dialing; null when not paused. */
export function currentPause(ctx: ServiceContext, userId: string): DeskRecord['pause'] {
  return deskOf(ctx).read(userId).pause;
}

/** Returns the `state:report` keys, with `signed-out` when no user is signed in. */
export function agentStateReport(ctx: ServiceContext): AgentStateReport {
  const user = ctx.session.user();
  if (user === null) return { agentState: 'signed-out', agentStateSince: null, pauseReason: null };
  const status = statusOf(ctx, deskOf(ctx).read(user.id));
  return { agentState: status.state, agentStateSince: status.since, pauseReason: status.pauseReason };
}

/**
 * Derives the state from the pending attempt and the stored record. The attempt is checked first,
 * because a pause is rejected while one is pending. A failed dial placed no call, so it is a wrap-up at once.
 */
function statusOf(ctx: ServiceContext, record: DeskRecord): AgentStatus {
  const attempt = ctx.store.attempts.pending();
  if (attempt) {
    const wrapUp = toPendingWrapUp(attempt);
    if (record.callEnded?.attemptId === attempt.id) return { state: 'wrap-up', since: record.callEnded.at, pauseReason: null };
    if (attempt.dialOutcome === 'failed') return { state: 'wrap-up', since: wrapUp.dialedAt, pauseReason: null };
    return { state: 'on-call', since: wrapUp.dialedAt, pauseReason: null };
  }
  if (record.pause !== null) return { state: 'paused', since: record.pause.at, pauseReason: record.pause.reason };
  return { state: 'available', since: latest(record.availableSince, deskOf(ctx).lastClosedAttemptAt()), pauseReason: null };
}

function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

function changed(ctx: ServiceContext, record: DeskRecord): AgentStatus {
  ctx.notify.session();
  ctx.sync.requestReport();
  return statusOf(ctx, record);
}

const desks = new WeakMap<ServiceContext['store'], AgentDeskStore>();

/** Returns the desk store of the open database, prepared on first use. */
function deskOf(ctx: ServiceContext): AgentDeskStore {
  let desk = desks.get(ctx.store);
  if (desk === undefined) {
    desk = new AgentDeskStore(ctx.store.db);
    desks.set(ctx.store, desk);
  }
  return desk;
}
