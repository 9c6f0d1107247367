/**
 * Picks the rule pack and the R9 schedule request that were in force at a contact's instant, from
 * histories read once per export. The choices match `RulePacksTable.inForceAt` and
 * `ScheduleRequestsTable.currentAt`, which the ingest re-evaluation uses, so the export and the
 * ingest alarms judge each contact under the same facts.
 */
import type { PersonScheduleRequest } from '@gestiona/core/domain';
import type { StoredScheduleRequest } from '../schedule-requests/types.ts';
import type { RulePackRecord } from '../store/types.ts';

/**
 * Returns the last pack published at or before `at`. An instant before the first publication gets
 * the first pack, because a workstation that had not synced yet used the shipped default, which is
 * the resources file the server published first. Returns null when nothing was published.
 */
export function rulePackInForceAt(history: readonly RulePackRecord[], at: Date): RulePackRecord | null {
  const byPublication = [...history].sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt) || a.id - b.id);
  let inForce: RulePackRecord | null = byPublication[0] ?? null;
  for (const record of byPublication) {
    if (Date.parse(record.publishedAt) <= at.getTime()) inForce = record;
  }
  return inForce;
}

/** Returns the request that was the person's current one at `at`: received by then and not yet replaced. */
export function scheduleRequestAt(history: readonly StoredScheduleRequest[], at: Date): PersonScheduleRequest | null {
  let current: StoredScheduleRequest | null = null;
  for (const request of history) {
    const received = Date.parse(request.receivedAt) <= at.getTime();
    const notYetReplaced = request.replacedAt === null || Date.parse(request.replacedAt) > at.getTime();
    if (received && notYetReplaced && (current === null || request.id > current.id)) current = request;
  }
  if (current === null) return null;

  const { window, requestedOn, contractSignedOn, evidence, consumerInitiated, receivedAt } = current;
  return { window, requestedOn, contractSignedOn, evidence, consumerInitiated, receivedAt };
}
