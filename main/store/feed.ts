/**
 * Applies one pulled batch of the change feed. The whole batch and the new cursor commit together,
 * so a crash never leaves half a batch applied or a cursor past entries we do not have.
 */
import { toBogotaIso } from '@gestiona/core/format';
import { feedEntrySchema, type FeedEntry } from '@gestiona/core/sync';
import { assertNever } from '@gestiona/core/result';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import type { LocalStore } from './local-store.ts';
import type { DebtorStrategyFields } from './strategy.ts';

export class InvalidFeedEntryError extends Error {
  readonly index: number;
  readonly seq: unknown;

  constructor(index: number, seq: unknown, detail: string) {
    super(`Feed entry ${index} (seq ${String(seq)}) is invalid: ${detail}`);
    this.name = 'InvalidFeedEntryError';
    this.index = index;
    this.seq = seq;
  }
}

export interface AppliedBatch {
  applied: number;
  /** Debtors added, replaced or removed: the worklist must refresh when this is not empty. */
  debtorsChanged: string[];
}

/**
 * Validates every entry first; an invalid entry rejects the whole batch and nothing is applied.
 * An entry that parses but breaks a table constraint (a debtor listing the same person twice, a
 * contact point of a person it does not list) rolls the batch back and is reported as invalid
 * too. Only a new batch from the server can get the feed past it. `appliedAt` (trusted
 * time) dates the release acknowledgements that removals queue.
 */
export function applyFeedBatch(store: LocalStore, rawEntries: readonly unknown[], cursor: number, appliedAt: string = toBogotaIso(new Date())): AppliedBatch {
  const entries: FeedEntry[] = rawEntries.map((raw, index) => {
    const parsed = feedEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const seq = typeof raw === 'object' && raw !== null && 'seq' in raw ? raw.seq : undefined;
      const issue = parsed.error.issues[0];
      throw new InvalidFeedEntryError(index, seq, issue ? `${issue.path.join('.') || '(entry)'}: ${issue.message}` : parsed.error.message);
    }
    return parsed.data;
  });

  const debtorsChanged: string[] = [];
  store.transaction(() => {
    entries.forEach((entry, index) => {
      try {
        applyEntry(store, entry, debtorsChanged, appliedAt);
      } catch (error) {
        if (isConstraintViolation(error)) throw new InvalidFeedEntryError(index, entry.seq, error.message);
        throw error;
      }
    });
    store.meta.setFeedCursor(cursor);
  });
  return { applied: entries.length, debtorsChanged };
}

/** better-sqlite3 reports every broken constraint with a `SQLITE_CONSTRAINT_*` code. */
function isConstraintViolation(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('SQLITE_CONSTRAINT');
}

function applyEntry(store: LocalStore, entry: FeedEntry, debtorsChanged: string[], appliedAt: string): void {
  switch (entry.type) {
    case 'debtor.upsert':
      store.debtors.replace(entry.payload);
      store.strategy.setDebtorStrategy(entry.payload.id, debtorStrategyFields(entry.payload));
      debtorsChanged.push(entry.payload.id);
      return;
    case 'debtor.remove':
      removeDebtor(store, entry.payload, appliedAt);
      debtorsChanged.push(entry.payload.debtorId);
      return;
    case 'catalog.set':
      store.referenceData.setCatalog(entry.payload);
      return;
    case 'script.set':
      store.referenceData.setScript(entry.payload);
      return;
    case 'rulepack.set':
      store.referenceData.setRulePack(entry.payload);
      return;
    case 'strategy.set':
      // Every debtor's timeline may change, so every row of the worklist may show another task.
      store.strategy.setStrategySet(entry.payload.version, entry.payload, appliedAt);
      for (const debtorId of store.strategy.debtorIds()) debtorsChanged.push(debtorId);
      return;
    case 'ledger.add':
      store.ledger.addRemote(entry.payload);
      return;
    case 'hold.set':
      store.holds.replace(entry.payload.debtorId, entry.payload.holds);
      store.tasks.forgetPlan(entry.payload.debtorId);
      debtorsChanged.push(entry.payload.debtorId);
      return;
    case 'promise.upsert':
      store.promises.put(entry.payload, appliedAt);
      store.tasks.forgetPlan(entry.payload.debtorId);
      debtorsChanged.push(entry.payload.debtorId);
      return;
    case 'payment.add':
      store.promises.putPayment(entry.payload, appliedAt);
      store.tasks.forgetPlan(entry.payload.debtorId);
      debtorsChanged.push(entry.payload.debtorId);
      return;
    default:
      assertNever(entry, 'feed entry type');
  }
}

/** Returns the snapshot's strategy fields; a server without strategies sends none, which stores NULLs. */
function debtorStrategyFields(snapshot: DebtorSnapshot): DebtorStrategyFields {
  return {
    segmentName: snapshot.segmentName ?? null,
    treatmentId: snapshot.treatmentId ?? null,
    strategyVersion: snapshot.strategyVersion ?? null,
    assignedAt: snapshot.assignedAt ?? null,
  };
}

/**
 * Removes the debtor and queues the acknowledgement the server hands the debtor on with, in the
 * same transaction: every earlier outbox event, the contacts with this debtor included, goes
 * before it. While a wrap-up with the debtor is open, the debtor stays, unleased so that it cannot
 * be dialed, for the agent to finish typifying, and the acknowledgement waits for that interaction.
 * The worklist's purge removes the debtor once the wrap-up is saved.
 */
function removeDebtor(store: LocalStore, removal: Extract<FeedEntry, { type: 'debtor.remove' }>['payload'], appliedAt: string): void {
  const { debtorId, leaseId, reason } = removal;
  const wrapUpOpen = store.attempts.pending()?.debtorId === debtorId;
  // Ledger rows stay: they still count toward the person's limits if the debtor comes back.
  if (wrapUpOpen) store.debtors.endLease(debtorId, appliedAt);
  else {
    store.debtors.remove(debtorId);
    store.promises.removeDebtor(debtorId);
  }

  // Older servers name no lease, and a store without an agent has sent nothing to acknowledge.
  const agent = store.meta.agent();
  if (leaseId === undefined || agent === null) return;
  const payload = { debtorId, leaseId, reason, removedAt: appliedAt };
  if (wrapUpOpen) store.outbox.holdRelease({ agentId: agent.id, payload });
  else store.outbox.enqueue({ type: 'lease.released', payload, agentId: agent.id, occurredAt: appliedAt });
}
