import { useEffect, useState } from 'react';
import { trustedNowIso, useSessionStore } from '../store/session.ts';

/** Trusted time as ISO, re-read every `intervalMs` so relative texts ("hace 5 min", "hoy 15:00") stay current. */
export function useTrustedNow(intervalMs = 30_000): string {
  const offsetMs = useSessionStore((store) => store.clockOffsetMs);
  const [now, setNow] = useState(() => trustedNowIso(offsetMs));

  useEffect(() => {
    setNow(trustedNowIso(offsetMs));
    const timer = window.setInterval(() => setNow(trustedNowIso(offsetMs)), intervalMs);
    return () => window.clearInterval(timer);
  }, [offsetMs, intervalMs]);

  return now;
}
