/**
 * `wrapup:save`: the one write path of a typification. The interaction, the ledger update, the
 * effects, the closed attempt and the outbox event commit in one transaction. The renderer and
 * the server learn about it only after the commit.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '@gestiona/core/result';
import { bogotaDate, formatDateTime, toBogotaIso } from '@gestiona/core/format';
import {
  contactKindOf,
  validateTypificationFields,
  type CatalogCode,
  type FieldProblem,
  type TypificationFields,
} from '@gestiona/core/catalog';
import type { ContactPoint } from '@gestiona/core/domain';
import type { IpcArgs, IpcValue } from '@gestiona/core/ipc';
import type { InteractionRecorded } from '@gestiona/core/sync';
import type { AttemptRecord } from '../store/attempts.ts';
import type { ServiceContext } from './context.ts';
import { checkCollectionFee } from './collection-fee-check.ts';
import { checkContact } from './gate-check.ts';
import { instantOf, type Instant } from './instant.ts';
import { scriptPathForInteraction } from './script-walk.ts';
import { applyEffects } from './wrap-up-effects.ts';

export function saveWrapUp(ctx: ServiceContext, args: IpcArgs<'wrapup:save'>): IpcValue<'wrapup:save'> {
  const user = ctx.session.requireUser();
  const attempt = ctx.store.attempts.pending();
  if (!attempt) throw new AppError('not-found', 'No hay ninguna gestión pendiente de tipificar.');
  if (attempt.id !== args.attemptId) {
    throw new AppError('conflict', `Esta tipificación no corresponde a la llamada pendiente con ${attempt.debtorName}. Recargue la pantalla.`);
  }

  const catalog = ctx.store.referenceData.catalog();
  if (!catalog) {
    throw new AppError('not-found', 'El catálogo de tipificación aún no se ha recibido del servidor central. Conéctese a la red y vuelva a intentar.');
  }
  const code = catalog.codes.find((entry) => entry.code === args.code && !entry.retired);
  if (!code) {
    throw new AppError('invalid-input', `Código de tipificación desconocido: ${args.code}. Elija uno del catálogo.`, {
      code: 'Código desconocido o retirado.',
    });
  }

  // R12: a right-party result means the debt was discussed, which is only lawful with the confirmed
  // person. Main's record of the identity check decides, not anything the renderer sends.
  if (code.class === 'two-way' && attempt.identityConfirmedAt === null) {
    throw new AppError(
      'invalid-input',
      `Para registrar "${code.label}" confirme primero la identidad de la persona en el paso de verificación del guion. Si no pudo confirmarla, tipifique como contacto con tercero (R12).`,
      { code: 'Falta confirmar la identidad (R12).' },
    );
  }

  const now = instantOf(ctx.clock);
  const kind = contactKindOf(code.class);
  const problems = [
    ...validateTypificationFields(code, args.fields, bogotaDate(now.iso)),
    ...checkCallbackWindows(ctx, code, args.fields, attempt, kind, now),
    ...checkCollectionFee(ctx, code, args.fields, attempt, now),
  ];
  if (problems.length > 0) {
    throw new AppError('invalid-input', 'Revise los campos marcados de la tipificación.', fieldMap(problems));
  }

  const interactionId = randomUUID();
  const interaction: InteractionRecorded = {
    interactionId,
    attemptId: attempt.id,
    decisionId: attempt.decisionId,
    debtorId: attempt.debtorId,
    personId: attempt.personId,
    contactPointId: attempt.contactPointId,
    channel: attempt.channel,
    adapter: attempt.adapter,
    code: code.code,
    complianceClass: code.class,
    kind,
    fields: args.fields,
    note: args.note,
    catalogVersion: catalog.version,
    dialedAt: attempt.dialedAt,
    typifiedAt: now.iso,
    localTypifiedAt: now.localIso,
    // The script path main checked move by move during the contact; never taken from the renderer.
    ...scriptPathForInteraction(ctx, attempt.id),
    ...(attempt.identityConfirmedAt === null ? {} : { identityConfirmedAt: attempt.identityConfirmedAt }),
  };

  ctx.store.transaction(() => {
    ctx.store.interactions.add(interaction, now.offsetMs);
    ctx.store.ledger.typify(attempt.id, kind, code.code);
    applyEffects(ctx.store, { code, fields: args.fields, attempt, interactionId, now });
    ctx.store.attempts.close(attempt.id, now.iso);
    ctx.store.outbox.enqueue({ type: 'interaction.recorded', payload: interaction, agentId: user.id, occurredAt: now.iso });
  });

  ctx.logger.store.info({ interactionId, attemptId: attempt.id, debtorId: attempt.debtorId, code: code.code }, 'save wrap-up: interaction stored');
  ctx.notify.session();
  ctx.notify.worklistChanged();
  ctx.sync.requestPush();
  return { interactionId };
}

/**
 * A callback (`VL`) must fall in a legal window for that person, counting the contact being
 * typified: a callback later today breaks R5, a Sunday breaks R3.
 */
function checkCallbackWindows(
  ctx: ServiceContext,
  code: CatalogCode,
  fields: TypificationFields,
  attempt: AttemptRecord,
  kind: InteractionRecorded['kind'],
  now: Instant,
): FieldProblem[] {
  if (!code.effects.includes('schedule-callback')) return [];

  const point = callbackPoint(ctx, attempt);
  const person = ctx.store.debtors.get(attempt.debtorId)?.persons.find((candidate) => candidate.id === attempt.personId) ?? null;
  const problems: FieldProblem[] = [];
  for (const field of code.fields.filter((candidate) => candidate.type === 'datetime')) {
    const value = fields[field.name];
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) continue;

    if (Date.parse(value) <= now.ms) {
      problems.push({ field: field.name, message: `${field.label}: debe ser una fecha y hora futura.` });
      continue;
    }
    const { decision } = checkContact(ctx.store.ledger, ctx.rulePack(), {
      atIso: toBogotaIso(value),
      point,
      party: attempt.party,
      person,
      assumeKind: { attemptId: attempt.id, kind },
    });
    if (!decision.allowed) {
      // Gate messages end with a period; the field message adds its own.
      const reason = (decision.reasons[0]?.message ?? 'fuera del horario permitido').replace(/\.$/, '');
      const next = decision.nextAllowedAt ? ` Próximo horario permitido: ${formatDateTime(decision.nextAllowedAt)}.` : '';
      problems.push({ field: field.name, message: `${field.label}: ${reason}.${next}` });
    }
  }
  return problems;
}

/** Returns the attempt's contact point as stored now, or its last known shape if the feed removed the debtor. */
function callbackPoint(ctx: ServiceContext, attempt: AttemptRecord): ContactPoint {
  const stored = ctx.store.debtors.get(attempt.debtorId)?.contactPoints.find((point) => point.id === attempt.contactPointId);
  return (
    stored ?? {
      id: attempt.contactPointId,
      personId: attempt.personId,
      channel: attempt.channel,
      address: attempt.address,
      authorization: null,
      flagged: null,
    }
  );
}

function fieldMap(problems: readonly FieldProblem[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const problem of problems) {
    fields[problem.field] = fields[problem.field] ? `${fields[problem.field]} ${problem.message}` : problem.message;
  }
  return fields;
}
