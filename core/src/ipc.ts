/**
 * The workstation API contract: one entry per channel with the schema of its argument and of its
 * result. The preload API, the main-process handlers and the browser-mode bridge all derive from
 * this object; main parses every argument against it and treats the raw value as `unknown`.
 */
import { z } from 'zod';
import { agentStatusSchema, pauseReasonSchema } from './agent-state.ts';
import { boardSchema } from './board.ts';
import { catalogSchema, typificationFieldsSchema } from './catalog.ts';
import { gateDecisionSchema, ruleIdSchema } from './compliance/types.ts';
import {
  channelSchema,
  docTypeSchema,
  isoInstantSchema,
  obligationSchema,
  partyRoleSchema,
  segmentSchema,
} from './domain.ts';
import type { IpcChannel } from './ipc-channels.ts';
import type { Result } from './result.ts';
import { dialerAdapterSchema, userSchema } from './sync.ts';
import { STEP_KINDS } from './script.ts';

/**
 * When the status bar warns that the outbox is backing up. Contacts still in the outbox count on no
 * other workstation's ledger and on no team lead's board, and they are lost with the disk, so a
 * backlog this large or this old is worth a call to the team lead. The defaults are an estimate:
 * 1,000 events is about 500 typifications, a full day of one agent's calls, and 4 hours is half a
 * shift.
 */
export const backlogLimitsSchema = z.object({
  /** Pending events above which the warning shows. */
  maxPending: z.number().int().positive(),
  /** Age of the oldest pending event, in ms, above which the warning shows. */
  maxAgeMs: z.number().int().positive(),
});
export type BacklogLimits = z.infer<typeof backlogLimitsSchema>;
export const DEFAULT_BACKLOG_LIMITS: BacklogLimits = { maxPending: 1_000, maxAgeMs: 4 * 60 * 60 * 1000 };

