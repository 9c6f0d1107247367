/**
 * Group commit: the push batches that arrive from many sockets within a few milliseconds are
 * ingested in one transaction. One commit then serves all of them instead of one commit per event:
 * one wait for the disk with SQLite, one BEGIN/COMMIT pair with PostgreSQL.
 *
 * What stays as with one transaction per event:
 * - exactly once: every event of a group is checked against the events stored before it,
 *   those of the same group included, so a duplicate inside a group is acknowledged `duplicate`;
 * - per-workstation order: the events of a group run in the order their batches arrived, and two
 *   groups that run at once (PostgreSQL) never hold events of the same workstation. A batch larger
 *   than the group limit is split into parts that commit one after the other, in order;
 * - acknowledgements only after commit: a batch's outcomes are returned once every part of it
 *   committed.
 *
 * When a group fails (an error in one event, or a commit that fails), the whole group is rolled
 * back and its batches run again one event per transaction, in order, as they did before group
 * commit. Each batch then gets its own result: the batches without a failing event get their
 * outcomes, and a batch with one fails as a whole (its socket acknowledges an internal error)
 * after storing the events before the failing one. Its workstation sends that batch again, and
 * those events come back `duplicate`. The events after the failing one are not attempted, so
 * nothing of a workstation is stored out of order.
 */
import type { Logger } from '../logger.ts';
import type { IngestItem, IngestOutcome, ServerStore } from '../store/types.ts';

export interface GroupCommitOptions {
  /** Milliseconds a first batch waits for others before its group starts; 0 waits only for the messages already read. */
  windowMs: number;
  /** Events per group; a larger batch is split. Default: the store's `groupCommit.maxGroupEvents`. */
  maxGroupEvents?: number;
}

/**
 * A 0 ms timer (at least 1 ms in Node) gathers the pushes read in the same turn of the event loop,
 * and the pushes that arrive while a group runs form the next group, so no fixed wait is added.
 */
export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { windowMs: 0 };

export interface GroupCommitStats {
  groups: number;
  events: number;
  /** Groups rolled back and run again one event per transaction. */
  fallbacks: number;
}

interface PendingBatch {
  items: readonly IngestItem[];
  workstationId: string;
  /** Items of earlier parts, already committed or in a running group. */
  taken: number;
  outcomes: IngestOutcome[];
  failed: boolean;
  resolve(outcomes: IngestOutcome[]): void;
  reject(error: unknown): void;
}

/** The part of a batch in one group. */
interface GroupPart {
  batch: PendingBatch;
  items: readonly IngestItem[];
  /** True when this part contains the batch's last item. */
  last: boolean;
}

type GroupStore = Pick<ServerStore, 'ingestEvent' | 'ingestEvents' | 'rejectEvent' | 'groupCommit'>;

export class GroupCommitter {
  /** Batches with items not yet taken, oldest first. */
  private readonly pending: PendingBatch[] = [];
  private pendingEvents = 0;
  /** Workstations with items in a running group; their next items wait for the following group. */
  private readonly busyWorkstations = new Set<string>();
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly counters: GroupCommitStats = { groups: 0, events: 0, fallbacks: 0 };
  private readonly maxGroupEvents: number;
  private readonly groupsAtOnce: number;

