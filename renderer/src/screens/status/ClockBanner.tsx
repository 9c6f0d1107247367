import { useState } from 'react';
import { useSessionStore } from '../../store/session.ts';
import { clockNotice } from './clock-notice.ts';

/**
 * Tells the agent when the workstation's clock cannot be trusted (dials are blocked) or was changed.
 * The warning about a change can be dismissed until the next change; the error cannot.
 */
export function ClockBanner() {
  const clock = useSessionStore((store) => store.state?.clock);
  const [dismissedJumpAt, setDismissedJumpAt] = useState<string | null>(null);
  const notice = clockNotice(clock);
  if (!notice) return null;

  if (notice.tone === 'error') {
    return (
      <div className="clock-banner clock-banner-error" role="alert" data-testid="clock-untrusted">
        {notice.text}
      </div>
    );
  }

  const jumpAt = clock?.jumpDetectedAt ?? null;
  if (jumpAt !== null && jumpAt === dismissedJumpAt) return null;
  return (
    <div className="clock-banner clock-banner-warning" role="status" data-testid="clock-changed">
      <span>{notice.text}</span>
      <button type="button" className="link-button" onClick={() => setDismissedJumpAt(jumpAt)}>
        Entendido
      </button>
    </div>
  );
}
