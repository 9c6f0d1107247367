/**
 * A team lead's or administrator's look at a debtor's timeline from the board, stored as a
 * `debtor.viewed` event like an agent's view, so that the Ley 1581 report of who saw a debtor's
 * personal data lists it too. The viewer has no lease, so the view is stored as not leased, with a
 * reason that names where it came from. It raises no alarm.
 */
import { randomUUID } from 'node:crypto';
import { toBogotaIso } from '@gestiona/core/format';
import type { DebtorViewedEvent } from '../store/debtor-views.ts';
import type { Tables } from '../store/tables.ts';

/** The view's reason, as the administrator's report of views prints it. */
export const BOARD_VIEW_REASON = 'historial consultado desde el tablero del supervisor';

export interface BoardViewInput {
  debtorId: string;
  /** The team lead or administrator. */
  userId: string;
  /** The workstation of the viewer's session. */
  workstationId: string;
  now: Date;
}

export async function recordBoardView(tables: Tables, input: BoardViewInput): Promise<void> {
  const at = toBogotaIso(input.now);
  // NOTE: the server makes this event, so it takes no place in the workstation's outbox sequence;
  // `seq` 1 only satisfies the event schema. Nothing orders or checks views by `seq`.
  const event: DebtorViewedEvent = {
    id: randomUUID(),
    type: 'debtor.viewed',
    workstationId: input.workstationId,
    seq: 1,
    agentId: input.userId,
    occurredAt: at,
    payload: { debtorId: input.debtorId, viewedAt: at, localAt: at, clockOffsetMs: 0, reason: BOARD_VIEW_REASON },
  };
  await tables.debtorViews.insert(event, false, input.now);
}
