/**
 * The group committer's scheduling against a fake store: per-workstation order, no workstation in
 * two groups at once, group size (batches split into parts), and a result for every batch, under
 * random arrivals, store delays and failures.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SyncEvent } from '@gestiona/core/sync';
import { createLogger } from '../logger.ts';
import type { IngestItem, IngestOutcome } from '../store/types.ts';
import { GroupCommitter } from './group-commit.ts';

const RECEIVED_AT = new Date('2026-12-07T09:00:00-05:00');

/** Builds an item whose event carries only what the fake store reads: its id and workstation. */
function item(workstationId: string, id: string): IngestItem {
  return { event: { id, workstationId } as SyncEvent, context: { agentId: 'agente', workstationId, receivedAt: RECEIVED_AT } };
}

const idOf = (entry: IngestItem): string => ('invalid' in entry ? String(entry.invalid.eventId) : entry.event.id);
const workstationOf = (entry: IngestItem): string => ('invalid' in entry ? entry.invalid.workstationId : entry.event.workstationId);

/** A store that "commits" a group after a delay, or fails it when it contains a poisoned id; single events fail only when poisoned. */
class FakeStore {
  readonly groupCommit: { groupsAtOnce: number; maxGroupEvents: number };
  /** Ids in the order the store took them, groups and single events alike, with the committed ones marked. */
  readonly committed: string[] = [];
  readonly groups: string[][] = [];
  private running = new Set<string[]>();
  readonly overlaps: string[] = [];

  constructor(
    groupsAtOnce: number,
    private readonly delays: () => number,
    private readonly poisoned: ReadonlySet<string>,
  ) {
    this.groupCommit = { groupsAtOnce, maxGroupEvents: 1_000 };
  }

  async ingestEvents(items: readonly IngestItem[]): Promise<IngestOutcome[]> {
    const ids = items.map(idOf);
    const workstations = new Set(items.map(workstationOf));
    for (const other of this.running) {
      for (const id of other) if (workstations.has(id.split('/')[0]!)) this.overlaps.push(id);
    }
    this.running.add(ids);
    this.groups.push(ids);
    try {
      await new Promise((resolve) => setTimeout(resolve, this.delays()));
      if (ids.some((id) => this.poisoned.has(id))) throw new Error('injected fault');
      this.committed.push(...ids);
      return ids.map(() => ({ status: 'stored' }));
    } finally {
      this.running.delete(ids);
    }
  }

  async ingestEvent(event: SyncEvent): Promise<IngestOutcome> {
    await new Promise((resolve) => setTimeout(resolve, this.delays()));
    if (this.poisoned.has(event.id)) throw new Error('injected fault');
    this.committed.push(event.id);
    return { status: 'stored' };
  }

  async rejectEvent(): Promise<void> {}
}

interface Batch {
  workstationId: string;
  ids: string[];
  /** Milliseconds after the previous batch's submission. */
  gapMs: number;
}

const scenario = fc.record({
  groupsAtOnce: fc.integer({ min: 1, max: 3 }),
  maxGroupEvents: fc.integer({ min: 1, max: 12 }),
  windowMs: fc.integer({ min: 0, max: 3 }),
  delays: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 20 }),
  batches: fc.array(
    fc.record({ workstation: fc.integer({ min: 0, max: 4 }), size: fc.integer({ min: 1, max: 8 }), gapMs: fc.integer({ min: 0, max: 3 }), poison: fc.option(fc.nat(4), { nil: null }) }),
    { minLength: 1, maxLength: 25 },
  ),
});

describe('group committer scheduling', () => {
  it('keeps order and answers every batch', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (input) => {
        const counters = new Map<string, number>();
        const poisoned = new Set<string>();
        const batches: Batch[] = input.batches.map((spec) => {
          const workstationId = `ws${spec.workstation}`;
          const ids = Array.from({ length: spec.size }, () => {
            const next = (counters.get(workstationId) ?? 0) + 1;
            counters.set(workstationId, next);
            return `${workstationId}/${next}`;
          });
          if (spec.poison !== null && spec.poison < ids.length) poisoned.add(ids[spec.poison]!);
          return { workstationId, ids, gapMs: spec.gapMs };
        });
        let delayIndex = 0;
        const store = new FakeStore(input.groupsAtOnce, () => input.delays[delayIndex++ % input.delays.length]!, poisoned);
        const committer = new GroupCommitter(store, createLogger({ level: 'silent' }), { windowMs: input.windowMs, maxGroupEvents: input.maxGroupEvents });

        const settled: Array<Promise<PromiseSettledResult<IngestOutcome[]>>> = [];
        for (const batch of batches) {
          if (batch.gapMs > 0) await new Promise((resolve) => setTimeout(resolve, batch.gapMs));
          settled.push(
            committer.submit(
              batch.workstationId,
              batch.ids.map((id) => item(batch.workstationId, id)),
            ).then(
              (value) => ({ status: 'fulfilled', value }),
              (reason: unknown) => ({ status: 'rejected', reason }),
            ),
          );
        }
        const results = await Promise.all(settled);

        // Every batch gets a result: one outcome per event, or an error when it contains a poisoned event.
        for (const [index, batch] of batches.entries()) {
          const result = results[index]!;
          if (batch.ids.some((id) => poisoned.has(id))) expect(result.status).toBe('rejected');
          else expect(result).toEqual({ status: 'fulfilled', value: batch.ids.map(() => ({ status: 'stored' })) });
        }

        // Each workstation's committed events are in its submission order, each at most once,
        // and a poisoned batch stores exactly its events before the poisoned one.
        for (const workstationId of counters.keys()) {
          const committed = store.committed.filter((id) => id.startsWith(`${workstationId}/`));
          const expected = batches
            .filter((batch) => batch.workstationId === workstationId)
            .flatMap((batch) => {
              const cut = batch.ids.findIndex((id) => poisoned.has(id));
              return cut === -1 ? batch.ids : batch.ids.slice(0, cut);
            });
          expect(committed).toEqual(expected);
        }

        // No two groups running at once held the same workstation.
        expect(store.overlaps).toEqual([]);
        // A group never exceeds the limit: a larger batch is split into parts.
        for (const group of store.groups) expect(group.length).toBeLessThanOrEqual(input.maxGroupEvents);
      }),
      { numRuns: 60 },
    );
  });
});
