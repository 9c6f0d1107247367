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
  ...boardLiveAgentFields(),
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
  /** Today's figures per team and per queue (debtor segment), and for everything the user sees. */
  figures: z.lazy(() => boardFiguresSchema),
});
export type Board = z.infer<typeof boardSchema>;

// Team-lead actions on the board: remote pause, reassignment, a debtor's timeline and offline alerts.

/** Outcome of a remote pause or resume at the agent's workstation. */
export const REMOTE_PAUSE_OUTCOMES = ['paused', 'deferred', 'resumed', 'unchanged'] as const;
export const remotePauseResultSchema = z.object({
  agentId: z.string(),
  /**
   * `paused`: the agent is in pause now. `deferred`: the agent is on a call or in wrap-up, so the
   * pause starts when the typification is saved. `resumed`: the pause ended. `unchanged`: the
   * agent was already in the state asked for.
   */
  outcome: z.enum(REMOTE_PAUSE_OUTCOMES),
  /** Spanish text for the team lead. */
  message: z.string(),
});
export type RemotePauseResult = z.infer<typeof remotePauseResultSchema>;

export const REASSIGNMENT_STATES = ['pending', 'done', 'cancelled'] as const;
export type ReassignmentState = (typeof REASSIGNMENT_STATES)[number];

/** One reassignment requested from the board, with its state read from the leases. */
export const boardReassignmentSchema = z.object({
  id: z.number().int().positive(),
  debtorId: z.string(),
  debtorName: z.string(),
  fromAgentId: z.string().nullable(),
  fromAgentName: z.string().nullable(),
  toAgentId: z.string(),
  toAgentName: z.string(),
  requestedByName: z.string(),
  requestedAt: isoInstantSchema,
  /** `pending`: the new agent has not received the debtor yet. `cancelled`: the new lease ended before it reached the agent. */
  state: z.enum(REASSIGNMENT_STATES),
  /** When the new agent's workstation could receive the debtor; null while pending or cancelled. */
  completedAt: isoInstantSchema.nullable(),
  /** Spanish text of what the reassignment waits for; null unless pending. */
  pendingReason: z.string().nullable(),
  /** The latest instant of the handover, when the previous lease's expiry allows it; null unless pending. */
  waitsUntil: isoInstantSchema.nullable(),
  /** Workstations of the previous agent that have not acknowledged the debtor's removal; empty unless pending. */
  waitingWorkstations: z.array(z.string()),
});
export type BoardReassignment = z.infer<typeof boardReassignmentSchema>;

/** A workstation without a connection to the server for longer than the alert threshold. */
export const boardOfflineAlertSchema = z.object({
  workstationId: z.string(),
  userName: z.string().nullable(),
  offlineSince: isoInstantSchema,
  offlineMs: count,
  /** Events waiting in its outbox, as last reported; null before the first report. */
  pending: count.nullable(),
  /** Spanish text naming the workstation and how long it has been offline. */
  message: z.string(),
});
export type BoardOfflineAlert = z.infer<typeof boardOfflineAlertSchema>;

/** The board's action state: pending and recent reassignments and offline alerts. */
export const boardActionsSchema = z.object({
  generatedAt: isoInstantSchema,
  reassignments: z.array(boardReassignmentSchema),
  offlineAlerts: z.array(boardOfflineAlertSchema),
  /** The threshold of the offline alerts, in minutes. */
  offlineThresholdMinutes: z.number().int().positive(),
});
export type BoardActions = z.infer<typeof boardActionsSchema>;

/** A debtor as the board's reassignment form lists it. */
export const boardDebtorSchema = z.object({
  debtorId: z.string(),
  fullName: z.string(),
  /** The agent of the open lease; null when the debtor has none. */
  agentId: z.string().nullable(),
  agentName: z.string().nullable(),
  /** Whether a reassignment of the debtor is pending. */
  pendingReassignment: z.boolean(),
});
export type BoardDebtor = z.infer<typeof boardDebtorSchema>;

export const TIMELINE_ITEM_KINDS = ['decision', 'interaction', 'lease', 'reassignment', 'view'] as const;

/** One entry of a debtor's history as the server stores it, in Spanish. */
export const timelineItemSchema = z.object({
  at: isoInstantSchema,
  kind: z.enum(TIMELINE_ITEM_KINDS),
  /** Short Spanish title, e.g. "Gestión por llamada" or "Intento bloqueado por llamada". */
  title: z.string(),
  /** Spanish details: channel, typification, rules, lease dates. */
  detail: z.string(),
  agentName: z.string().nullable(),
  channel: z.string().nullable(),
  workstationId: z.string().nullable(),
});
export type TimelineItem = z.infer<typeof timelineItemSchema>;

export const debtorTimelineSchema = z.object({
  debtorId: z.string(),
  debtorName: z.string(),
  /** Oldest first. */
  items: z.array(timelineItemSchema),
});
export type DebtorTimeline = z.infer<typeof debtorTimelineSchema>;

// Live board figures, trends and drill-down (server/src/board).

/** The agent's figures of today beyond the counts above; a function so that `boardAgentSchema` can spread them. */
function boardLiveAgentFields() {
  return {
    /** Leased debtors without a typified interaction today. */
    debtorsPending: count,
    /** Mean seconds from the dial to the saved typification of today's interactions; null without any. */
    avgHandleSeconds: z.number().nonnegative().nullable(),
    /** Mean seconds of today's finished wrap-ups, from the desk states the workstation reported; null without any. */
    avgWrapUpSeconds: z.number().nonnegative().nullable(),
    /** Allowed dials today that have no typified interaction yet. */
    untypified: count,
    /** Leased debtors whose every contactable person was already contacted today (R5: one contact a day). */
    budgetUsedDebtors: count,
    ...promiseDayFields(),
  };
}

