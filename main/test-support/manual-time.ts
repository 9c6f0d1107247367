/** Wall and monotonic clocks that tests move by hand, for a `TrustedClock`. */
import type { TimeSources } from '../clock.ts';

export interface ManualTime extends TimeSources {
  /** Moves both clocks forward, as time passing. */
  advance(ms: number): void;
  /** Moves only the wall clock, as the agent or NTP changing the machine's time. */
  jumpWall(ms: number): void;
}

export function manualTime(wall: number): ManualTime {
  let wallNow = wall;
  let monotonicNow = 1_000;
  return {
    wall: () => wallNow,
    monotonic: () => monotonicNow,
    advance(ms) {
      wallNow += ms;
      monotonicNow += ms;
    },
    jumpWall(ms) {
      wallNow += ms;
    },
  };
}
