/**
 * `wrapup:callback-slots`: the times the callback picker offers for the pending contact. Only
 * slots the gate allows for that person are listed, counting the contact being typified (so not
 * later today, under R5), the same check `wrapup:save` runs again on the chosen time.
 */
import type { ContactPoint } from '@gestiona/core/domain';
import { contactKindOf } from '@gestiona/core/catalog';
import { toBogotaIso } from '@gestiona/core/format';
import type { IpcArgs, IpcValue } from '@gestiona/core/ipc';
import { AppError } from '@gestiona/core/result';
import type { ServiceContext } from './context.ts';
import { checkContact } from './gate-check.ts';
import { instantOf } from './instant.ts';

/** Step between offered slots. */
export const CALLBACK_SLOT_MS = 30 * 60 * 1000;
/** How far ahead the picker looks. */
export const CALLBACK_HORIZON_DAYS = 7;

export function callbackSlots(ctx: ServiceContext, args: IpcArgs<'wrapup:callback-slots'>): IpcValue<'wrapup:callback-slots'> {
  ctx.session.requireUser();
  const attempt = ctx.store.attempts.pending();
  if (!attempt || attempt.id !== args.attemptId) throw new AppError('not-found', 'No hay una gestión pendiente con ese intento. Recargue la pantalla.');

  const catalog = ctx.store.referenceData.catalog();
  const code = catalog?.codes.find((entry) => entry.code === args.code && !entry.retired);
  if (!code) throw new AppError('invalid-input', `Código de tipificación desconocido: ${args.code}.`, { code: 'Código desconocido o retirado.' });

  const now = instantOf(ctx.clock);
  const debtor = ctx.store.debtors.get(attempt.debtorId);
  const person = debtor?.persons.find((candidate) => candidate.id === attempt.personId) ?? null;
  const point: ContactPoint = debtor?.contactPoints.find((candidate) => candidate.id === attempt.contactPointId) ?? {
    id: attempt.contactPointId,
    personId: attempt.personId,
    channel: attempt.channel,
    address: attempt.address,
    authorization: null,
    flagged: null,
  };
  const pack = ctx.rulePack();
  const assumeKind = { attemptId: attempt.id, kind: contactKindOf(code.class) };

  const slots: string[] = [];
  const first = Math.ceil((now.ms + 1) / CALLBACK_SLOT_MS) * CALLBACK_SLOT_MS;
  const last = now.ms + CALLBACK_HORIZON_DAYS * 24 * 60 * 60 * 1000;
  for (let at = first; at <= last; at += CALLBACK_SLOT_MS) {
    const atIso = toBogotaIso(at);
    const { decision } = checkContact(ctx.store.ledger, pack, { atIso, point, party: attempt.party, person, assumeKind });
    if (decision.allowed) slots.push(atIso);
  }
  return { slots };
}
