/**
 * Bounds the push batches one server node ingests at a time. After a restart, hundreds of
 * workstations reconnect within seconds and each pushes its whole outbox. Without a bound, every
 * batch would start at once and share the store's single writer (SQLite) or its connection pool
 * (PostgreSQL). Each acknowledgement would then wait behind all the others until the clients'
 * acknowledgement timeouts expired. The clients would send the batches again and reconnect,
 * adding to the storm.
 *
 * The gate counts work in events, because the group committer (`group-commit.ts`) merges the
 * running batches of all sockets into transactions by event count. One-event batches from many
 * workstations fill one group, and a 200-event batch takes a group slot for several groups.
 * A batch runs at once while the running events stay within `maxRunningEvents`, waits in a FIFO
 * queue, or is turned away with a wait the client honours before sending it again. A batch
 * larger than `maxRunningEvents` runs alone, so that any valid batch gets in when the node is idle.
 * Besides events, the gate bounds the batches it holds (running and waiting), because each one is
 * a socket.io message of up to 4 MiB kept in memory until it is acknowledged. A batch is also
 * turned away when its expected wait, from the events ahead of it and the measured time per
 * event, exceeds `maxQueueWaitMs`. Nothing of a turned-away batch has been read, so sending it
 * again is safe.
 */
import type { IngestLimits } from '../limits.ts';

export type GateDecision<T> = { admitted: true; result: Promise<T> } | { admitted: false; retryAfterMs: number };

export interface IngestGateStats {
  runningBatches: number;
  runningEvents: number;
  queuedBatches: number;
  queuedEvents: number;
  /** Batches turned away since the gate was created. */
  turnedAway: number;
  /** Measured ingest time per event while batches run, in ms, from which the expected wait is sized. */
  msPerEvent: number;
}

interface QueuedBatch {
  events: number;
  start(): void;
}

export class IngestGate {
  private runningBatches = 0;
  private runningEvents = 0;
  private readonly queue: QueuedBatch[] = [];
  private queuedEvents = 0;
  private turnedAway = 0;
  private readonly rate: IngestRate;

  constructor(
    private readonly limits: IngestLimits,
    private readonly clock: () => number = () => performance.now(),
  ) {
    const valid =
      Number.isInteger(limits.maxRunningEvents) &&
      limits.maxRunningEvents >= 1 &&
      Number.isInteger(limits.maxHeldBatches) &&
      limits.maxHeldBatches >= 1 &&
      limits.maxQueueWaitMs >= 0 &&
      limits.minRetryAfterMs >= 1 &&
      limits.maxRetryAfterMs >= limits.minRetryAfterMs;
    if (!valid) {
      throw new Error(
        `Invalid ingest limits ${JSON.stringify(limits)}: maxRunningEvents and maxHeldBatches must be whole numbers of at least 1, maxQueueWaitMs at least 0, and 1 ≤ minRetryAfterMs ≤ maxRetryAfterMs`,
      );
    }
    this.rate = new IngestRate();
  }

  /**
   * Runs `work`, a batch of `events` events, now or after the batches queued before it, or returns
   * how long the client should wait before sending it again.
   */
  tryRun<T>(events: number, work: () => Promise<T>): GateDecision<T> {
    if (!Number.isInteger(events) || events < 1) throw new RangeError(`Invalid push batch size ${events}: expected a whole number of at least 1 event`);

    const held = this.runningBatches + this.queue.length;
    if (held >= this.limits.maxHeldBatches) return this.turnAway(events);
    if (this.queue.length === 0 && this.fits(events)) return { admitted: true, result: this.start(events, work) };
    if (this.expectedWaitMs(events) > this.limits.maxQueueWaitMs) return this.turnAway(events);
    return { admitted: true, result: this.enqueue(events, work) };
  }

  stats(): IngestGateStats {
    return {
      runningBatches: this.runningBatches,
      runningEvents: this.runningEvents,
      queuedBatches: this.queue.length,
      queuedEvents: this.queuedEvents,
      turnedAway: this.turnedAway,
      msPerEvent: this.rate.msPerEvent(),
    };
  }

