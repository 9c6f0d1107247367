/**
 * `agent:status`, `agent:pause`, `agent:resume` and `agent:call-ended`: what the agent is doing at the
 * desk. A placed contact is a call until the agent marks it ended, then a wrap-up until the
 * typification is saved (`wrapup:save` closes the attempt). A pause is stored with its reason, so it
 * survives a restart, and `contact:dial` refuses to dial while it lasts. A team lead may also pause
 * or resume the agent from the board (`applyRemotePause`). Such a pause never interrupts a call or
 * a typification: during one it waits, and it starts when the typification is saved.
 */
import type { AgentStatus, PauseReason } from '@gestiona/core/agent-state';
import { formatDateTime } from '@gestiona/core/format';
import type { IpcArgs } from '@gestiona/core/ipc';
import { AppError } from '@gestiona/core/result';
import type { RemotePauseAck, RemotePauseRequest } from '@gestiona/core/sync';
import { AgentDeskStore, type DeskRecord } from '../store/agent-desk.ts';
import { RemotePauseStore } from './board-actions-remote-pause.ts';
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
  settleRemotePause(ctx, user.id);
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
  remoteOf(ctx).clear();
  ctx.logger.session.info({ userId: user.id, reason: args.reason }, 'pause agent: done');
  return changed(ctx, desk.read(user.id));
}

export function resumeAgent(ctx: ServiceContext): AgentStatus {
  const user = ctx.session.requireUser();
  const desk = deskOf(ctx);
  const record = desk.read(user.id);
  if (record.pause === null) return statusOf(ctx, record);

  desk.write({ ...record, pause: null, availableSince: instantOf(ctx.clock).iso });
  remoteOf(ctx).clear();
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
  settleRemotePause(ctx, userId);
  return deskOf(ctx).read(userId).pause;
}

/** Returns the `state:report` keys, with `signed-out` when no user is signed in. */
export function agentStateReport(ctx: ServiceContext): AgentStateReport {
  const user = ctx.session.user();
  if (user === null) return { agentState: 'signed-out', agentStateSince: null, pauseReason: null };
  settleRemotePause(ctx, user.id);
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
    const remote = remoteOf(ctx).read(record.userId);
    // Only set while a team lead's pause waits, so a status without one keeps its earlier shape.
    const pendingPause = remote?.deferred ? { pendingPause: { reason: remote.reason, byName: remote.byName } } : {};
    if (record.callEnded?.attemptId === attempt.id) return { state: 'wrap-up', since: record.callEnded.at, pauseReason: null, ...pendingPause };
    if (attempt.dialOutcome === 'failed') return { state: 'wrap-up', since: wrapUp.dialedAt, pauseReason: null, ...pendingPause };
    return { state: 'on-call', since: wrapUp.dialedAt, pauseReason: null, ...pendingPause };
  }
  if (record.pause !== null) {
    const remote = remoteOf(ctx).read(record.userId);
    const paused: AgentStatus = { state: 'paused', since: record.pause.at, pauseReason: record.pause.reason };
    return remote !== null && !remote.deferred ? { ...paused, pausedBy: remote.byName } : paused;
  }
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

/**
 * Applies a team lead's pause or resume from the board to the signed-in agent. During a call or a
 * wrap-up the pause is stored as deferred and starts when the typification is saved. A resume
 * cancels a deferred pause too. The agent's status names the lead who paused them.
 */
export function applyRemotePause(ctx: ServiceContext, request: RemotePauseRequest): RemotePauseAck {
  const user = ctx.session.user();
  if (user === null || user.id !== request.agentId) {
    ctx.logger.session.warn({ agentId: request.agentId, userId: user?.id ?? null }, 'remote pause: agent not signed in here');
    return { ok: false, error: 'El agente ya no tiene la sesión abierta en esta estación.' };
  }
  const desk = deskOf(ctx);
  const remote = remoteOf(ctx);
  const record = desk.read(user.id);
  const logIds = { userId: user.id, action: request.action, byName: request.byName, reason: request.reason };

  if (request.action === 'resume') {
    const waiting = remote.read(user.id)?.deferred === true;
    if (record.pause === null && !waiting) return { ok: true, outcome: 'unchanged' };
    remote.clear();
    if (record.pause !== null) desk.write({ ...record, pause: null, availableSince: instantOf(ctx.clock).iso });
    ctx.logger.session.info(logIds, 'remote pause: resumed');
    changed(ctx, desk.read(user.id));
    return { ok: true, outcome: 'resumed' };
  }

  if (record.pause !== null) return { ok: true, outcome: 'unchanged' };
  const reason = request.reason ?? 'Otro';
  const deferred = ctx.store.attempts.pending() !== null;
  remote.write({ userId: user.id, reason, byName: request.byName, requestedAt: request.requestedAt, deferred });
  if (!deferred) desk.write({ ...record, pause: { reason, at: instantOf(ctx.clock).iso } });
  ctx.logger.session.info({ ...logIds, deferred }, 'remote pause: applied');
  changed(ctx, desk.read(user.id));
  return { ok: true, outcome: deferred ? 'deferred' : 'paused' };
}

/**
 * Starts a deferred remote pause once no attempt waits for its typification, from the instant the
 * last typification closed its attempt. Every reader of the desk state calls it first, so the
 * pause applies before the next dial, whichever reader runs first.
 */
function settleRemotePause(ctx: ServiceContext, userId: string): void {
  const remote = remoteOf(ctx);
  const waiting = remote.read(userId);
  if (waiting === null || !waiting.deferred || ctx.store.attempts.pending() !== null) return;

  const desk = deskOf(ctx);
  const record = desk.read(userId);
  const at = desk.lastClosedAttemptAt() ?? instantOf(ctx.clock).iso;
  if (record.pause === null) desk.write({ ...record, pause: { reason: waiting.reason, at } });
  remote.write({ ...waiting, deferred: false });
  ctx.logger.session.info({ userId, reason: waiting.reason, byName: waiting.byName, at }, 'remote pause: started after the wrap-up');
  // The next settle finds nothing deferred, so these cause one more read and report, not a loop.
  ctx.notify.session();
  ctx.sync.requestReport();
}

const remotePauses = new WeakMap<ServiceContext['store'], RemotePauseStore>();

function remoteOf(ctx: ServiceContext): RemotePauseStore {
  let remote = remotePauses.get(ctx.store);
  if (remote === undefined) {
    remote = new RemotePauseStore(ctx.store.db);
    remotePauses.set(ctx.store, remote);
  }
  return remote;
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
