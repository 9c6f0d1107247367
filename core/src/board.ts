/**
 * The team lead's live board: what each agent and each workstation is doing today (Bogotá calendar
 * day), which rules blocked contacts and which compliance alarms wait for review. The server builds
 * it (`GET /api/board`), main fetches it for the `board:get` channel, and the renderer shows it.
 */
import { z } from 'zod';
import { pauseReasonSchema } from './agent-state.ts';
import { BOARD_AGENT_STATES } from './desk-states.ts';
import { isoDateSchema, isoInstantSchema } from './domain.ts';

export { BOARD_AGENT_STATES, BOARD_AGENT_STATE_LABELS, type BoardAgentState } from './desk-states.ts';

export const boardAgentStateSchema = z.enum(BOARD_AGENT_STATES);

const count = z.number().int().nonnegative();

/** The board lists at most this many open alarms; `openTotal` counts them all. */
export const MAX_BOARD_ALARMS = 50;

export const boardAgentSchema = z.object({
  agentId: z.string(),
  username: z.string(),
  fullName: z.string(),
  state: boardAgentStateSchema,
  /** When the agent entered `state`, as far as the server can tell; null when unknown. */
  stateSince: isoInstantSchema.nullable(),
  /** The workstation the state comes from; null when the agent never connected one. */
  workstationId: z.string().nullable(),
  /** The reason the agent gave, while `state` is `paused`; null or absent otherwise. */
  pauseReason: pauseReasonSchema.nullable().optional(),
  /** Debtors whose open lease belongs to the agent. */
  leasedDebtors: count,
  /** Distinct debtors with at least one typified interaction today. */
  debtorsWorked: count,
  interactions: count,
  /** Interactions today typified as two-way contacts with the debtor or a co-obligor. */
  rightPartyContacts: count,
  /** Interactions today whose code creates a promise to pay. */
  promises: count,
  /** Sum of the amounts promised today, in COP centavos. */
  promisedCents: count,
  /** Gate decisions today, allowed or blocked. */
  decisions: count,
  blockedDecisions: count,
});
export type BoardAgent = z.infer<typeof boardAgentSchema>;

export const boardWorkstationSchema = z.object({
  workstationId: z.string(),
  /** The user of the workstation's last socket. */
  userId: z.string(),
  userName: z.string().nullable(),
  online: z.boolean(),
  /** Outbox events not yet acknowledged, as last reported; null before the first report. */
  pending: count.nullable(),
  oldestPendingAt: isoInstantSchema.nullable(),
  /** The workstation's last successful pull or push, as it reported it. */
  lastSyncAt: isoInstantSchema.nullable(),
  /** The server's last contact with the workstation: connection, report or disconnection. */
  lastSeenAt: isoInstantSchema,
  /** Whether the workstation's clock was trusted at its last report; null before the first report. */
  clockTrusted: z.boolean().nullable(),
});
export type BoardWorkstation = z.infer<typeof boardWorkstationSchema>;

export const boardRuleCountSchema = z.object({
  /** A rule id of the rule pack, e.g. `R3`. */
  rule: z.string(),
  count: count,
});
export type BoardRuleCount = z.infer<typeof boardRuleCountSchema>;

/** Groups of the server's alarm kinds as the board counts them. */
export const BOARD_ALARM_CATEGORIES = ['violation', 'chain', 'clock'] as const;
export const boardAlarmCategorySchema = z.enum(BOARD_ALARM_CATEGORIES);
export type BoardAlarmCategory = z.infer<typeof boardAlarmCategorySchema>;

/** One compliance alarm that no team lead has acknowledged yet. */
export const boardAlarmSchema = z.object({
  id: z.number().int().positive(),
  /** The server's alarm kind, e.g. `violation` or `chain-gap`. */
  kind: z.string(),
  category: boardAlarmCategorySchema,
  /** Spanish label of the kind. */
  kindLabel: z.string(),
  /** Spanish text of the alarm, as the server wrote it. */
  message: z.string(),
  debtorId: z.string().nullable(),
  debtorName: z.string().nullable(),
  workstationId: z.string(),
  agentId: z.string(),
  agentName: z.string().nullable(),
  /** When the server raised it, in Bogotá time. */
  createdAt: isoInstantSchema,
});
export type BoardAlarm = z.infer<typeof boardAlarmSchema>;

export const boardAlarmCountSchema = z.object({ category: boardAlarmCategorySchema, count: count });
export type BoardAlarmCount = z.infer<typeof boardAlarmCountSchema>;

export const boardSchema = z.object({
  /** The Bogotá calendar day the counts cover. */
  date: isoDateSchema,
  generatedAt: isoInstantSchema,
  agents: z.array(boardAgentSchema),
  workstations: z.array(boardWorkstationSchema),
  compliance: z.object({
    decisions: count,
    blockedDecisions: count,
    /** Blocked decisions today per rule, most frequent first. A decision blocked by two rules counts for both. */
    blockedByRule: z.array(boardRuleCountSchema),
  }),
  alarms: z.object({
    /** Today's unacknowledged alarms, newest first, at most `MAX_BOARD_ALARMS`. */
    open: z.array(boardAlarmSchema),
    /** Every unacknowledged alarm of today, also those left out of `open`. */
    openTotal: count,
    /** Alarms raised today and in the 6 days before, acknowledged or not, per category in `BOARD_ALARM_CATEGORIES` order. */
    lastSevenDays: z.array(boardAlarmCountSchema),
  }),
});
export type Board = z.infer<typeof boardSchema>;
