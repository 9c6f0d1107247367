import type { DebtorTimelineEntry } from '@gestiona/core/ipc';
import { showDate, showDateTime } from '../../display.ts';

const KIND_LABELS: Record<DebtorTimelineEntry['kind'], string> = {
  contact: 'Gestión',
  promise: 'Promesa',
  payment: 'Pago',
  authorization: 'Autorización',
};

type PromiseStatus = NonNullable<DebtorTimelineEntry['status']>;

const STATUS_LABELS: Record<PromiseStatus, string> = {
  pending: 'Pendiente',
  kept: 'Cumplida',
  'partly-kept': 'Cumplida en parte',
  broken: 'Incumplida',
};

/** Badge colours shared with the legal statuses: grey waits, green done, amber partial, red failed. */
const STATUS_CLASSES: Record<PromiseStatus, string> = {
  pending: 'status-outside-hours',
  kept: 'status-contactable',
  'partly-kept': 'status-contacted-today',
  broken: 'status-blocked',
};

interface TimelinePanelProps {
  entries: DebtorTimelineEntry[];
  /** False until the identity check of an open contact is passed: no amount may show before (R12). */
  identityConfirmed: boolean;
}

/** Shows the debtor's history, newest first: contacts, promises, payments and authorisation changes. */
export function TimelinePanel({ entries, identityConfirmed }: TimelinePanelProps) {
  return (
    <section className="panel" data-testid="debtor-timeline">
      <h2 className="panel-title">Historial del deudor</h2>
      {!identityConfirmed && entries.some((entry) => entry.amountsHidden) && (
        <p className="muted" data-testid="timeline-amounts-hidden">
          Los valores de promesas y pagos se muestran después de verificar la identidad del titular.
        </p>
      )}
      {entries.length === 0 ? (
        <p className="empty-state">Sin gestiones, promesas ni pagos registrados.</p>
      ) : (
        <table className="data-table history-table">
          <thead>
            <tr>
              <th>Fecha</th>
              <th>Tipo</th>
              <th>Detalle</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const detail = visibleDetail(entry, identityConfirmed);
              return (
                <tr key={entry.id} data-testid="timeline-entry" data-kind={entry.kind}>
                  <td className="nowrap">{entry.dateOnly ? showDate(entry.at) : showDateTime(entry.at)}</td>
                  <td className="muted">{KIND_LABELS[entry.kind]}</td>
                  <td>
                    {/* Titles and details carry imported and typed text that may contain bidirectional controls (U+202E), so <bdi> keeps it from reordering the text around. */}
                    {entry.code && <span className="code-tag">{entry.code}</span>} <bdi>{entry.title}</bdi>
                    {entry.status && (
                      <>
                        {' '}
                        <span className={`status-badge ${STATUS_CLASSES[entry.status]}`} data-testid="timeline-status" data-status={entry.status}>
                          {STATUS_LABELS[entry.status]}
                        </span>
                      </>
                    )}
                    {detail && (
                      <div className="muted">
                        <bdi>{detail}</bdi>
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/**
 * Returns the detail to show. Before the identity check, a promise's or payment's detail shows only
 * when main marked it as written without amounts; otherwise it is left out.
 */
function visibleDetail(entry: DebtorTimelineEntry, identityConfirmed: boolean): string | null {
  if (entry.detail === null) return null;
  const mayCarryAmounts = entry.kind === 'promise' || entry.kind === 'payment';
  if (!identityConfirmed && mayCarryAmounts && !entry.amountsHidden) return null;
  return entry.detail;
}
