import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestLimitsFor, type IngestLimits } from '../limits.ts';
import { IngestGate } from './ingest-gate.ts';

const LIMITS: IngestLimits = { maxRunningEvents: 4, maxHeldBatches: 6, maxQueueWaitMs: 60_000, minRetryAfterMs: 1_000, maxRetryAfterMs: 30_000 };

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

/** Submits batches of the given sizes that never finish, and returns which were admitted and which started. */
function submitAll(gate: IngestGate, sizes: readonly number[]): { admitted: boolean[]; started: number[] } {
  const started: number[] = [];
  const admitted = sizes.map(
    (size, index) =>
      gate.tryRun(size, () => {
        started.push(index);
        return deferred().promise;
      }).admitted,
  );
  return { admitted, started };
}

describe('IngestGate', () => {
  it.each([
    {
      name: 'one-event batches up to the running events, then queued up to the held batches',
      sizes: [1, 1, 1, 1, 1, 1, 1, 1],
      admitted: [true, true, true, true, true, true, false, false],
      started: [0, 1, 2, 3],
      stats: { runningBatches: 4, runningEvents: 4, queuedBatches: 2, queuedEvents: 2, turnedAway: 2 },
    },
    {
      name: 'one-event batches up to the held batches, though more events would fit',
      limits: { maxHeldBatches: 2 },
      sizes: [1, 1, 1],
      admitted: [true, true, false],
      started: [0, 1],
      stats: { runningBatches: 2, runningEvents: 2, queuedBatches: 0, queuedEvents: 0, turnedAway: 1 },
    },
    {
      name: 'batches that fill the running events exactly',
      sizes: [2, 2, 1],
      admitted: [true, true, true],
      started: [0, 1],
      stats: { runningBatches: 2, runningEvents: 4, queuedBatches: 1, queuedEvents: 1, turnedAway: 0 },
    },
    {
      name: 'a small batch behind one that does not fit',
      sizes: [2, 3, 1],
      admitted: [true, true, true],
      started: [0],
      stats: { runningBatches: 1, runningEvents: 2, queuedBatches: 2, queuedEvents: 4, turnedAway: 0 },
    },
    {
      name: 'a full push batch on an idle gate',
      sizes: [200, 1],
      admitted: [true, true],
      started: [0],
      stats: { runningBatches: 1, runningEvents: 200, queuedBatches: 1, queuedEvents: 1, turnedAway: 0 },
    },
    {
      name: 'a full push batch behind a running one',
      sizes: [1, 200],
      admitted: [true, true],
      started: [0],
      stats: { runningBatches: 1, runningEvents: 1, queuedBatches: 1, queuedEvents: 200, turnedAway: 0 },
    },
  ])('admits $name', ({ limits, sizes, admitted, started, stats }: { limits?: Partial<IngestLimits>; sizes: number[]; admitted: boolean[]; started: number[]; stats: object }) => {
    const gate = new IngestGate({ ...LIMITS, ...limits });
    const result = submitAll(gate, sizes);

    expect(result.admitted).toEqual(admitted);
    expect(result.started).toEqual(started);
    expect(gate.stats()).toMatchObject(stats);
  });

  it('starts queued batches in arrival order as running ones finish', async () => {
    const gate = new IngestGate(LIMITS);
    const sizes = [2, 2, 3, 1, 1];
    const tasks = sizes.map(() => deferred());
    const started: number[] = [];
    const results = sizes.map((size, index) =>
      gate.tryRun(size, () => {
        started.push(index);
        return tasks[index]!.promise;
      }),
    );
    expect(started).toEqual([0, 1]);

    // Batch 2 (3 events) fits beside batch 0 (2 events) only once both running ones are done.
    tasks[1]!.resolve('b');
    await settle();
    expect(started).toEqual([0, 1]);
    tasks[0]!.resolve('a');
    await settle();
    expect(started).toEqual([0, 1, 2, 3]);
    tasks[3]!.resolve('d');
    await settle();
    expect(started).toEqual([0, 1, 2, 3, 4]);

    for (const task of tasks) task.resolve('done');
    const values = await Promise.all(results.map((decision) => (decision.admitted ? decision.result : null)));
    expect(values).toEqual(['a', 'b', 'done', 'd', 'done']);
    expect(gate.stats()).toMatchObject({ runningBatches: 0, runningEvents: 0, queuedBatches: 0, queuedEvents: 0, turnedAway: 0 });
  });

  it('passes a failure to its caller and keeps the queue moving', async () => {
    const gate = new IngestGate({ ...LIMITS, maxRunningEvents: 1 });
    const failing = gate.tryRun(1, () => Promise.reject(new Error('database unavailable')));
    const throwing = gate.tryRun(1, () => {
      throw new Error('thrown before any await');
    });
    const next = gate.tryRun(1, async () => 'stored');

    expect(failing.admitted && throwing.admitted && next.admitted).toBe(true);
    await expect(failing.admitted ? failing.result : null).rejects.toThrow('database unavailable');
    await expect(throwing.admitted ? throwing.result : null).rejects.toThrow('thrown before any await');
    await expect(next.admitted ? next.result : null).resolves.toBe('stored');
  });

  it('turns away a batch that would wait too long', () => {
    // Without history, an event takes 1 ms. Two batches of 100 events fill the running events, and a
    // queued batch waits for the events ahead of it beyond the room it needs.
    const gate = new IngestGate({ ...LIMITS, maxRunningEvents: 200, maxHeldBatches: 20, maxQueueWaitMs: 250, minRetryAfterMs: 100 }, () => 0);
    const decisions = Array.from({ length: 5 }, () => gate.tryRun(100, () => deferred().promise));

    expect(decisions.map((decision) => decision.admitted)).toEqual([true, true, true, true, false]);
    expect(decisions[4]).toEqual({ admitted: false, retryAfterMs: 300 });
    expect(gate.stats()).toMatchObject({ runningEvents: 200, queuedBatches: 2, queuedEvents: 200, turnedAway: 1 });
  });

  it.each([
    // Without history, an event takes 1 ms. 4 events run and 8 wait, so a batch of 1 must wait for
    // 9 of them, one of 3 for 11, and one of 200 for all 12.
    { events: 1, expected: 9 },
    { events: 3, expected: 11 },
    { events: 200, expected: 12 },
  ])('sizes the wait of a batch of $events events from the events ahead', ({ events, expected }) => {
    const gate = new IngestGate({ ...LIMITS, maxRunningEvents: 4, maxHeldBatches: 3, minRetryAfterMs: 1 }, () => 0);
    expect(submitAll(gate, [4, 4, 4]).admitted).toEqual([true, true, true]);

    expect(gate.tryRun(events, async () => 'never')).toEqual({ admitted: false, retryAfterMs: expected });
  });

  it('measures the time per event from batches that run at once', async () => {
    let now = 0;
    const gate = new IngestGate({ ...LIMITS, maxRunningEvents: 4 }, () => now);
    expect(gate.stats().msPerEvent).toBe(1);

    // Four one-event batches share 10 ms, then the gate stays idle for a second, which must not count.
    for (let round = 0; round < 50; round += 1) {
      const tasks = Array.from({ length: 4 }, () => deferred());
      const results = tasks.map((task) => gate.tryRun(1, () => task.promise));
      now += 10;
      for (const task of tasks) task.resolve('done');
      await Promise.all(results.map((decision) => (decision.admitted ? decision.result : null)));
      now += 1_000;
    }

    expect(gate.stats().msPerEvent).toBeCloseTo(2.5, 3);
  });

  it('follows a change of speed within a few seconds of work', async () => {
    let now = 0;
    const gate = new IngestGate({ ...LIMITS, maxRunningEvents: 1 }, () => now);
    const runFor = async (batches: number, batchMs: number) => {
      for (let index = 0; index < batches; index += 1) {
        const decision = gate.tryRun(1, async () => {
          now += batchMs;
        });
        if (decision.admitted) await decision.result;
      }
    };

    await runFor(10, 100);
    expect(gate.stats().msPerEvent).toBeCloseTo(100, 6);
    // After 5 s of one-event batches of 1 ms, the slow second above weighs 1/32 of its first weight.
    await runFor(5_000, 1);
    expect(gate.stats().msPerEvent).toBeGreaterThan(1);
    expect(gate.stats().msPerEvent).toBeLessThan(1.05);
  });

  it.each([
    { name: 'no history', batchMs: null, expected: 1_000 },
    { name: 'fast batches', batchMs: 1, expected: 1_000 },
    { name: 'slow batches', batchMs: 100_000, expected: 30_000 },
  ])('bounds the wait told to the client with $name', async ({ batchMs, expected }) => {
    let now = 0;
    const gate = new IngestGate({ ...LIMITS, maxRunningEvents: 1, maxHeldBatches: 1 }, () => now);
    if (batchMs !== null) {
      // Ten batches move the estimate close to their duration.
      for (let index = 0; index < 10; index += 1) {
        const decision = gate.tryRun(1, async () => {
          now += batchMs;
        });
        if (decision.admitted) await decision.result;
      }
    }
    const blocker = deferred();
    gate.tryRun(1, () => blocker.promise);
    const turnedAway = gate.tryRun(1, async () => 'never');
    expect(turnedAway).toEqual({ admitted: false, retryAfterMs: expected });
    blocker.resolve('done');
  });

  it.each([
    { maxRunningEvents: 0, maxHeldBatches: 1, maxQueueWaitMs: 1, minRetryAfterMs: 1, maxRetryAfterMs: 1 },
    { maxRunningEvents: 1.5, maxHeldBatches: 1, maxQueueWaitMs: 1, minRetryAfterMs: 1, maxRetryAfterMs: 1 },
    { maxRunningEvents: 1, maxHeldBatches: 0, maxQueueWaitMs: 1, minRetryAfterMs: 1, maxRetryAfterMs: 1 },
    { maxRunningEvents: 1, maxHeldBatches: 1, maxQueueWaitMs: -1, minRetryAfterMs: 1, maxRetryAfterMs: 1 },
    { maxRunningEvents: 1, maxHeldBatches: 1, maxQueueWaitMs: 1, minRetryAfterMs: 0, maxRetryAfterMs: 1 },
    { maxRunningEvents: 1, maxHeldBatches: 1, maxQueueWaitMs: 1, minRetryAfterMs: 10, maxRetryAfterMs: 5 },
  ])('rejects invalid limits %o', (limits) => {
    expect(() => new IngestGate(limits)).toThrow(/Invalid ingest limits/);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a batch of %s events', (events) => {
    expect(() => new IngestGate(LIMITS).tryRun(events, async () => 'never')).toThrow(RangeError);
  });

  it.each([
    { name: 'one group at a time', groupCommit: { groupsAtOnce: 1, maxGroupEvents: 200 }, maxRunningEvents: 1_600 },
    { name: '8 small groups', groupCommit: { groupsAtOnce: 8, maxGroupEvents: 16 }, maxRunningEvents: 1_600 },
    { name: '16 small groups', groupCommit: { groupsAtOnce: 16, maxGroupEvents: 16 }, maxRunningEvents: 3_200 },
    { name: 'groups larger than a push batch', groupCommit: { groupsAtOnce: 2, maxGroupEvents: 500 }, maxRunningEvents: 4_000 },
  ])('sizes the running events for $name', ({ groupCommit, maxRunningEvents }) => {
    const limits = ingestLimitsFor(groupCommit);
    expect(limits.maxRunningEvents).toBe(maxRunningEvents);
    expect(() => new IngestGate(limits)).not.toThrow();
  });

  it('keeps the running events and held batches within the limits, in arrival order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ maxRunningEvents: fc.integer({ min: 1, max: 12 }), maxHeldBatches: fc.integer({ min: 1, max: 8 }) }),
        // Each step either submits a batch of some events or finishes one of the running batches, chosen by index.
        fc.array(fc.oneof(fc.record({ submit: fc.integer({ min: 1, max: 16 }) }), fc.record({ finish: fc.nat({ max: 10 }) })), { minLength: 1, maxLength: 60 }),
        async (sizes, steps) => {
          // A wait limit this long never applies, so that only the running events and held batches decide.
          const limits: IngestLimits = { ...sizes, maxQueueWaitMs: Number.MAX_SAFE_INTEGER, minRetryAfterMs: 1, maxRetryAfterMs: 10 };
          const gate = new IngestGate(limits);
          const running: Array<{ id: number; events: number; finish(): void }> = [];
          const events = new Map<number, number>();
          const startOrder: number[] = [];
          const admitted: number[] = [];
          let next = 0;

          const runningEvents = () => running.reduce((sum, task) => sum + task.events, 0);
          const waiting = () => admitted.filter((id) => !startOrder.includes(id));
          const checkLimits = () => {
            // Above the running events only when one batch larger than the limit runs alone.
            expect(runningEvents() <= limits.maxRunningEvents || running.length === 1).toBe(true);
            expect(running.length + waiting().length).toBeLessThanOrEqual(limits.maxHeldBatches);
            // No batch waits while the oldest waiting one would fit.
            const head = waiting()[0];
            if (head !== undefined) expect(running.length > 0 && runningEvents() + events.get(head)! > limits.maxRunningEvents).toBe(true);
          };

          for (const step of steps) {
            if ('submit' in step) {
              const id = next;
              next += 1;
              events.set(id, step.submit);
              const idle = running.length === 0 && waiting().length === 0;
              const decision = gate.tryRun(
                step.submit,
                () =>
                  new Promise<void>((resolve) => {
                    startOrder.push(id);
                    running.push({ id, events: step.submit, finish: resolve });
                  }),
              );
              if (decision.admitted) admitted.push(id);
              // Any batch, however large, runs at once on an idle gate.
              if (idle) expect(startOrder.at(-1)).toBe(id);
            } else if (running.length > 0) {
              running.splice(step.finish % running.length, 1)[0]!.finish();
              await settle();
            }
            checkLimits();
          }
          while (running.length > 0) {
            running.shift()!.finish();
            await settle();
            checkLimits();
          }

          expect(startOrder).toEqual(admitted);
          expect(gate.stats()).toMatchObject({ runningBatches: 0, runningEvents: 0, queuedBatches: 0, queuedEvents: 0, turnedAway: next - admitted.length });
        },
      ),
      { numRuns: 200 },
    );
  });
});
