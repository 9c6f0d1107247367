import { useEffect } from 'react';
import type { DebtorView } from '@gestiona/core/ipc';
import { useDebtorStore } from '../store/debtor.ts';
import { useSessionStore } from '../store/session.ts';

// Longer waits are left to the next push or visit; a workstation is rarely left open on one debtor for hours.
const MAX_WAIT_MS = 12 * 60 * 60 * 1000;
// Reading the view a moment after the slot opens keeps the gate from seeing the instant before it.
const AFTER_OPENING_MS = 1_000;

/** Reads the debtor view again when the earliest blocked contact point becomes contactable. */
export function useRefreshWhenSlotOpens(view: DebtorView | null): void {
  const offsetMs = useSessionStore((store) => store.clockOffsetMs);

  useEffect(() => {
    if (!view) return;
    const nowMs = Date.now() + offsetMs;
    const upcoming = view.persons
      .flatMap((person) => person.contactPoints)
      .flatMap((point) => (!point.dialable && point.decision?.nextAllowedAt ? [Date.parse(point.decision.nextAllowedAt)] : []))
      .filter((slotMs) => Number.isFinite(slotMs) && slotMs > nowMs);
    if (upcoming.length === 0) return;

    const waitMs = Math.min(...upcoming) - nowMs + AFTER_OPENING_MS;
    if (waitMs > MAX_WAIT_MS) return;
    const timer = window.setTimeout(() => void useDebtorStore.getState().refresh(), waitMs);
    return () => window.clearTimeout(timer);
  }, [view, offsetMs]);
}
