/**
 * Bounds the push batches one server node ingests at a time. After a restart, hundreds of
 * workstations reconnect within seconds and each pushes its whole outbox. Without a bound, every
 * batch would start at once and share the store's single writer (SQLite) or its connection pool
 * (PostgreSQL). Each acknowledgement would then wait behind all the others until the clients'
 * acknowledgement timeouts expired. The clients would send the batches again and reconnect,
 * adding to the storm.
 *
 * A batch either runs at once (below `maxConcurrentBatches`), waits in a FIFO queue, or is turned
 * away with a wait the client honours before sending it again. The queue is bounded by length and
 * by the expected wait, estimated from recent batch durations. Nothing of a turned-away batch has
 * been read, so sending it again is safe.
 */
import type { IngestLimits } from '../limits.ts';

export type GateDecision<T> = { admitted: true; result: Promise<T> } | { admitted: false; retryAfterMs: number };

export interface IngestGateStats {
  running: number;
  queued: number;
  /** Batches turned away since the gate was created. */
  turnedAway: number;
}

/** Weight of the newest batch duration in the moving average that sizes `retryAfterMs`. */
const DURATION_SMOOTHING = 0.2;

export class IngestGate {
  private running = 0;
  private readonly queue: Array<() => void> = [];
  private turnedAway = 0;
  /** Moving average of one batch's ingest time, in ms; starts at the configured minimum wait. */
  private averageBatchMs: number;

  constructor(
    private readonly limits: IngestLimits,
    private readonly clock: () => number = () => performance.now(),
  ) {
    const valid =
      limits.maxConcurrentBatches >= 1 &&
      limits.maxQueuedBatches >= 0 &&
      limits.maxQueueWaitMs >= 0 &&
      limits.minRetryAfterMs >= 1 &&
      limits.maxRetryAfterMs >= limits.minRetryAfterMs;
    if (!valid) {
      throw new Error(
        `Invalid ingest limits ${JSON.stringify(limits)}: maxConcurrentBatches must be at least 1, maxQueuedBatches and maxQueueWaitMs at least 0, and 1 ≤ minRetryAfterMs ≤ maxRetryAfterMs`,
      );
    }
    this.averageBatchMs = limits.minRetryAfterMs;
  }

  /** Runs `work` now or after the batches queued before it, or returns how long the client should wait. */
  tryRun<T>(work: () => Promise<T>): GateDecision<T> {
    const mustWait = this.running >= this.limits.maxConcurrentBatches;
    if (mustWait && (this.queue.length >= this.limits.maxQueuedBatches || this.expectedWaitMs() > this.limits.maxQueueWaitMs)) {
      this.turnedAway += 1;
      return { admitted: false, retryAfterMs: this.retryAfterMs() };
    }
    const result = this.running < this.limits.maxConcurrentBatches ? this.start(work) : this.enqueue(work);
    return { admitted: true, result };
  }

  stats(): IngestGateStats {
    return { running: this.running, queued: this.queue.length, turnedAway: this.turnedAway };
  }

  /**
   * Returns the time the batches ahead need, from the average batch duration, clamped to the
   * configured range. The client adds its own jitter, so that turned-away clients do not return in step.
   */
  private retryAfterMs(): number {
    const estimate = Math.ceil(this.expectedWaitMs());
    return Math.min(this.limits.maxRetryAfterMs, Math.max(this.limits.minRetryAfterMs, estimate));
  }

  /** Returns the time until a batch queued now would start: the batches ahead of it, shared among the running slots. */
  private expectedWaitMs(): number {
    const ahead = this.running + this.queue.length;
    return (ahead / this.limits.maxConcurrentBatches) * this.averageBatchMs;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push(() => {
        this.start(work).then(resolve, reject);
      });
    });
  }

  private start<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    const started = this.clock();
    const finish = (): void => {
      this.running -= 1;
      this.averageBatchMs += DURATION_SMOOTHING * (this.clock() - started - this.averageBatchMs);
      this.queue.shift()?.();
    };
    let result: Promise<T>;
    try {
      result = work();
    } catch (error) {
      result = Promise.reject(error as Error);
    }
    result.then(finish, finish);
    return result;
  }
}
