import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IngestLimits } from '../limits.ts';
import { IngestGate } from './ingest-gate.ts';

const LIMITS: IngestLimits = { maxConcurrentBatches: 2, maxQueuedBatches: 3, maxQueueWaitMs: 60_000, minRetryAfterMs: 1_000, maxRetryAfterMs: 30_000 };

/** A task that finishes when the test says so. */
function deferred<T = string>(): { promise: Promise<T>; resolve(value: T): void; reject(error: Error): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('IngestGate', () => {
  it('runs up to the concurrency limit, queues up to the queue limit, then turns away', () => {
    const gate = new IngestGate(LIMITS);
    const started: number[] = [];
    const decisions = Array.from({ length: 6 }, (_, index) =>
      gate.tryRun(() => {
        started.push(index);
        return deferred().promise;
      }),
    );

    expect(decisions.map((decision) => decision.admitted)).toEqual([true, true, true, true, true, false]);
    expect(started).toEqual([0, 1]);
    expect(gate.stats()).toEqual({ running: 2, queued: 3, turnedAway: 1 });
  });

  it('starts queued batches in arrival order as running ones finish', async () => {
    const gate = new IngestGate(LIMITS);
    const tasks = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const results = tasks.map((task, index) =>
      gate.tryRun(() => {
        started.push(index);
        return task.promise;
      }),
    );

    tasks[1]!.resolve('b');
    await settle();
    expect(started).toEqual([0, 1, 2]);
    tasks[0]!.resolve('a');
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);

    for (const task of tasks) task.resolve('done');
    const values = await Promise.all(results.map((decision) => (decision.admitted ? decision.result : null)));
    expect(values).toEqual(['a', 'b', 'done', 'done', 'done']);
    expect(gate.stats()).toEqual({ running: 0, queued: 0, turnedAway: 0 });
  });

  it('passes a failure to its caller and keeps the queue moving', async () => {
    const gate = new IngestGate({ ...LIMITS, maxConcurrentBatches: 1 });
    const failing = gate.tryRun(() => Promise.reject(new Error('database unavailable')));
    const throwing = gate.tryRun(() => {
      throw new Error('thrown before any await');
    });
    const next = gate.tryRun(async () => 'stored');

    expect(failing.admitted && throwing.admitted && next.admitted).toBe(true);
    await expect(failing.admitted ? failing.result : null).rejects.toThrow('database unavailable');
    await expect(throwing.admitted ? throwing.result : null).rejects.toThrow('thrown before any await');
    await expect(next.admitted ? next.result : null).resolves.toBe('stored');
  });

  it('turns away a batch that would wait too long', () => {
    // The average batch starts at minRetryAfterMs (1 s): the second queued batch would wait 2 s, the third 3 s.
    const gate = new IngestGate({ ...LIMITS, maxConcurrentBatches: 1, maxQueuedBatches: 10, maxQueueWaitMs: 2_500 }, () => 0);
    const decisions = Array.from({ length: 4 }, () => gate.tryRun(() => deferred().promise));

    expect(decisions.map((decision) => decision.admitted)).toEqual([true, true, true, false]);
    expect(decisions[3]).toEqual({ admitted: false, retryAfterMs: 3_000 });
    expect(gate.stats()).toEqual({ running: 1, queued: 2, turnedAway: 1 });
  });

  it.each([
    { name: 'no history', batchMs: null, expected: 1_000 },
    { name: 'slow batches', batchMs: 100_000, expected: 30_000 },
  ])('bounds the wait told to the client with $name', async ({ batchMs, expected }) => {
    let now = 0;
    const gate = new IngestGate({ ...LIMITS, maxConcurrentBatches: 1, maxQueuedBatches: 0 }, () => now);
    if (batchMs !== null) {
      // Ten slow batches move the average close to their duration.
      for (let index = 0; index < 10; index += 1) {
        const decision = gate.tryRun(async () => {
          now += batchMs;
        });
        if (decision.admitted) await decision.result;
      }
    }
    const blocker = deferred();
    gate.tryRun(() => blocker.promise);
    const turnedAway = gate.tryRun(async () => 'never');
    expect(turnedAway).toEqual({ admitted: false, retryAfterMs: expected });
    blocker.resolve('done');
  });

  it.each([
    { maxConcurrentBatches: 0, maxQueuedBatches: 1, maxQueueWaitMs: 1, minRetryAfterMs: 1, maxRetryAfterMs: 1 },
    { maxConcurrentBatches: 1, maxQueuedBatches: -1, maxQueueWaitMs: 1, minRetryAfterMs: 1, maxRetryAfterMs: 1 },
    { maxConcurrentBatches: 1, maxQueuedBatches: 1, maxQueueWaitMs: -1, minRetryAfterMs: 1, maxRetryAfterMs: 1 },
    { maxConcurrentBatches: 1, maxQueuedBatches: 1, maxQueueWaitMs: 1, minRetryAfterMs: 0, maxRetryAfterMs: 1 },
    { maxConcurrentBatches: 1, maxQueuedBatches: 1, maxQueueWaitMs: 1, minRetryAfterMs: 10, maxRetryAfterMs: 5 },
  ])('rejects invalid limits %o', (limits) => {
    expect(() => new IngestGate(limits)).toThrow(/Invalid ingest limits/);
  });

  it('never runs more than the limit and runs every admitted batch once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ maxConcurrentBatches: fc.integer({ min: 1, max: 4 }), maxQueuedBatches: fc.integer({ min: 0, max: 6 }) }),
        // Each step either submits a batch or finishes one of the running batches, chosen by index.
        fc.array(fc.oneof(fc.constant<'submit'>('submit'), fc.nat({ max: 10 })), { minLength: 1, maxLength: 60 }),
        async (sizes, steps) => {
          // A wait limit this long never applies, so that only the length of the queue decides.
          const gate = new IngestGate({ ...sizes, maxQueueWaitMs: Number.MAX_SAFE_INTEGER, minRetryAfterMs: 1, maxRetryAfterMs: 10 });
          const running: Array<{ id: number; finish(): void }> = [];
          const startOrder: number[] = [];
          const admitted: number[] = [];
          let peak = 0;
          let next = 0;

          const submit = () => {
            const id = next;
            next += 1;
            const decision = gate.tryRun(
              () =>
                new Promise<void>((resolve) => {
                  startOrder.push(id);
                  running.push({ id, finish: resolve });
                  peak = Math.max(peak, running.length);
                }),
            );
            if (decision.admitted) admitted.push(id);
          };
          const finish = async (index: number) => {
            const task = running.splice(index % running.length, 1)[0];
            task?.finish();
            await settle();
          };

          for (const step of steps) {
            if (step === 'submit') submit();
            else if (running.length > 0) await finish(step);
          }
          while (running.length > 0) await finish(0);

          expect(peak).toBeLessThanOrEqual(sizes.maxConcurrentBatches);
          expect(startOrder).toEqual(admitted);
          expect(gate.stats()).toMatchObject({ running: 0, queued: 0, turnedAway: next - admitted.length });
        },
      ),
      { numRuns: 200 },
    );
  });
});