  constructor(
    private readonly store: GroupStore,
    private readonly logger: Logger,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {
    this.maxGroupEvents = options.maxGroupEvents ?? store.groupCommit.maxGroupEvents;
    this.groupsAtOnce = store.groupCommit.groupsAtOnce;
    if (!(options.windowMs >= 0) || !(this.maxGroupEvents >= 1) || !(this.groupsAtOnce >= 1)) {
      throw new Error(
        `Invalid group commit settings (windowMs ${options.windowMs}, maxGroupEvents ${this.maxGroupEvents}, groupsAtOnce ${this.groupsAtOnce}): windowMs must be at least 0, the others at least 1`,
      );
    }
  }

  /**
   * Ingests the items of one push batch, all from one workstation and in its order. Resolves with
   * one outcome per item after the commits that stored them; rejects when the batch failed.
   */
  submit(workstationId: string, items: readonly IngestItem[]): Promise<IngestOutcome[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<IngestOutcome[]>((resolve, reject) => {
      this.pending.push({ items, workstationId, taken: 0, outcomes: [], failed: false, resolve, reject });
      this.pendingEvents += items.length;
      this.schedule();
    });
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  private schedule(): void {
    if (this.running >= this.groupsAtOnce || this.pending.length === 0) return;
    if (this.pendingEvents >= this.maxGroupEvents) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.startGroups();
      return;
    }
    // Even a 0 ms timer lets the loop read the messages that already arrived, so they join the group.
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.startGroups();
    }, this.options.windowMs);
  }

  /**
   * Starts groups while slots are free. A group that would not be full starts only when no other
   * group runs: its events then wait for the running group instead of taking a transaction of their
   * own. On PostgreSQL, eight transactions of one event each abort each other far more often than
   * one transaction of eight events (SERIALIZABLE checks conflicts per index page), and they send
   * eight BEGIN/COMMIT pairs. Full groups still run side by side when the store allows several.
   */
  private startGroups(): void {
    while (this.running < this.groupsAtOnce) {
      if (this.running > 0 && this.pendingEvents < this.maxGroupEvents) return;
      const group = this.takeGroup();
      if (group.length === 0) return;
      this.run(group);
    }
  }

  /**
   * Takes up to `maxGroupEvents` of the oldest pending items. A workstation already in a running
   * group is skipped with all its later batches, and so is every later batch of a workstation
   * whose batch was only partly taken, so that its items enter the store in order.
   */
  private takeGroup(): GroupPart[] {
    const group: GroupPart[] = [];
    const skipped = new Set<string>();
    let room = this.maxGroupEvents;
    for (let index = 0; index < this.pending.length && room > 0; ) {
      const batch = this.pending[index]!;
      if (skipped.has(batch.workstationId) || this.busyWorkstations.has(batch.workstationId)) {
        skipped.add(batch.workstationId);
        index += 1;
        continue;
      }
      const count = Math.min(room, batch.items.length - batch.taken);
      const items = batch.items.slice(batch.taken, batch.taken + count);
      batch.taken += count;
      room -= count;
      this.pendingEvents -= count;
      const last = batch.taken === batch.items.length;
      group.push({ batch, items, last });
      if (last) {
        this.pending.splice(index, 1);
      } else {
        skipped.add(batch.workstationId);
        index += 1;
      }
    }
    return group;
  }

  private run(group: GroupPart[]): void {
    this.running += 1;
    for (const part of group) this.busyWorkstations.add(part.batch.workstationId);
    void this.commit(group).finally(() => {
      this.running -= 1;
      for (const part of group) this.busyWorkstations.delete(part.batch.workstationId);
      // The items that arrived during this group form the next one without a window, because they
      // already waited. setImmediate first lets the loop read sockets and send acknowledgements.
      if (this.pending.length > 0) setImmediate(() => this.startGroups());
    });
  }

  private async commit(group: GroupPart[]): Promise<void> {
    const items = group.flatMap((part) => part.items);
    this.counters.groups += 1;
    this.counters.events += items.length;
    let outcomes: IngestOutcome[];
    const started = performance.now();
    try {
      outcomes = await this.store.ingestEvents(items);
      this.logger.debug({ batches: group.length, events: items.length, running: this.running, ms: Math.round(performance.now() - started) }, 'commit event group: done');
    } catch (error) {
      this.counters.fallbacks += 1;
      this.logger.warn({ err: error, batches: group.length, events: items.length }, 'commit event group: failed, ingesting its events one by one');
      await this.runAlone(group);
      return;
    }
    let offset = 0;
    for (const part of group) {
      this.finishPart(part, outcomes.slice(offset, offset + part.items.length));
      offset += part.items.length;
    }
  }

  /** Ingests each part of a failed group one event per transaction, stopping a batch at its first error. */
  private async runAlone(group: GroupPart[]): Promise<void> {
    for (const part of group) {
      const outcomes: IngestOutcome[] = [];
      try {
        for (const item of part.items) outcomes.push(await this.ingestAlone(item));
      } catch (error) {
        this.failBatch(part.batch, error);
        continue;
      }
      this.finishPart(part, outcomes);
    }
  }

  private finishPart(part: GroupPart, outcomes: IngestOutcome[]): void {
    part.batch.outcomes.push(...outcomes);
    if (part.last && !part.batch.failed) part.batch.resolve(part.batch.outcomes);
  }

  /** Rejects the batch and drops its items not yet taken, so that nothing after the failing event is stored. */
  private failBatch(batch: PendingBatch, error: unknown): void {
    batch.failed = true;
    const index = this.pending.indexOf(batch);
    if (index !== -1) {
      this.pending.splice(index, 1);
      this.pendingEvents -= batch.items.length - batch.taken;
    }
    batch.reject(error);
  }

  private async ingestAlone(item: IngestItem): Promise<IngestOutcome> {
    if (!('invalid' in item)) return this.store.ingestEvent(item.event, item.context);
    await this.store.rejectEvent(item.invalid);
    return { status: 'rejected', code: item.invalid.code, reason: item.invalid.reason };
  }
}
