/** Side effects of a typification besides the interaction itself, chosen by the code's effects in the catalog. */
import { formatDate } from '@gestiona/core/format';
import { assertNever } from '@gestiona/core/result';
import { channelSchema, type Channel } from '@gestiona/core/domain';
import type { CatalogCode, CatalogField, TypificationFields } from '@gestiona/core/catalog';
import type { AttemptRecord } from '../store/attempts.ts';
import type { LocalRecordKind } from '../store/interactions.ts';
import type { LocalStore } from '../store/local-store.ts';
import type { Instant } from './instant.ts';

export interface EffectInput {
  code: CatalogCode;
  fields: TypificationFields;
  attempt: AttemptRecord;
  interactionId: string;
  now: Instant;
}

/** Applies every effect of the code; runs inside the wrap-up transaction. */
export function applyEffects(store: LocalStore, input: EffectInput): void {
  const { code, fields, attempt, interactionId, now } = input;
  const record = (kind: LocalRecordKind, dueAt: string | null): void =>
    store.interactions.addRecord({ kind, debtorId: attempt.debtorId, interactionId, dueAt, payload: { code: code.code, fields }, createdAt: now.iso });

  for (const effect of code.effects) {
    switch (effect) {
      case 'flag-number':
        store.interactions.flagContactPoint({
          debtorId: attempt.debtorId,
          contactPointId: attempt.contactPointId,
          reason: `${code.label} (${formatDate(now.iso)})`,
          interactionId,
          flaggedAt: now.iso,
        });
        break;
      case 'revoke-authorization':
        store.interactions.revokeChannel({ personId: attempt.personId, channel: revokedChannel(code, fields, attempt), revokedAt: now.iso, interactionId });
        break;
      case 'schedule-callback':
        record('callback', fieldValue(code, fields, 'datetime'));
        break;
      case 'create-promise':
        record('promise', fieldValue(code, fields, 'date'));
        break;
      case 'create-agreement':
        record('agreement', null);
        break;
      case 'verify-payment':
        record('payment-check', null);
        break;
      case 'pause-collection':
        record('collection-pause', null);
        store.holds.add(attempt.debtorId, { kind: 'dispute', code: code.code, since: now.iso }, interactionId);
        break;
      case 'stop-strategy':
        record('strategy-stop', null);
        store.holds.add(attempt.debtorId, { kind: 'stopped', code: code.code, since: now.iso }, interactionId);
        break;
      default:
        assertNever(effect, 'typification effect');
    }
  }
}

/** Returns the channel the person revoked: the code's channel field, or else the channel of the call. */
function revokedChannel(code: CatalogCode, fields: TypificationFields, attempt: AttemptRecord): Channel {
  const parsed = channelSchema.safeParse(fieldValue(code, fields, 'channel'));
  return parsed.success ? parsed.data : attempt.channel;
}

function fieldValue(code: CatalogCode, fields: TypificationFields, type: CatalogField['type']): string | null {
  const field = code.fields.find((candidate) => candidate.type === type);
  const value = field ? fields[field.name] : undefined;
  return typeof value === 'string' ? value : null;
}
