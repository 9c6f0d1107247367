/**
 * Trusted time. Legal windows (R1–R4) and daily limits (R5) depend on the hour, so the workstation
 * never trusts the machine's clock alone: it adds an offset measured against the central server.
 */
import { DateTime } from 'luxon';
import { BOGOTA_ZONE } from '@gestiona/core/format';

export interface Clock {
  /** Trusted time, epoch milliseconds. */
  now(): number;
  /** Trusted minus local clock, in milliseconds. */
  offsetMs(): number;
}

/** One clock ping: local send and receive times and the server's reported time, all epoch ms. */
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

const SYSTEM_TIME: TimeSources = {
  wall: () => Date.now(),
  monotonic: () => performance.now(),
};

/** A wall-clock change larger than this between two readings counts as a jump, not as drift. */
const JUMP_TOLERANCE_MS = 2_000;

/**
 * Local clock plus the offset of the best server sample. The offset of a sample is
 * `serverTime − (sentAt + receivedAt) / 2`; within one measurement round the sample with the
 * smallest round trip wins, because its midpoint has the smallest error bound.
 *
 * A wall-clock jump (the agent changes the time, NTP steps it) is caught against the monotonic
 * clock, and the offset absorbs it, so trusted time keeps running at the monotonic pace until the
 * next server sample.
 */
export class TrustedClock implements Clock {
  private offset = 0;
  private readonly sources: TimeSources;
  private anchorWall: number;
  private anchorMonotonic: number;
  private readonly onJump: ((jumpMs: number) => void) | undefined;

  constructor(options: { sources?: TimeSources; onJump?: (jumpMs: number) => void } = {}) {
    this.sources = options.sources ?? SYSTEM_TIME;
    this.onJump = options.onJump;
    this.anchorWall = this.sources.wall();
    this.anchorMonotonic = this.sources.monotonic();
  }

  now(): number {
    return this.localNow() + this.offsetMs();
  }

  offsetMs(): number {
    this.absorbWallJump();
    return this.offset;
  }

  /** The machine's wall clock, used to timestamp clock pings. */
  localNow(): number {
    return this.sources.wall();
  }

  /** Applies the sample with the smallest round trip of one measurement round; returns the new offset. */
  applySamples(samples: readonly ClockSample[]): number | null {
    const valid = samples.filter((sample) => sample.receivedAt >= sample.sentAt && Number.isFinite(sample.serverTime));
    if (valid.length === 0) return null;

    const best = valid.reduce((a, b) => (b.receivedAt - b.sentAt < a.receivedAt - a.sentAt ? b : a));
    this.offset = Math.round(best.serverTime - (best.sentAt + best.receivedAt) / 2);
    this.anchorWall = this.sources.wall();
    this.anchorMonotonic = this.sources.monotonic();
    return this.offset;
  }

  private absorbWallJump(): void {
    const wall = this.sources.wall();
    const monotonic = this.sources.monotonic();
    const jump = wall - this.anchorWall - (monotonic - this.anchorMonotonic);
    if (Math.abs(jump) > JUMP_TOLERANCE_MS) {
      this.offset -= Math.round(jump);
      this.onJump?.(jump);
    }
    this.anchorWall = wall;
    this.anchorMonotonic = monotonic;
  }
}

/**
 * A clock whose value is the trusted time itself, set by tests and by browser mode's test-clock
 * route. It stands still until set again, so a test sees the same instant in every decision.
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
