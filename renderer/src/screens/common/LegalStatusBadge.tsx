import { LEGAL_STATUS_LABELS, type LegalStatus } from '../../labels.ts';

export function LegalStatusBadge({ status }: { status: LegalStatus }) {
  return <span className={`status-badge status-${status}`}>{LEGAL_STATUS_LABELS[status]}</span>;
}
