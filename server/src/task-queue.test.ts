import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskQueue } from './task-queue.ts';

const nextImmediate = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Creates a task that settles without a loop turn, as a better-sqlite3 transaction does. */
const synchronousTask = (log: string[], name: string) => async () => {
  log.push(name);
};

describe.each([
  { mode: 'without a turn between tasks', turnBetweenTasks: false },
  { mode: 'with a turn between tasks', turnBetweenTasks: true },
])('TaskQueue $mode', ({ turnBetweenTasks }) => {
  it('runs tasks one at a time in queued order', async () => {
    // Each task awaits a list of microtasks and macrotasks, may fail, and is queued after a few loop turns.
    const taskArbitrary = fc.record({
      steps: fc.array(fc.constantFrom('microtask', 'immediate', 'timer'), { maxLength: 4 }),
      fails: fc.boolean(),
      queuedAfterImmediates: fc.nat({ max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(taskArbitrary, { minLength: 1, maxLength: 12 }), async (tasks) => {
        const queue = new TaskQueue({ turnBetweenTasks });
        const started: number[] = [];
        let running = 0;
        let overlaps = 0;
        const results: Promise<string>[] = [];

        for (const [index, task] of tasks.entries()) {
          for (let wait = 0; wait < task.queuedAfterImmediates; wait += 1) await nextImmediate();
          const result = queue.run(async () => {
            running += 1;
            if (running > 1) overlaps += 1;
            started.push(index);
            for (const step of task.steps) {
              if (step === 'microtask') await Promise.resolve();
              else if (step === 'immediate') await nextImmediate();
              else await new Promise((resolve) => setTimeout(resolve, 0));
            }
            running -= 1;
            if (task.fails) throw new Error(`task ${index} failed`);
            return `task ${index}`;
          });
          results.push(result);
        }
        const settled = await Promise.allSettled(results);

        expect(overlaps).toBe(0);
        expect(started).toEqual(tasks.map((_, index) => index));
        for (const [index, outcome] of settled.entries()) {
          expect(outcome.status).toBe(tasks[index]!.fails ? 'rejected' : 'fulfilled');
        }
      }),
      { numRuns: 60 },
    );
  });

  it('starts a task on an idle queue before the next loop turn', async () => {
    const queue = new TaskQueue({ turnBetweenTasks });
    const log: string[] = [];
    setImmediate(() => log.push('loop turn'));

    await queue.run(synchronousTask(log, 'task'));
    await nextImmediate();

    expect(log).toEqual(['task', 'loop turn']);
  });
});

describe('TaskQueue turn between tasks', () => {
  it.each([
    { turnBetweenTasks: false, order: 'after the queued tasks', expected: ['first', 'second', 'third', 'loop turn'] },
    { turnBetweenTasks: true, order: 'after the first task', expected: ['first', 'loop turn', 'second', 'third'] },
  ])('with turnBetweenTasks $turnBetweenTasks runs a loop callback $order', async ({ turnBetweenTasks, expected }) => {
    const queue = new TaskQueue({ turnBetweenTasks });
    const log: string[] = [];

    const first = queue.run(async () => {
      log.push('first');
      // Scheduled while two more tasks wait in the queue, as a socket read arriving mid-backlog.
      setImmediate(() => log.push('loop turn'));
    });
    const second = queue.run(synchronousTask(log, 'second'));
    const third = queue.run(synchronousTask(log, 'third'));
    await Promise.all([first, second, third]);
    await nextImmediate();

    expect(log).toEqual(expected);
  });

  it('gives a repeating loop callback a turn between every two queued tasks', async () => {
    const queue = new TaskQueue({ turnBetweenTasks: true });
    const log: string[] = [];
    let ticking = true;
    const tick = () => {
      if (!ticking) return;
      log.push('tick');
      setImmediate(tick);
    };

    const tasks = Array.from({ length: 20 }, (_, index) => queue.run(synchronousTask(log, `task ${index}`)));
    setImmediate(tick);
    await Promise.all(tasks);
    ticking = false;

    const adjacentTasks = log.filter((entry, index) => entry !== 'tick' && log[index + 1]?.startsWith('task'));
    expect(adjacentTasks).toEqual([]);
  });
});
