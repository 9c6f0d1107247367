/**
 * Trusted time. Legal windows (R1–R4) and daily limits (R5) depend on the hour, so the workstation
 * never trusts the machine's clock alone: it adds an offset measured against the central server,
 * and it says when it cannot vouch for the result, so that dials stop instead of guessing.
 */
import { DateTime } from 'luxon';
import { BOGOTA_ZONE } from '@gestiona/core/format';

export interface Clock {
  /** Trusted time, epoch milliseconds. */
  now(): number;
  /** Trusted minus local clock, in milliseconds. */
  offsetMs(): number;
  /** The offset, the last server measurement, the last clock change and whether the time can be trusted. */
  reading(): ClockReading;
}

/**
 * One clock ping. `sentAt` and `receivedAt` are monotonic readings in ms (`monotonicNow()`), so a
 * change of the wall clock during the ping cannot distort the round trip. `serverTime` is epoch ms.
 */
export interface ClockSample {
  sentAt: number;
  receivedAt: number;
  serverTime: number;
}

export interface TimeSources {
  /** The machine's wall clock, epoch ms. */
  wall(): number;
  /** A monotonic clock in ms, immune to wall-clock changes. */
  monotonic(): number;
}

/** A change of the machine's clock that the workstation detected. */
export interface ClockJump {
  /**
   * `running`: seen against the monotonic clock while the workstation ran. `restart`: at start, the
   * machine's clock was earlier than the last time the workstation read it.
   */
  kind: 'running' | 'restart';
  /** Trusted time of the detection, epoch ms. */
  detectedAt: number;
  /** The machine's clock at the detection, epoch ms. */
  localAt: number;
  /**
   * Size of the change in ms, positive when the machine's clock moved forward. For `restart` it is a
   * lower bound of a backward change, because the clock may have moved while the workstation was closed.
   */
  jumpMs: number;
}

/** Reason the trusted time cannot be vouched for. */
export type ClockDistrust =
  /** The machine's clock changed and no server measurement has happened since the workstation started. */
  | { kind: 'jump-before-sync'; jump: ClockJump }
  /** The machine's clock is further from the server's than the configured maximum. */
  | { kind: 'drift'; offsetMs: number; maxOffsetMs: number };

export interface ClockReading {
  /** Trusted minus local clock, in milliseconds. */
  offsetMs: number;
  /** Trusted time of the last measurement against the server, epoch ms; null before the first. */
  lastSyncAt: number | null;
  lastJump: ClockJump | null;
  /** Null when the trusted time can be used for legal decisions. */
  distrust: ClockDistrust | null;
}

const SYSTEM_TIME: TimeSources = {
  wall: () => Date.now(),
  monotonic: () => performance.now(),
};

/** A wall-clock change larger than this between two readings counts as a jump, not as drift. */
export const JUMP_TOLERANCE_MS = 2_000;

/**
 * Default maximum of |trusted − local| before dials are blocked. A larger offset means the machine's
 * clock is wrong or was changed, and the offset then depends on a measurement that may be stale.
 */
export const DEFAULT_MAX_CLOCK_OFFSET_MS = 5 * 60_000;

export interface TrustedClockOptions {
  sources?: TimeSources;
  /** Maximum |offset| in ms at which the clock is still trusted; `DEFAULT_MAX_CLOCK_OFFSET_MS` when absent. */
  maxOffsetMs?: number;
}

/**
 * Local clock plus the offset of the best server sample. The offset of a sample is
 * `serverTime − midpoint`, where the midpoint is the local time halfway through the round trip.
 * Within one measurement round the sample with the smallest round trip wins, because the error of
 * its midpoint is at most half its round trip.
 *
 * A wall-clock jump (the agent changes the time, NTP steps it) is caught against the monotonic
 * clock, and the offset absorbs it, so trusted time keeps running at the monotonic pace until the
 * next server sample.
 *
 * NOTE: where the monotonic clock stops while the machine sleeps (Linux's CLOCK_MONOTONIC does not
 * count suspended time), waking up looks like a forward jump and trusted time lags by the sleep
 * until the next measurement. A sleep longer than the maximum offset blocks dials until then, and
 * the workstation measures again as soon as it detects a jump while connected. The behaviour on
 * Windows and macOS is not verified.
 */
export class TrustedClock implements Clock {
  private offset = 0;
  private readonly sources: TimeSources;
  private readonly maxOffsetMs: number;
  private anchorWall: number;
  private anchorMonotonic: number;
  private lastSyncAt: number | null = null;
  private lastJump: ClockJump | null = null;
  private readonly jumpListeners = new Set<(jump: ClockJump) => void>();

  constructor(options: TrustedClockOptions = {}) {
    const maxOffsetMs = options.maxOffsetMs ?? DEFAULT_MAX_CLOCK_OFFSET_MS;
    if (!Number.isFinite(maxOffsetMs) || maxOffsetMs <= 0) {
      throw new Error(`Invalid maximum clock offset: ${maxOffsetMs} ms. Use a positive number of milliseconds, e.g. 300000 for 5 minutes.`);
    }
    this.maxOffsetMs = maxOffsetMs;
    this.sources = options.sources ?? SYSTEM_TIME;
    this.anchorWall = this.sources.wall();
    this.anchorMonotonic = this.sources.monotonic();
  }