/** Promise instalments due today and promises judged broken today, of the agent who made them. */
function promiseDayFields() {
  return {
    promisesDue: count,
    /** What the instalments due today were for, in COP centavos. */
    promisesDueCents: count,
    promisesBroken: count,
    /** What the promises broken today left unpaid, in COP centavos. */
    promisesBrokenCents: count,
  };
}

/** Today's figures of a group of agents: one team, one queue (debtor segment) or all of them. */
export const boardGroupFiguresSchema = z.object({
  /** `all`, a team id, or a segment. */
  key: z.string(),
  /** Spanish name of the group. */
  label: z.string(),
  agents: count,
  debtorsPending: count,
  /** Worked debtors per agent, summed: a debtor two agents worked counts twice. */
  debtorsWorked: count,
  interactions: count,
  rightPartyContacts: count,
  promises: count,
  promisedCents: count,
  avgHandleSeconds: z.number().nonnegative().nullable(),
  /** Null when no wrap-up ended in the group today. A queue counts the wrap-ups of contacts with its debtors whose typification reached the server. */
  avgWrapUpSeconds: z.number().nonnegative().nullable(),
  untypified: count,
  budgetUsedDebtors: count,
  /** Counted for the agent who made the promise and in the queue of the promise's debtor. */
  ...promiseDayFields(),
});
export type BoardGroupFigures = z.infer<typeof boardGroupFiguresSchema>;

export const boardFiguresSchema = z.object({
  total: boardGroupFiguresSchema,
  teams: z.array(boardGroupFiguresSchema),
  queues: z.array(boardGroupFiguresSchema),
});
export type BoardFigures = z.infer<typeof boardFiguresSchema>;

/**
 * Socket.io event, server → team leads and administrators in the rooms `team:<id>` and `role:admin`:
 * an agent's row of the board changed (desk state, connection, stored events), with `{ agentIds }`.
 * The workstation reads the board again, as on an alarm hint.
 */
export const BOARD_HINT_EVENT = 'board:hint';

export const BOARD_TREND_RANGES = ['today', '30d'] as const;
export const boardTrendRangeSchema = z.enum(BOARD_TREND_RANGES);
export type BoardTrendRange = z.infer<typeof boardTrendRangeSchema>;

/** One hour of today (`key` `07`) or one day of the last 30 (`key` an ISO date), Bogotá time. */
export const boardTrendPointSchema = z.object({
  key: z.string(),
  /** Spanish axis label: `07:00` or `dd/mm`. */
  label: z.string(),
  contacts: count,
  rightPartyContacts: count,
  promises: count,
});
export type BoardTrendPoint = z.infer<typeof boardTrendPointSchema>;

export const boardTrendsSchema = z.object({
  range: boardTrendRangeSchema,
  /** The Bogotá day the range ends with. */
  date: isoDateSchema,
  points: z.array(boardTrendPointSchema),
});
export type BoardTrends = z.infer<typeof boardTrendsSchema>;

/** The figures of the board that open the agents and debtors behind them. */
export const BOARD_DRILL_FIGURES = [
  'pending',
  'worked',
  'interactions',
  'right-party',
  'promises',
  'handle-time',
  'wrap-up',
  'untypified',
  'budget-used',
  'blocked',
  'promises-due',
  'promises-broken',
] as const;
export const boardDrillFigureSchema = z.enum(BOARD_DRILL_FIGURES);
export type BoardDrillFigure = z.infer<typeof boardDrillFigureSchema>;

/** `all`, `team:<id>`, `queue:<segment>` or `agent:<id>`. */
export const boardDrillScopeSchema = z.string().regex(/^(all|(team|queue|agent):[A-Za-z0-9._@-]{1,100})$/);

export const boardDrillAgentSchema = z.object({
  agentId: z.string(),
  fullName: z.string(),
  /** The agent's value of the figure: a count, or seconds for the time figures. */
  value: z.number().nonnegative(),
});
export type BoardDrillAgent = z.infer<typeof boardDrillAgentSchema>;

export const boardDrillDebtorSchema = z.object({
  debtorId: z.string(),
  /** The debtor's name as the board's alarms show it. */
  fullName: z.string(),
  segment: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  /** The instant behind the row (dial, typification, decision), Bogotá time; null for a lease. */
  at: isoInstantSchema.nullable(),
  /** Spanish detail: typification code, amount, rules, seconds. */
  detail: z.string(),
});
export type BoardDrillDebtor = z.infer<typeof boardDrillDebtorSchema>;

/** The board lists at most this many debtors behind a figure; `debtorsTotal` counts them all. */
export const MAX_DRILL_DEBTORS = 500;

export const boardDrillSchema = z.object({
  figure: boardDrillFigureSchema,
  scope: boardDrillScopeSchema,
  /** Spanish title, e.g. "Promesas de hoy · Equipo Norte". */
  title: z.string(),
  agents: z.array(boardDrillAgentSchema),
  debtors: z.array(boardDrillDebtorSchema),
  debtorsTotal: count,
});
export type BoardDrill = z.infer<typeof boardDrillSchema>;