export const syncStatusSchema = z.object({
  connection: z.enum(['online', 'offline', 'syncing']),
  /** Outbox events not yet acknowledged by the server. */
  pending: z.number().int().nonnegative(),
  oldestPendingAt: isoInstantSchema.nullable(),
  lastSyncAt: isoInstantSchema.nullable(),
  /** Spanish text of the last sync error, shown in the status bar. */
  lastError: z.string().nullable(),
  /** The workstation's backlog warning limits, always sent by main; without them the status bar shows no warning. */
  backlogLimits: backlogLimitsSchema.optional(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const pendingWrapUpSchema = z.object({
  attemptId: z.uuid(),
  debtorId: z.string(),
  debtorName: z.string(),
  personName: z.string(),
  contactPointId: z.string(),
  channel: channelSchema,
  /** Number or address as the agent dials it. */
  address: z.string(),
  adapter: dialerAdapterSchema,
  dialedAt: isoInstantSchema,
});
export type PendingWrapUp = z.infer<typeof pendingWrapUpSchema>;

/** Whether the workstation's clock can be trusted for the legal hours, shown to the agent and the team lead. */
export const sessionClockSchema = z.object({
  /** False blocks every dial until the clock is measured again against the server. */
  trusted: z.boolean(),
  /** Trusted minus local clock, in milliseconds. */
  offsetMs: z.number(),
  /** Last measurement against the server since the workstation started; null when none yet. */
  lastSyncAt: isoInstantSchema.nullable(),
  /** Trusted time at which the last change of the machine's clock was detected; null when none. */
  jumpDetectedAt: isoInstantSchema.nullable(),
  /** Size of that change in milliseconds, positive when the machine's clock moved forward. */
  jumpMs: z.number().nullable().optional(),
  /** Spanish (es-CO) sentence with the reason the clock is not trusted and what to do; null when trusted. */
  reason: z.string().nullable(),
});
export type SessionClock = z.infer<typeof sessionClockSchema>;

export const sessionStateSchema = z.object({
  user: userSchema.nullable(),
  workstationId: z.string(),
  serverUrl: z.string(),
  /** The contact the agent must typify before anything else; survives restarts. */
  wrapUp: pendingWrapUpSchema.nullable(),
  sync: syncStatusSchema,
  /** Trusted time now, ISO in -05:00. */
  now: isoInstantSchema,
  dialerAdapter: dialerAdapterSchema,
  /** State of the trusted clock; absent from workstations built before it was reported. */
  clock: sessionClockSchema.optional(),
  /**
   * Set while the agent works without a server session (signed in offline, or the renewal was
   * refused): the trusted time, ISO in -05:00, until which the offline sign-in stays valid. Null
   * or absent while the server session is valid.
   */
  offlineUntil: isoInstantSchema.nullable().optional(),
  /**
   * True while the session has no server tokens and the last health check reached the central
   * server: the agent enters the password again (`auth:login`) to sync. Absent from workstations
   * built before it.
   */
  serverReachable: z.boolean().optional(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const LEGAL_STATUSES = ['contactable', 'contacted-today', 'outside-hours', 'blocked'] as const;

export const worklistItemSchema = z.object({
  debtorId: z.string(),
  fullName: z.string(),
  docType: docTypeSchema,
  docNumber: z.string(),
  segment: segmentSchema,
  priority: z.number(),
  totalBalanceCents: z.number().int(),
  maxDaysPastDue: z.number().int(),
  obligationCount: z.number().int(),
  legalStatus: z.enum(LEGAL_STATUSES),
  /** Spanish status line, e.g. "Fuera de horario — abre lunes 07:00". */
  statusText: z.string(),
  nextAllowedAt: isoInstantSchema.nullable(),
  lastResultCode: z.string().nullable(),
  lastContactAt: isoInstantSchema.nullable(),
});
export type WorklistItem = z.infer<typeof worklistItemSchema>;

export const contactPointViewSchema = z.object({
  id: z.string(),
  channel: channelSchema,
  address: z.string(),
  authorized: z.boolean(),
  authorizationText: z.string(),
  flagged: z.string().nullable(),
  /** False for references and for anything the gate blocks right now. */
  dialable: z.boolean(),
  /** The gate's decision for a contact right now; null for references, which never reach the gate. */
  decision: gateDecisionSchema.nullable(),
  /** For a foreign number: its country and the local time there now (`Número de España: hora local 02:15`). */
  localTimeText: z.string().nullable().optional(),
});
export type ContactPointView = z.infer<typeof contactPointViewSchema>;

export const personViewSchema = z.object({
  id: z.string(),
  role: partyRoleSchema,
  fullName: z.string(),
  relation: z.string().nullable(),
  contactPoints: z.array(contactPointViewSchema),
  /** For a person abroad: where and the local time now (`Reside en Madrid (España): hora local 02:15`). */
  residenceText: z.string().nullable().optional(),
  /** The person's R9 schedule request and its hours, or why the gate ignores it. */
  scheduleRequestText: z.string().nullable().optional(),
});
export type PersonView = z.infer<typeof personViewSchema>;

export const historyItemSchema = z.object({
  at: isoInstantSchema,
  channel: channelSchema,
  personName: z.string(),
  code: z.string().nullable(),
  label: z.string(),
  origin: z.enum(['local', 'remote']),
});
export type HistoryItem = z.infer<typeof historyItemSchema>;

/** A script step as shown to the agent, with its text withheld while a rule blocks it. */
export const scriptStepViewSchema = z.object({
  id: z.string(),
  kind: z.enum(STEP_KINDS),
  title: z.string(),
  /** Filled-in text; empty while the step is locked. */
  text: z.string(),
  /** Set when the step announces something the rules do not allow yet (R14); main decides it. */
  lock: z.object({ rules: z.array(ruleIdSchema), reasons: z.array(z.string()) }).nullable().optional(),
});
export type ScriptStepView = z.infer<typeof scriptStepViewSchema>;

/** One obligation with the credit-report (R14) and collection-fee (R15) status main computed for it. */
export const obligationViewSchema = obligationSchema.extend({
  /** Spanish line on the prior notices of a credit-bureau report and when a report may be mentioned. */
  creditReportText: z.string(),
  collectionFee: z.object({
    /** Whether a fee may be charged after a contact with the debtor typified now. */
    allowed: z.boolean(),
    /** Spanish line: up to what percentage and amount, or why not. */
    text: z.string(),
  }),
});
export type ObligationView = z.infer<typeof obligationViewSchema>;

export const debtorViewSchema = z.object({
  id: z.string(),
  fullName: z.string(),
  docType: docTypeSchema,
  docNumber: z.string(),
  city: z.string().nullable(),
  segment: segmentSchema,
  priority: z.number(),
  leaseUntil: isoInstantSchema,
  obligations: z.array(obligationViewSchema),
  totals: z.object({
    balanceCents: z.number().int(),
    overdueCents: z.number().int(),
    maxDaysPastDue: z.number().int(),
  }),
  persons: z.array(personViewSchema),
  script: z.object({
    id: z.string(),
    name: z.string(),
    steps: z.array(scriptStepViewSchema),
  }),
  history: z.array(historyItemSchema),
});
export type DebtorView = z.infer<typeof debtorViewSchema>;

export const dialResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('blocked'), decision: gateDecisionSchema }),
  z.object({
    outcome: z.literal('placed'),
    decision: gateDecisionSchema,
    wrapUp: pendingWrapUpSchema,
    /** For the softphone adapter: the URI handed to the operating system. */
    uri: z.string().nullable(),
  }),
  /** The call could not be placed (softphone missing…); the attempt still counts and needs a typification. */
  z.object({ outcome: z.literal('failed'), decision: gateDecisionSchema, wrapUp: pendingWrapUpSchema, error: z.string() }),
]);
export type DialResult = z.infer<typeof dialResultSchema>;

const empty = z.object({}).strict();

export const ipcContract = {
  'auth:login': {
    args: z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(200) }).strict(),
    result: sessionStateSchema,
  },
  'auth:logout': { args: empty, result: sessionStateSchema },
  'session:get': { args: empty, result: sessionStateSchema },
  'worklist:list': {
    args: z
      .object({
        search: z.string().trim().max(100).optional(),
        offset: z.number().int().nonnegative().max(1_000_000),
        limit: z.number().int().positive().max(200),
      })
      .strict(),
    result: z.object({ items: z.array(worklistItemSchema), total: z.number().int().nonnegative() }),
  },
  'debtor:open': { args: z.object({ debtorId: z.string().min(1).max(100) }).strict(), result: debtorViewSchema },
  'contact:dial': {
    args: z
      .object({
        debtorId: z.string().min(1).max(100),
        contactPointId: z.string().min(1).max(100),
        /** Idempotency key chosen by the renderer per click intent: a repeated request places no second call. */
        requestId: z.uuid(),
      })
      .strict(),
    result: dialResultSchema,
  },
  'wrapup:save': {
    args: z
      .object({
        attemptId: z.uuid(),
        code: z.string().min(1).max(10),
        fields: typificationFieldsSchema,
        note: z.string().max(2000).nullable(),
        /**
         * The agent confirmed the right party in the script's identity step. A right-party (two-way)
         * code cannot be saved without it, because debt details may only be discussed with that person.
         */
        identityConfirmed: z.boolean().optional(),
      })
      .strict(),
    result: z.object({ interactionId: z.uuid() }),
  },
  'catalog:get': { args: empty, result: catalogSchema },
  'sync:now': { args: empty, result: syncStatusSchema },
  /** The team lead's live board, fetched from the server; team leads and administrators only. */
  'board:get': { args: empty, result: boardSchema },
  /** Marks a compliance alarm of the board as reviewed, on the server; team leads and administrators only. */
  'alarm:acknowledge': {
    args: z.object({ alarmId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict(),
    result: z.object({ alarmId: z.number().int().positive(), acknowledgedAt: isoInstantSchema, acknowledgedBy: z.string() }),
  },
  /** The signed-in agent's state at the desk: available, on a call, in wrap-up or paused. */
  'agent:status': { args: empty, result: agentStatusSchema },
  /** Pauses the agent with a reason from `PAUSE_REASONS`; a paused agent cannot dial until `agent:resume`. */
  'agent:pause': { args: z.object({ reason: pauseReasonSchema }).strict(), result: agentStatusSchema },
  'agent:resume': { args: empty, result: agentStatusSchema },
  /** The agent hung up the placed contact: the state moves from on a call to wrap-up until the typification is saved. */
  'agent:call-ended': { args: z.object({ attemptId: z.uuid() }).strict(), result: agentStatusSchema },
  /** Today's board figures as a file, built by the server; team leads and administrators only. */
  'board:export': {
    args: z.object({ format: z.enum(['csv', 'xlsx']) }).strict(),
    result: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  },
} as const satisfies Record<IpcChannel, { args: z.ZodType; result: z.ZodType }>;

// Fails the type check when ipc-channels.ts and the contract disagree.
type MissingFromList = Exclude<keyof typeof ipcContract, IpcChannel>;
const channelListMatches: MissingFromList extends never ? true : false = true;
void channelListMatches;

export type IpcArgs<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['args']>;
export type IpcValue<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['result']>;

/**
 * Messages main pushes to the renderer on the push channel. `board-changed`: the server raised
 * compliance alarms, so a team lead's board is out of date.
 */
export type PushMessage = { type: 'session'; state: SessionState } | { type: 'worklist-changed' } | { type: 'board-changed' };

/** The object the renderer finds on `window.gestiona`, in Electron and in browser mode alike. */
export type WorkstationApi = {
  [C in IpcChannel]: (args: IpcArgs<C>) => Promise<Result<IpcValue<C>>>;
} & {
  /** Subscribes to pushes from main; returns the unsubscribe function. */
  onPush(listener: (message: PushMessage) => void): () => void;
};
