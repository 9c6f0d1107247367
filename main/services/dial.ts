/**
 * `contact:dial`. Every decision, allowed or blocked, is recorded, chained and queued for the server
 * as complaint evidence (rule R16) before anything else happens. An allowed dial commits the attempt
 * and its provisional ledger entry before the dialer runs, so a crash mid-call still leaves a
 * wrap-up to finish. A clock that cannot be trusted blocks the dial before the gate runs, because
 * the legal hours cannot be checked against a time that no server measurement backs.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@gestiona/core/result';
import { formatDateTime, maskAddress, toBogotaIso } from '@gestiona/core/format';
import type { DialResult, IpcArgs } from '@gestiona/core/ipc';
import { DialFailedError } from '../dialer/adapter.ts';
import type { AttemptRecord } from '../store/attempts.ts';
import type { DecisionRecord } from '../store/decisions.ts';
import type { ServiceContext } from './context.ts';
import { currentPause } from './agent-state.ts';
import { requireLeasedDebtor } from './debtor-view.ts';
import { clockRefusal, untrustedClockMessage } from './clock-state.ts';
import { recordDecision } from './decision-log.ts';
import { checkContact, gateRequestFor } from './gate-check.ts';
import { assertNotHeld } from './holds.ts';
import { instantOf } from './instant.ts';
import { toPendingWrapUp, wrapUpPendingError } from './session.ts';

export async function dial(ctx: ServiceContext, args: IpcArgs<'contact:dial'>): Promise<DialResult> {
  const user = ctx.session.requireUser();

  // A repeated request id is the same click intent: return the first result, never a second call.
  const inFlight = ctx.dialsInFlight.get(args.requestId);
  if (inFlight) return inFlight;
  const earlier = ctx.store.decisions.byRequestId(args.requestId);
  if (earlier) return replay(ctx, earlier, args);

  const pending = ctx.session.pendingWrapUp();
  if (pending) throw wrapUpPendingError(pending, 'marcar de nuevo');
  // A pause is the agent's own declaration of not working, so it blocks before the gate and records no decision.
  const pause = currentPause(ctx, user.id);
  if (pause) {
    throw new AppError('conflict', `Está en pausa (${pause.reason}) desde el ${formatDateTime(pause.at)}. Reanude su disponibilidad antes de marcar.`);
  }

  const now = instantOf(ctx.clock);
  const debtor = requireLeasedDebtor(ctx, args.debtorId, now);
  // A dispute or a deceased debtor holds collection: no dial, and no gate decision, until it is lifted.
  assertNotHeld(ctx.store, debtor.id);
  const point = debtor.contactPoints.find((candidate) => candidate.id === args.contactPointId);
  const person = point && debtor.persons.find((candidate) => candidate.id === point.personId);
  if (!point || !person) {
    throw new AppError('not-found', `El medio de contacto ${args.contactPointId} no pertenece al deudor ${debtor.fullName}.`);
  }
  if (point.channel !== 'voice') {
    throw new AppError('invalid-input', 'Solo se pueden marcar números de teléfono; este medio de contacto no es de voz.', {
      contactPointId: 'El medio de contacto no es un teléfono.',
    });
  }

  const pack = ctx.rulePack();
  const check = { atIso: now.iso, point, party: person.role, person };
  const { distrust, lastSyncAt } = ctx.clock.reading();
  // With an untrusted clock the request is still stored, as the inputs the workstation had, but not evaluated.
  const { request, decision } =
    distrust === null
      ? checkContact(ctx.store.ledger, pack, check)
      : { request: gateRequestFor(ctx.store.ledger, check), decision: clockRefusal(untrustedClockMessage(distrust), pack.version, now.iso) };
  const record: DecisionRecord = {
    id: randomUUID(),
    requestId: args.requestId,
    debtorId: debtor.id,
    personId: person.id,
    contactPointId: point.id,
    channel: point.channel,
    request,
    decision,
    historySize: request.history.length,
    trustedAt: now.iso,
    localAt: now.localIso,
    clockOffsetMs: now.offsetMs,
    clockSyncedAt: lastSyncAt === null ? null : toBogotaIso(lastSyncAt),
    workstationRule: distrust === null ? null : 'CLOCK',
  };
  const logFields = { decisionId: record.id, debtorId: debtor.id, contactPointId: point.id, address: maskAddress(point.address) };

  if (!decision.allowed) {
    const { chain } = ctx.store.transaction(() => recordDecision(ctx.store, record, user.id));
    if (distrust !== null) {
      ctx.logger.gate.warn({ ...logFields, chainIndex: chain?.index, clock: distrust.kind, offsetMs: now.offsetMs }, 'dial: blocked, clock not trusted');
    } else {
      ctx.logger.gate.info({ ...logFields, chainIndex: chain?.index, rules: decision.rules }, 'dial: blocked by gate');
    }
    ctx.sync.requestPush();
    return { outcome: 'blocked', decision };
  }

  // References are never contactable (Ley 2300 art. 4, rule R8) and the gate blocks them. This guard
  // keeps their numbers away from the dialer even if the gate did not.
  if (person.role === 'reference') throw new Error(`Gate allowed a reference (decision ${record.id})`);

  const attemptId = randomUUID();
  const { chain } = ctx.store.transaction(() => {
    const payload = recordDecision(ctx.store, record, user.id);
    ctx.store.attempts.add({
      id: attemptId,
      requestId: args.requestId,
      decisionId: record.id,
      debtorId: debtor.id,
      debtorName: debtor.fullName,
      personId: person.id,
      personName: person.fullName,
      party: person.role,
      contactPointId: point.id,
      channel: point.channel,
      address: point.address,
      adapter: ctx.dialer.name,
      dialedAt: now.iso,
      dialedAtMs: now.ms,
    });
    ctx.store.ledger.addLocalAttempt({ id: randomUUID(), attemptId, debtorId: debtor.id, personId: person.id, channel: point.channel, at: now.iso });
    return payload;
  });
  ctx.logger.gate.info({ ...logFields, attemptId, chainIndex: chain?.index }, 'dial: allowed, attempt recorded');
  ctx.notify.session();
  ctx.sync.requestPush();

  const placing = placeCall(ctx, attemptId).finally(() => ctx.dialsInFlight.delete(args.requestId));
  ctx.dialsInFlight.set(args.requestId, placing);
  return placing;
}

async function placeCall(ctx: ServiceContext, attemptId: string): Promise<DialResult> {
  const attempt = requireAttempt(ctx, attemptId);
  try {
    const { uri } = await ctx.dialer.dial({ attemptId, channel: attempt.channel, address: attempt.address });
    ctx.store.attempts.setDialOutcome(attemptId, 'placed', uri, null);
    ctx.logger.dialer.info({ attemptId, adapter: ctx.dialer.name }, 'dial: call placed');
  } catch (error) {
    const message = error instanceof DialFailedError ? error.message : 'No se pudo iniciar la llamada. Tipifique la gestión e intente de nuevo.';
    ctx.store.attempts.setDialOutcome(attemptId, 'failed', null, message);
    ctx.logger.dialer.warn({ attemptId, adapter: ctx.dialer.name, err: error }, 'dial: adapter failed, attempt still needs a typification');
  }
  return resultOf(ctx, requireAttempt(ctx, attemptId));
}

function replay(ctx: ServiceContext, earlier: DecisionRecord, args: IpcArgs<'contact:dial'>): DialResult {
  if (earlier.debtorId !== args.debtorId || earlier.contactPointId !== args.contactPointId) {
    throw new AppError('conflict', 'La solicitud de marcación ya se usó para otro número. Recargue la pantalla e intente de nuevo.');
  }
  if (!earlier.decision.allowed) return { outcome: 'blocked', decision: earlier.decision };

  const attempt = ctx.store.attempts.byRequestId(args.requestId);
  if (!attempt) throw new Error(`Allowed decision ${earlier.id} has no attempt`);
  return resultOf(ctx, attempt);
}

function resultOf(ctx: ServiceContext, attempt: AttemptRecord): DialResult {
  const decision = ctx.store.decisions.byId(attempt.decisionId)?.decision;
  if (!decision) throw new Error(`Attempt ${attempt.id} has no decision`);

  const wrapUp = toPendingWrapUp(attempt);
  if (attempt.dialOutcome === 'failed') {
    return { outcome: 'failed', decision, wrapUp, error: attempt.dialError ?? 'No se pudo iniciar la llamada.' };
  }
  return { outcome: 'placed', decision, wrapUp, uri: attempt.dialUri };
}

function requireAttempt(ctx: ServiceContext, attemptId: string): AttemptRecord {
  const attempt = ctx.store.attempts.byId(attemptId);
  if (!attempt) throw new Error(`Attempt ${attemptId} not found after it was stored`);
  return attempt;
}
