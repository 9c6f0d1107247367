import type { RefObject } from 'react';
import { formatCop } from '@gestiona/core/format';
import type { WorklistItem } from '@gestiona/core/ipc';
import { showDocument, showSlot } from '../../display.ts';
import { LEGAL_STATUS_LABELS, SEGMENT_LABELS } from '../../labels.ts';
import { LegalStatusBadge } from '../common/LegalStatusBadge.tsx';

interface WorklistRowProps {
  item: WorklistItem;
  selected: boolean;
  rowRef: RefObject<HTMLTableRowElement | null> | undefined;
  now: string;
  onOpen(): void;
}

export function WorklistRow({ item, selected, rowRef, now, onOpen }: WorklistRowProps) {
  // Main's status text often repeats the badge or names the next slot already; each is shown once.
  const statusText = item.statusText === LEGAL_STATUS_LABELS[item.legalStatus] ? null : item.statusText;
  const nextSlot = item.nextAllowedAt && item.legalStatus !== 'contactable' ? showSlot(item.nextAllowedAt, now) : null;
  const showNextSlot = nextSlot !== null && !(statusText ?? '').includes(nextSlot);

  return (
    <tr
      ref={rowRef}
      className={selected ? 'worklist-row selected' : 'worklist-row'}
      data-testid="worklist-row"
      data-debtor-id={item.debtorId}
      aria-selected={selected}
      onClick={onOpen}
    >
      <td className="debtor-cell">
        {/* Imported names may contain bidirectional controls (U+202E), so <bdi> keeps them from reordering the tags after them. */}
        <bdi>{item.fullName}</bdi>
        {item.task && (
          <span className={item.task.allowedNow ? 'worklist-task' : 'worklist-task task-moved'} data-testid="worklist-task" data-activity-id={item.task.activityId}>
            {item.task.name}: {item.task.text}
          </span>
        )}
        {item.followUp && (
          <span className={item.followUp.kind === 'broken' ? 'worklist-task task-moved' : 'worklist-task'} data-testid="worklist-follow-up" data-follow-up={item.followUp.kind}>
            {item.followUp.text}
          </span>
        )}
      </td>
      <td className="nowrap">{showDocument(item.docType, item.docNumber)}</td>
      <td>
        <span className={`segment-tag segment-${item.segment}`} data-testid="worklist-segment" data-segment-id={item.segment}>
          {item.segmentName ?? SEGMENT_LABELS[item.segment] ?? item.segment}
        </span>
      </td>
      <td className="numeric">{formatCop(item.totalBalanceCents)}</td>
      <td className="numeric">{item.maxDaysPastDue}</td>
      <td className="numeric">{item.obligationCount}</td>
      <td>
        <div className="legal-status" data-testid="worklist-status" data-legal-status={item.legalStatus}>
          <LegalStatusBadge status={item.legalStatus} />
          {statusText && <span className="legal-status-text">{statusText}</span>}
          {showNextSlot && <span className="legal-status-next">Próximo: {nextSlot}</span>}
        </div>
      </td>
    </tr>
  );
}