  /** Returns whether a batch of `events` may start beside the running ones. On an idle gate, any batch may. */
  private fits(events: number): boolean {
    return this.runningBatches === 0 || this.runningEvents + events <= this.limits.maxRunningEvents;
  }

  /**
   * Estimates the time until a batch of `events` queued now would start: the events ahead of it
   * that must finish before it fits (all of them when it is larger than the limit), at the
   * measured time per event.
   */
  private expectedWaitMs(events: number): number {
    const ahead = this.runningEvents + this.queuedEvents;
    const mustFinish = Math.min(ahead, Math.max(0, ahead + events - this.limits.maxRunningEvents));
    return mustFinish * this.rate.msPerEvent();
  }

  /**
   * Turns the batch away with the wait it would have had in the queue, clamped to the configured
   * range. The client adds its own jitter, so that turned-away clients do not return in step.
   */
  private turnAway(events: number): GateDecision<never> {
    this.turnedAway += 1;
    const estimate = Math.ceil(this.expectedWaitMs(events));
    return { admitted: false, retryAfterMs: Math.min(this.limits.maxRetryAfterMs, Math.max(this.limits.minRetryAfterMs, estimate)) };
  }

  private enqueue<T>(events: number, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queuedEvents += events;
      this.queue.push({
        events,
        start: () => {
          this.queuedEvents -= events;
          this.start(events, work).then(resolve, reject);
        },
      });
    });
  }

  private start<T>(events: number, work: () => Promise<T>): Promise<T> {
    if (this.runningBatches === 0) this.rate.busyFrom(this.clock());
    this.runningBatches += 1;
    this.runningEvents += events;
    const finish = (): void => {
      this.runningBatches -= 1;
      this.runningEvents -= events;
      this.rate.finished(events, this.clock());
      this.startQueued();
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

  /** Starts queued batches in arrival order while the oldest one fits; a later batch never overtakes it. */
  private startQueued(): void {
    while (this.queue.length > 0 && this.fits(this.queue[0]!.events)) this.queue.shift()!.start();
  }
}

/**
 * Time per event until the first batch finishes, in ms. After a restart, the whole fleet pushes
 * before anything is measured, and this queues about 5,000 events (25 full batches) behind the
 * running ones within the 5 s wait limit.
 * NOTE: an estimate, rounded up from the 0.7 ms of CPU per event that `scripts/bench-storm.ts`
 * measured on SQLite on a 2-core machine. A slower store gets more batches admitted than it can
 * serve within the wait limit, until its first batch finishes.
 */
const INITIAL_MS_PER_EVENT = 1;

/**
 * Half-life of the measurements behind the time per event, in ms of busy time. The wait it
 * estimates is a few seconds (`maxQueueWaitMs`), so the last few seconds of work count most.
 */
const RATE_HALF_LIFE_MS = 1_000;

/**
 * Ingest time per event, measured over the time when at least one batch runs. Batches that run at
 * once share that time, so one event's cost in a full group of 200 comes out lower than the
 * latency of a lone one-event batch, as it is. Idle time between batches counts for nothing.
 */
class IngestRate {
  private busyMs = 0;
  private events = 0;
  private busySince = 0;

  /** Marks the start of busy time: the first batch starts on an idle gate. */
  busyFrom(now: number): void {
    this.busySince = now;
  }

  /**
   * Adds a finished batch: its events, and the busy time since the previous batch finished or the
   * gate became busy. Batches that finish together add their events without more time, and the
   * older measurements decay by that time only, so the order in which they finish does not matter.
   */
  finished(events: number, now: number): void {
    const elapsed = Math.max(0, now - this.busySince);
    const decay = 0.5 ** (elapsed / RATE_HALF_LIFE_MS);
    this.busyMs = this.busyMs * decay + elapsed;
    this.events = this.events * decay + events;
    this.busySince = now;
  }

  msPerEvent(): number {
    return this.events > 0 ? this.busyMs / this.events : INITIAL_MS_PER_EVENT;
  }
}
