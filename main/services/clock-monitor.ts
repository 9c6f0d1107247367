/**
 * Keeps the workstation's view of its clock current: stores each detected jump, publishes every
 * change of the clock's state once, requests a new measurement after a jump, and stores the
 * machine's clock so that a clock set back while the workstation was closed is caught at the next
 * start.
 */
import type { SessionClock } from '@gestiona/core/ipc';
import { TrustedClock, type Clock, type ClockJump } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { LocalStore } from '../store/local-store.ts';
import { sameSessionClock, sessionClockOf } from './clock-state.ts';

/** How often the clock is read to catch a jump while nothing else reads it, in ms. */
export const CLOCK_CHECK_INTERVAL_MS = 5_000;

/** How often the machine's clock is stored for the check at the next start, in ms; `stop` stores it too. */
const LOCAL_TIME_SAVE_INTERVAL_MS = 60_000;

export interface ClockMonitorOptions {
  clock: Clock;
  store: LocalStore;
  logger: Logger;
  /** Called once per change of the published state, after the monitor has stored it. */
  onChange(next: SessionClock, previous: SessionClock): void;
  /** Requests a new measurement against the server from the sync client. */
  requestMeasure(): void;
}

export class ClockMonitor {
  private readonly options: ClockMonitorOptions;
  private published: SessionClock;
  private timer: NodeJS.Timeout | null = null;
  private lastSavedAt = Number.NEGATIVE_INFINITY;
  private stopped = false;
  private readonly stopListening: () => void;

  constructor(options: ClockMonitorOptions) {
    this.options = options;
    this.published = sessionClockOf(options.clock.reading());
    // The clock reports a jump from inside a read, which may run in another write's transaction or
    // while a state is built, so the jump is handled once that code has finished.
    this.stopListening =
      options.clock instanceof TrustedClock ? options.clock.onJump((jump) => queueMicrotask(() => this.handleJump(jump))) : () => undefined;
  }

  /**
   * Compares the machine's clock with the one stored by the previous run, then starts the periodic
   * check. Only a `TrustedClock` reads the machine's clock; a test clock has nothing to check.
   */
  start(): void {
    const { clock, store } = this.options;
    if (clock instanceof TrustedClock) {
      const lastSeen = store.meta.clockLocalSeenAt();
      if (lastSeen !== null) clock.checkAgainstLastSeen(lastSeen);
      this.saveLocalTime();
    }
    this.timer = setInterval(() => this.tick(), CLOCK_CHECK_INTERVAL_MS);
    this.timer.unref();
    this.check();
  }

  /** Stores a jump the clock reported, logs it and requests a new measurement. */
  private handleJump(jump: ClockJump): void {
    if (this.stopped) return;
    this.options.store.clockJumps.add(jump);
    this.options.logger.warn({ kind: jump.kind, jumpMs: jump.jumpMs }, 'clock: machine clock changed');
    this.options.requestMeasure();
    this.check();
  }

  /** Reads the clock (which also detects a jump) and publishes its state when it changed. */
  check(): void {
    if (this.stopped) return;
    const next = sessionClockOf(this.options.clock.reading());
    if (sameSessionClock(next, this.published)) return;

    const previous = this.published;
    this.published = next;
    if (next.trusted !== previous.trusted) {
      if (next.trusted) this.options.logger.info({ offsetMs: next.offsetMs }, 'clock: trusted again, dials allowed');
      else this.options.logger.warn({ offsetMs: next.offsetMs, jumpMs: next.jumpMs ?? null }, 'clock: not trusted, dials blocked');
    }
    this.options.onChange(next, previous);
  }

  /** Returns the state last published. */
  state(): SessionClock {
    return this.published;
  }

  /** Stops the periodic check and stores the machine's clock for the next start. */
  stop(): void {
    if (this.stopped) return;
    this.stopListening();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.options.clock instanceof TrustedClock) this.saveLocalTime();
    this.stopped = true;
  }

  private tick(): void {
    this.check();
    if (this.options.clock instanceof TrustedClock && this.options.clock.monotonicNow() - this.lastSavedAt >= LOCAL_TIME_SAVE_INTERVAL_MS) {
      this.saveLocalTime();
    }
  }

  /**
   * Stores the machine's clock. The stored value goes down only while the clock is measured and
   * trusted. Otherwise a clock set back would pass unnoticed after a restart, which starts with no
   * offset and no jump.
   */
  private saveLocalTime(): void {
    const clock = this.options.clock;
    if (!(clock instanceof TrustedClock)) return;

    const local = clock.localNow();
    const stored = this.options.store.meta.clockLocalSeenAt();
    const reading = clock.reading();
    const vouched = reading.lastSyncAt !== null && reading.distrust === null;
    const value = vouched || stored === null ? local : Math.max(stored, local);
    this.options.store.meta.setClockLocalSeenAt(value);
    this.lastSavedAt = clock.monotonicNow();
  }
}
