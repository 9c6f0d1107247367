/** Ingest of one pushed batch: each event parsed, checked and stored once, or kept aside as rejected. */
import { z } from 'zod';
import { syncEventSchema, type PushResult } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import type { IngestItem, IngestOutcome, ServerStore } from '../store/types.ts';
import type { GroupCommitter } from './group-commit.ts';

export interface SocketIdentity {
  agentId: string;
  workstationId: string;
}

/** Issues listed in a rejection reason; the full raw event is kept in `rejected_events`. */
const LISTED_ISSUES = 3;

/** A rejection reason reaches the agent's outbox and the compliance officer's list, so zod words it in Spanish. */
const SPANISH_ERRORS = z.locales.es().localeError;

/**
 * Parses every pushed value, then stores the events and keeps aside the invalid values in the
 * batch's order, and returns one result per value in that order once they are committed. With a
 * group committer (the socket server), the batch shares transactions with other sockets'
 * batches; without one, each value has its own transaction.
 */
export async function ingestBatch(
  store: ServerStore,
  rawEvents: readonly unknown[],
  identity: SocketIdentity,
  receivedAt: Date,
  logger: Logger,
  committer?: GroupCommitter,
): Promise<PushResult[]> {
  const ids: string[] = [];
  const items: IngestItem[] = [];

  for (const [index, raw] of rawEvents.entries()) {
    const parsed = syncEventSchema.safeParse(raw, { error: SPANISH_ERRORS });
    if (parsed.success) {
      ids.push(parsed.data.id);
      items.push({ event: parsed.data, context: { ...identity, receivedAt } });
      continue;
    }
    const eventId = idOf(raw);
    const issues = parsed.error.issues
      .slice(0, LISTED_ISSUES)
      .map((issue) => `${issue.path.join('.') || '(evento)'}: ${issue.message}`)
      .join('; ');
    const reason = `Evento inválido (invalid event): ${issues}.`;
    ids.push(eventId ?? `#${index}`);
    items.push({ invalid: { eventId, ...identity, code: 'invalid-event', reason, raw, receivedAt } });
  }

  const outcomes = committer ? await committer.submit(identity.workstationId, items) : await ingestOneByOne(store, items);
  const counts = { stored: 0, duplicate: 0, rejected: 0 };
  const results = outcomes.map((outcome, index): PushResult => {
    counts[outcome.status] += 1;
    const id = ids[index]!;
    if (outcome.status !== 'rejected') return { id, status: outcome.status };
    logger.warn({ eventId: id, index, workstationId: identity.workstationId, code: outcome.code }, 'ingest event: rejected');
    return { id, status: 'rejected', error: outcome.reason };
  });

  logger.info({ workstationId: identity.workstationId, agentId: identity.agentId, ...counts }, 'ingest batch: done');
  return results;
}

/** Ingests each item in its own transaction, in order. */
async function ingestOneByOne(store: ServerStore, items: readonly IngestItem[]): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  for (const item of items) {
    if ('invalid' in item) {
      await store.rejectEvent(item.invalid);
      outcomes.push({ status: 'rejected', code: item.invalid.code, reason: item.invalid.reason });
    } else {
      outcomes.push(await store.ingestEvent(item.event, item.context));
    }
  }
  return outcomes;
}

/** Returns the event's id when the raw value carries a usable one, so the workstation can match the rejection. */
function idOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('id' in raw)) return null;
  const { id } = raw;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : null;
}
