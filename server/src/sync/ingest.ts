/** Ingest of one pushed batch: each event parsed, checked and stored once, or kept aside as rejected. */
import { syncEventSchema, type PushResult } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';

export interface SocketIdentity {
  agentId: string;
  workstationId: string;
}

/** Issues listed in a rejection reason; the full raw event is kept in `rejected_events`. */
const LISTED_ISSUES = 3;

export async function ingestBatch(
  store: ServerStore,
  rawEvents: readonly unknown[],
  identity: SocketIdentity,
  receivedAt: Date,
  logger: Logger,
): Promise<PushResult[]> {
  const results: PushResult[] = [];
  const counts = { stored: 0, duplicate: 0, rejected: 0 };

  for (const [index, raw] of rawEvents.entries()) {
    const parsed = syncEventSchema.safeParse(raw);
    if (!parsed.success) {
      const eventId = idOf(raw);
      const issues = parsed.error.issues
        .slice(0, LISTED_ISSUES)
        .map((issue) => `${issue.path.join('.') || '(evento)'}: ${issue.message}`)
        .join('; ');
      const reason = `Evento inválido (invalid event): ${issues}.`;
      await store.rejectEvent({ eventId, ...identity, code: 'invalid-event', reason, raw, receivedAt });
      logger.warn({ eventId, index, workstationId: identity.workstationId, code: 'invalid-event' }, 'ingest event: rejected');
      results.push({ id: eventId ?? `#${index}`, status: 'rejected', error: reason });
      counts.rejected += 1;
      continue;
    }

    const event = parsed.data;
    const outcome = await store.ingestEvent(event, { ...identity, receivedAt });
    counts[outcome.status] += 1;
    if (outcome.status === 'rejected') {
      logger.warn({ eventId: event.id, workstationId: identity.workstationId, code: outcome.code }, 'ingest event: rejected');
      results.push({ id: event.id, status: 'rejected', error: outcome.reason });
    } else {
      results.push({ id: event.id, status: outcome.status });
    }
  }

  logger.info({ workstationId: identity.workstationId, agentId: identity.agentId, ...counts }, 'ingest batch: done');
  return results;
}

/** Returns the event's id when the raw value carries a usable one, so the workstation can match the rejection. */
function idOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const { id } = raw;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : null;
}
