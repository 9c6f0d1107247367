/**
 * `contact:confirm-identity`: the agent confirms, in the open contact, that they speak with the
 * right party (R12). Main records it with the attempt: the debtor view's balances and a right-party
 * typification depend on this record, never on a flag the renderer sends.
 */
import type { IpcArgs, IpcValue } from '@gestiona/core/ipc';
import { formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import type { AttemptRecord } from '../store/attempts.ts';
import type { ServiceContext } from './context.ts';
import { instantOf } from './instant.ts';

export function confirmIdentity(ctx: ServiceContext, args: IpcArgs<'contact:confirm-identity'>): IpcValue<'contact:confirm-identity'> {
  const user = ctx.session.requireUser();
  const attempt = ctx.store.attempts.pending();
  if (!attempt || attempt.id !== args.attemptId) {
    throw new AppError('conflict', 'No hay una llamada abierta con esa persona. La identidad se confirma durante la llamada, después de marcar.');
  }
  const refusal = refusalFor(attempt);
  if (refusal) throw new AppError('conflict', refusal);
  if (attempt.identityConfirmedAt !== null) return { attemptId: attempt.id, identityConfirmedAt: attempt.identityConfirmedAt };

  const at = instantOf(ctx.clock).iso;
  ctx.store.attempts.confirmIdentity(attempt.id, at);
  ctx.logger.session.info({ userId: user.id, attemptId: attempt.id, debtorId: attempt.debtorId }, 'confirm identity: done');
  ctx.notify.session();
  return { attemptId: attempt.id, identityConfirmedAt: at };
}

/**
 * Returns why this attempt's party cannot be confirmed, or null. A debt may be discussed with the debtor and
 * with a co-obligor, because both are liable for it. A call that never connected has no one to confirm.
 */
function refusalFor(attempt: AttemptRecord): string | null {
  if (attempt.dialOutcome !== 'placed') {
    return `La llamada con ${attempt.personName} no se realizó, así que no hay identidad que confirmar. Tipifique el intento.`;
  }
  if (attempt.party !== 'debtor' && attempt.party !== 'co-obligor') {
    return `${attempt.personName} no es titular ni codeudor: no se le puede confirmar como la persona correcta (R12).`;
  }
  return null;
}

/** Spanish line for the debtor view on the identity check of the open contact. */
export function identityText(attempt: AttemptRecord | null): string {
  if (attempt === null) return 'Los saldos se muestran solo durante una llamada, después de confirmar la identidad de la persona (R12).';
  if (attempt.identityConfirmedAt !== null) {
    return `Identidad de ${attempt.personName} confirmada el ${formatDateTime(attempt.identityConfirmedAt)}.`;
  }
  if (attempt.dialOutcome !== 'placed') return 'La llamada no se realizó: los saldos siguen ocultos (R12).';
  return `Confirme en el guion que habla con ${attempt.personName} para ver los saldos (R12). Si no es la persona, no mencione la deuda y tipifique como contacto con tercero.`;
}
