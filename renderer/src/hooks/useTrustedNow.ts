import { useEffect, useState } from 'react';
import { trustedNowIso, useSessionStore } from '../store/session.ts';

/** Trusted time as ISO, re-rendered every `intervalMs` so relative texts ("hace 5 min", "hoy 15:00") stay current. */
export function useTrustedNow(intervalMs = 30_000): string {
  const offsetMs = useSessionStore((store) => store.clockOffsetMs);
  // The tick only forces a re-render; the time itself is read fresh on every render.
  const [, setTick] = useState(0);

  useEffect(() => {
    const timer = window.setInterval(() => setTick((tick) => tick + 1), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);

  return trustedNowIso(offsetMs);
}
