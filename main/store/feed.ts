/**
 * Applies one pulled batch of the change feed. The whole batch and the new cursor commit together,
 * so a crash never leaves half a batch applied or a cursor past entries we do not have.
 */
import { feedEntrySchema, type FeedEntry } from '@gestiona/core/sync';
import { assertNever } from '@gestiona/core/result';
import type { LocalStore } from './local-store.ts';

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

/** Validates every entry first; an invalid entry rejects the whole batch and nothing is applied. */
export function applyFeedBatch(store: LocalStore, rawEntries: readonly unknown[], cursor: number): AppliedBatch {
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
    for (const entry of entries) {
      applyEntry(store, entry, debtorsChanged);
    }
    store.meta.setFeedCursor(cursor);
  });
  return { applied: entries.length, debtorsChanged };
}

function applyEntry(store: LocalStore, entry: FeedEntry, debtorsChanged: string[]): void {
  switch (entry.type) {
    case 'debtor.upsert':
      store.debtors.replace(entry.payload);
      debtorsChanged.push(entry.payload.id);
      return;
    case 'debtor.remove':
      // Ledger rows stay: they still count toward the person's limits if the debtor comes back.
      store.debtors.remove(entry.payload.debtorId);
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
    case 'ledger.add':
      store.ledger.addRemote(entry.payload);
      return;
    default:
      assertNever(entry, 'feed entry type');
  }
}
