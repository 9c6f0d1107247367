/** The "Consultas del expediente" section of the evidence export: who opened the debtor's file, when and where. */
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import { viewReasonText } from '../store/debtor-views.ts';
import type { StoredDebtorView } from '../store/types.ts';
import type { EvidenceFileView, EvidenceInstant } from './types.ts';

// The same shape as `evidenceInstant` of build-evidence.ts, which imports this file.
function evidenceInstant(instant: string): EvidenceInstant {
  const iso = toBogotaIso(instant);
  return { iso, text: formatDateTime(iso) };
}

export function fileViewsEvidence(views: readonly StoredDebtorView[], agentNames: ReadonlyMap<string, string>): EvidenceFileView[] {
  return views.map((view) => ({
    eventId: view.eventId,
    viewedAt: evidenceInstant(view.viewedAt),
    agentId: view.agentId,
    agentName: agentNames.get(view.agentId) ?? view.agentFullName ?? view.agentId,
    workstationId: view.workstationId,
    leased: view.leased,
    reasonText: view.reason === null ? null : viewReasonText(view.reason),
    localAt: evidenceInstant(view.localAt),
    clockOffsetMs: view.clockOffsetMs,
  }));
}