  now(): number {
    this.absorbWallJump();
    return this.anchorWall + this.offset;
  }

  offsetMs(): number {
    this.absorbWallJump();
    return this.offset;
  }

  /**
   * Calls `listener` after each detected jump, once the offset has absorbed it; returns the function
   * that removes it. The listener runs inside the clock read that found the jump.
   */
  onJump(listener: (jump: ClockJump) => void): () => void {
    this.jumpListeners.add(listener);
    return () => this.jumpListeners.delete(listener);
  }

  reading(): ClockReading {
    this.absorbWallJump();
    return { offsetMs: this.offset, lastSyncAt: this.lastSyncAt, lastJump: this.lastJump, distrust: this.distrust() };
  }

  /** Returns the machine's wall clock, epoch ms. */
  localNow(): number {
    return this.sources.wall();
  }

  /** Returns the monotonic clock in ms, used to time clock pings. */
  monotonicNow(): number {
    return this.sources.monotonic();
  }

  /** Applies the sample with the smallest round trip of one measurement round; returns the new offset. */
  applySamples(samples: readonly ClockSample[]): number | null {
    // A jump before this round is recorded against the old anchors before they move.
    this.absorbWallJump();
    const wall = this.sources.wall();
    const monotonic = this.sources.monotonic();

    const valid = samples.filter(
      (sample) => sample.sentAt <= sample.receivedAt && sample.receivedAt <= monotonic && Number.isFinite(sample.serverTime),
    );
    if (valid.length === 0) return null;

    const best = valid.reduce((a, b) => (b.receivedAt - b.sentAt < a.receivedAt - a.sentAt ? b : a));
    // The midpoint on today's wall clock: counting back from now on the monotonic clock ignores any
    // change of the wall clock since the ping.
    const midpointWall = wall - (monotonic - (best.sentAt + best.receivedAt) / 2);
    this.offset = Math.round(best.serverTime - midpointWall);
    this.anchorWall = wall;
    this.anchorMonotonic = monotonic;
    this.lastSyncAt = wall + this.offset;
    return this.offset;
  }

  /**
   * Compares the machine's clock with the last local time the workstation stored before it closed.
   * A clock that is now earlier was set back while the workstation was closed (a clock never runs
   * backwards by itself beyond NTP's small corrections), which counts as a jump. A forward change
   * cannot be distinguished from the time the workstation was closed, so it is not detected here.
   */
  checkAgainstLastSeen(lastSeenLocalMs: number): ClockJump | null {
    this.absorbWallJump();
    const wall = this.sources.wall();
    const jumpMs = Math.round(wall - lastSeenLocalMs);
    if (jumpMs >= -JUMP_TOLERANCE_MS) return null;

    // The offset stays as it is: how far the clock moved is unknown, and guessing it would hide the problem.
    return this.recordJump({ kind: 'restart', detectedAt: wall + this.offset, localAt: wall, jumpMs });
  }

  private distrust(): ClockDistrust | null {
    if (this.lastSyncAt === null && this.lastJump !== null) return { kind: 'jump-before-sync', jump: this.lastJump };
    if (Math.abs(this.offset) > this.maxOffsetMs) return { kind: 'drift', offsetMs: this.offset, maxOffsetMs: this.maxOffsetMs };
    return null;
  }

  private absorbWallJump(): void {
    const wall = this.sources.wall();
    const monotonic = this.sources.monotonic();
    const jumpMs = Math.round(wall - this.anchorWall - (monotonic - this.anchorMonotonic));
    // The anchors move before the listener runs, so a listener that reads the clock finds no second jump.
    this.anchorWall = wall;
    this.anchorMonotonic = monotonic;
    if (Math.abs(jumpMs) <= JUMP_TOLERANCE_MS) return;

    this.offset -= jumpMs;
    this.recordJump({ kind: 'running', detectedAt: wall + this.offset, localAt: wall, jumpMs });
  }

  private recordJump(jump: ClockJump): ClockJump {
    this.lastJump = jump;
    for (const listener of this.jumpListeners) listener(jump);
    return jump;
  }
}

/**
 * A clock whose value is the trusted time itself, set by tests and by browser mode's test-clock
 * route. It does not move until set again, so a test gets the same instant in every decision, and
 * it is always trusted.
 */
export class SettableClock implements Clock {
  private current: number;

  constructor(at: string | number = Date.now()) {
    this.current = typeof at === 'number' ? at : parseInstant(at);
  }

  now(): number {
    return this.current;
  }

  offsetMs(): number {
    return 0;
  }

  reading(): ClockReading {
    return { offsetMs: 0, lastSyncAt: null, lastJump: null, distrust: null };
  }

  /** Sets the trusted time; a local time without an offset is read as Bogotá time. */
  set(at: string | number): void {
    this.current = typeof at === 'number' ? at : parseInstant(at);
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

function parseInstant(iso: string): number {
  const parsed = DateTime.fromISO(iso, { zone: BOGOTA_ZONE });
  if (!parsed.isValid) throw new Error(`Invalid ISO instant for the clock: "${iso}". Use e.g. 2026-03-02T10:00:00-05:00.`);
  return parsed.toMillis();
}
