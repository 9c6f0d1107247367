/** Shapes shared by the channel dispatcher's modules. */
import type { GateDecision } from '@gestiona/core/compliance/types';

/** The strategy channels the server sends; calls stay worklist tasks of the workstations. */
export const DISPATCHED_CHANNELS = ['sms', 'email', 'whatsapp', 'letter', 'visit'] as const;
export type DispatchedChannel = (typeof DISPATCHED_CHANNELS)[number];

/**
 * `pending` waits for `nextAttemptAt`; `ready` is a letter or visit cleared by the gate and waiting
 * for its batch; `sent` went out (or was printed or routed); `failed` ran out of tries; `blocked`
 * has no legal slot (R7, R8, R10, R13, or none within 400 days).
 */
export type SendStatus = 'pending' | 'ready' | 'sent' | 'failed' | 'blocked';

export interface SendRow {
  id: string;
  debtorId: string;
  personId: string;
  activityId: string;
  occurrenceDate: string;
  channel: DispatchedChannel;
  status: SendStatus;
  nextAttemptAt: string;
  attempts: number;
  address: string | null;
  body: string | null;
  sentAt: string | null;
}

/** A due occurrence of a digital or field activity, found by the planner. */
export interface DueActivity {
  debtorId: string;
  personId: string;
  activityId: string;
  occurrenceDate: string;
  channel: DispatchedChannel;
  strategyVersion: string | null;
}

/** The gate's decision on one send, with the address it would go to. */
export interface SendCheck {
  decision: GateDecision;
  contactPointId: string | null;
  address: string | null;
  /** Whether the message went out as exempt under R10, so it stays out of the contact ledger. */
  exempt: boolean;
}

/** Counts of one pass, per outcome. */
export interface PassSummary {
  planned: number;
  sent: number;
  ready: number;
  rescheduled: number;
  blocked: number;
  failed: number;
  /** Rows another node held, or that it claimed first. */
  skipped: number;
}
