/**
 * The team lead's live board: what each agent and each workstation is doing today (Bogotá calendar
 * day), and which rules blocked contacts. The server builds it (`GET /api/board`), main fetches it
 * for the `board:get` channel, and the renderer shows it.
 */
import { z } from 'zod';
import { isoDateSchema, isoInstantSchema } from './domain.ts';

/**
 * `available`: signed in with no contact left to typify. `wrap-up`: a placed contact still needs its
 * typification. `offline`: no workstation of the agent has a socket open to the server.
 */
export const BOARD_AGENT_STATES = ['available', 'wrap-up', 'offline'] as const;
export const boardAgentStateSchema = z.enum(BOARD_AGENT_STATES);
export type BoardAgentState = z.infer<typeof boardAgentStateSchema>;

const count = z.number().int().nonnegative();

export const boardAgentSchema = z.object({
  agentId: z.string(),
  username: z.string(),
  fullName: z.string(),
  state: boardAgentStateSchema,
  /** When the agent entered `state`, as far as the server can tell; null when unknown. */
  stateSince: isoInstantSchema.nullable(),
  /** The workstation the state comes from; null when the agent never connected one. */
  workstationId: z.string().nullable(),
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
});
export type Board = z.infer<typeof boardSchema>;
