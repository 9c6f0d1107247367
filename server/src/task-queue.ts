export interface TaskQueueOptions {
  /**
   * When true, a task queued behind another starts only after a turn of the event loop, so timers
   * and socket I/O run between two tasks. A task queued on an idle queue starts at once either way.
   */
  turnBetweenTasks?: boolean;
}

/** Runs async tasks one at a time, in the order they were queued; a failed task does not stop the ones after it. */
export class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Tasks queued and not yet settled, the running one included. */
  private unsettled = 0;
  private readonly turnBetweenTasks: boolean;

  constructor(options: TaskQueueOptions = {}) {
    this.turnBetweenTasks = options.turnBetweenTasks ?? false;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    // A task that settles synchronously resolves every `await` behind it as a microtask, so without
    // this turn a chain of queued tasks would hold the event loop until the queue is empty.
    const waitsForTurn = this.turnBetweenTasks && this.unsettled > 0;
    const start = waitsForTurn ? this.tail.then(nextLoopTurn) : this.tail;
    this.unsettled += 1;
    const result = start.then(task);
    const settled = () => {
      this.unsettled -= 1;
    };
    this.tail = result.then(settled, settled);
    return result;
  }
}

/** Resolves in the check phase of the event loop, after the pending I/O callbacks of this turn. */
function nextLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
