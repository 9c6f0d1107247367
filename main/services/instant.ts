import { toBogotaIso } from '@gestiona/core/format';
import type { Clock } from '../clock.ts';

/** Trusted now, with the local clock and the offset that every decision and interaction records. */
export interface Instant {
  ms: number;
  /** Trusted time, ISO in -05:00. */
  iso: string;
  /** The machine's own clock at the same moment, ISO in -05:00. */
  localIso: string;
  /** Trusted minus local, in milliseconds. */
  offsetMs: number;
}

export function instantOf(clock: Clock): Instant {
  const ms = clock.now();
  const offsetMs = clock.offsetMs();
  return { ms, iso: toBogotaIso(ms), localIso: toBogotaIso(ms - offsetMs), offsetMs };
}
