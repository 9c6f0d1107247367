/**
 * The workstation API contract: one entry per channel with the schema of its argument and of its
 * result. The preload API, the main-process handlers and the browser-mode bridge all derive from
 * this object; main parses every argument against it and treats the raw value as `unknown`.
 */
import { z } from 'zod';
import { agentStatusSchema, pauseReasonSchema } from './agent-state.ts';
import { boardDrillFigureSchema, boardDrillSchema, boardDrillScopeSchema, boardSchema, boardTrendRangeSchema, boardTrendsSchema } from './board.ts';
import { boardActionsSchema, boardDebtorSchema, boardReassignmentSchema, debtorTimelineSchema, remotePauseResultSchema } from './board.ts';
import { catalogSchema, typificationFieldsSchema } from './catalog.ts';
import { gateDecisionSchema, ruleIdSchema } from './compliance/types.ts';
import {
  channelSchema,
  complianceChannelSchema,
  docTypeSchema,
  isoDateSchema,
  isoInstantSchema,
  obligationSchema,
  partyRoleSchema,
  segmentSchema,
} from './domain.ts';
import type { IpcChannel } from './ipc-channels.ts';
import type { Result } from './result.ts';
import { dialerAdapterSchema, userSchema } from './sync.ts';
import { scriptSchema, STEP_KINDS } from './script.ts';
import { ACTIVITY_CHANNELS, strategySetSchema } from './strategy/schema.ts';

const scriptEdgeSchema = z.object({ answer: z.string().nullable(), label: z.string(), to: z.string(), confirms: z.boolean() });
const scriptPathEntrySchema = z.object({ stepId: z.string().min(1).max(100), answer: z.string().min(1).max(100).nullable() });

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
  /**
   * When the agent confirmed in this contact that they speak with the right party (R12); null until
   * then. Main keeps it with the attempt, so balances stay hidden and a right-party code stays
   * refused until it is set, whatever the renderer claims.
   */
  identityConfirmedAt: isoInstantSchema.nullable(),
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

/**
 * Order of the session states one run of main built. A `session:get` reply and a push travel by
 * different paths, so the renderer can receive an older state after a newer one. It keeps the state
 * with the highest `seq` of the same `boot`, and a new `boot` (main restarted under an open page)
 * always wins.
 */
export const sessionRevisionSchema = z.object({
  boot: z.string().min(1).max(64),
  seq: z.number().int().nonnegative(),
});
export type SessionRevision = z.infer<typeof sessionRevisionSchema>;

export const sessionStateSchema = z.object({
  revision: sessionRevisionSchema,
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

/** A timeline call due for the debtor, checked against the gate now. */
export const worklistTaskSchema = z.object({
  activityId: z.string(),
  /** Spanish name of the activity, e.g. "Llamada: bienvenida". */
  name: z.string(),
  /** Bogotá date the timeline planned the call for; today or earlier. */
  plannedDate: isoDateSchema,
  /** When the call can be made: now, or the next legal slot; null when no legal slot exists (no authorised phone). */
  slotAt: isoInstantSchema.nullable(),
  allowedNow: z.boolean(),
  /** Spanish line, e.g. "Se puede hacer ahora" or "Pasa a mañana 07:00 (…)". */
  text: z.string(),
});
export type WorklistTask = z.infer<typeof worklistTaskSchema>;

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
  /** Spanish name of the segment in the published strategy; null from servers without strategies. */
  segmentName: z.string().nullable().optional(),
  /** The call of the strategy's timeline due today or earlier and not made yet ("Tareas de hoy"); null when none. */
  task: worklistTaskSchema.nullable().optional(),
  /**
   * A follow-up due, null when none: an instalment due today ("Seguimiento: promesa vence hoy"), the
   * debtor's latest promise broken ("Promesa incumplida"), or a callback due today or earlier and not
   * made yet ("Seguimiento: volver a llamar hoy 15:00"). Debtors with one come first, except for a
   * broken promise, which keeps the debtor's place.
   */
  followUp: z.object({ kind: z.enum(['due-today', 'broken', 'callback']), text: z.string() }).nullable().optional(),
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
  /** Letters and visits come from the server's channel dispatcher. */
  channel: complianceChannelSchema,
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
  /** The moves out of the step: the debtor's answers, or one "Siguiente"; none on a final closing. */
  edges: z.array(scriptEdgeSchema).optional(),
});
export type ScriptStepView = z.infer<typeof scriptStepViewSchema>;

/**
 * Where the agent stands in the script of the open contact, kept by main with the attempt: the path
 * walked (each step and the answer chosen) and the current step. `attemptId` is null while no
 * contact with the debtor is open, and the walk then stays on the first step.
 */
export const scriptWalkSchema = z.object({
  debtorId: z.string(),
  attemptId: z.uuid().nullable(),
  scriptId: z.string(),
  path: z.array(scriptPathEntrySchema),
  at: z.string(),
  identityConfirmed: z.boolean(),
});
export type ScriptWalk = z.infer<typeof scriptWalkSchema>;

/** One published script as the administrator's editor lists it, with its history (newest first). */
export const adminScriptVersionSchema = z.object({
  version: z.string(),
  source: z.enum(['resources', 'admin']),
  publishedBy: z.object({ username: z.string(), fullName: z.string() }).nullable(),
  publishedAt: isoInstantSchema,
  reason: z.string().nullable(),
});
export const adminScriptSchema = z.object({
  script: scriptSchema,
  current: adminScriptVersionSchema,
  history: z.array(adminScriptVersionSchema),
});
export type AdminScript = z.infer<typeof adminScriptSchema>;

/**
 * The debt details of one obligation: amounts, days past due, and the credit-report (R14) and
 * collection-fee (R15) status main computed for it. R12 keeps them in main until the agent
 * confirms the right party in an open contact.
 */
export const obligationDetailSchema = obligationSchema.pick({ balanceCents: true, overdueCents: true, daysPastDue: true, writtenOff: true }).extend({
  /** Spanish line on the prior notices of a credit-bureau report and when a report may be mentioned. */
  creditReportText: z.string(),
  collectionFee: z.object({
    /** Whether a fee may be charged after a contact with the debtor typified now. */
    allowed: z.boolean(),
    /** Spanish line: up to what percentage and amount, or why not. */
    text: z.string(),
  }),
});
export type ObligationDetail = z.infer<typeof obligationDetailSchema>;

/** One obligation as the debtor view lists it: what it is always, its debt details only after the identity check. */
export const obligationViewSchema = obligationSchema.pick({ id: true, creditor: true, number: true, product: true, dueDate: true }).extend({
  detail: obligationDetailSchema.nullable(),
});
export type ObligationView = z.infer<typeof obligationViewSchema>;

/** Where the open contact stands on the identity check (R12), decided in main. */
export const identityStateSchema = z.object({
  /** True only while a placed contact with this debtor is open and its right party was confirmed. */
  confirmed: z.boolean(),
  /** The open contact's attempt with this debtor, if any: the one `contact:confirm-identity` confirms. */
  attemptId: z.uuid().nullable(),
  /** Spanish line for the agent: why the details are hidden, or when the identity was confirmed. */
  text: z.string(),
});
export type IdentityState = z.infer<typeof identityStateSchema>;

/** One dated occurrence of a timeline activity, with its legal state. */
export const plannedActivityViewSchema = z.object({
  activityId: z.string(),
  name: z.string(),
  channel: z.enum(ACTIVITY_CHANNELS),
  /** 1 for the first occurrence, 2 for its first repetition… */
  number: z.number().int().positive(),
  date: isoDateSchema,
  state: z.enum(['planned', 'due', 'done', 'missed', 'stopped']),
  /** Spanish line: the legal slot, why it cannot be done, or what stopped it. */
  text: z.string(),
});
export type PlannedActivityView = z.infer<typeof plannedActivityViewSchema>;

export const strategyPlanViewSchema = z.object({
  segmentName: z.string().nullable(),
  treatmentName: z.string().nullable(),
  strategyVersion: z.string().nullable(),
  assignedAt: isoInstantSchema.nullable(),
  activities: z.array(plannedActivityViewSchema),
});
export type StrategyPlanView = z.infer<typeof strategyPlanViewSchema>;

/**
 * One entry of the debtor's timeline: a contact or attempt, a promise or agreement (made, or its
 * status change), a payment, or an authorisation change. Main writes every text in Spanish and
 * leaves amounts out of `detail` until the identity check is passed (R12).
 */
export const debtorTimelineEntrySchema = z.object({
  id: z.string(),
  at: isoInstantSchema,
  /** True when only the date is known (a payment's date), so the time is not shown. */
  dateOnly: z.boolean(),
  kind: z.enum(['contact', 'promise', 'payment', 'authorization']),
  title: z.string(),
  detail: z.string().nullable(),
  /** Result code of a contact, or the code that made a promise. */
  code: z.string().nullable(),
  /** A promise's current status, shown as a badge; null for other entries. */
  status: z.enum(['pending', 'kept', 'partly-kept', 'broken']).nullable(),
  /** Set when `detail` left out amounts because the identity check is not passed yet. */
  amountsHidden: z.boolean(),
});
export type DebtorTimelineEntry = z.infer<typeof debtorTimelineEntrySchema>;

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
  /** Null until the identity check of an open contact is passed (R12). */
  totals: z
    .object({
      balanceCents: z.number().int(),
      overdueCents: z.number().int(),
      maxDaysPastDue: z.number().int(),
    })
    .nullable(),
  identity: identityStateSchema,
  /** Spanish reason when collection of this debtor is held (a dispute, a deceased holder): no dial until it is lifted. */
  holdText: z.string().nullable(),
  persons: z.array(personViewSchema),
  script: z.object({
    id: z.string(),
    name: z.string(),
    /** Absent on the stand-in shown before the script has synced. */
    version: z.string().optional(),
    steps: z.array(scriptStepViewSchema),
  }),
  history: z.array(historyItemSchema),
  /** Contacts, promises, payments and authorisation changes, newest first; absent from older main processes. */
  timeline: z.array(debtorTimelineEntrySchema).optional(),
  /** The strategy's timeline for this debtor ("Plan de la estrategia"); null without a strategy. */
  strategyPlan: strategyPlanViewSchema.nullable().optional(),
});
export type DebtorView = z.infer<typeof debtorViewSchema>;

/** A published strategy set as the admin editor receives it. */
export const strategyPublicationSchema = z.object({
  version: z.string(),
  /** Null for the factory default, which nobody published. */
  publishedAt: isoInstantSchema.nullable(),
  publishedBy: z.string().nullable(),
  strategy: strategySetSchema,
});
export type StrategyPublication = z.infer<typeof strategyPublicationSchema>;

/** How many debtors a strategy set would move from one segment to another; `fromId` null for debtors without a segment yet. */
export const strategyPreviewSchema = z.object({
  total: z.number().int().nonnegative(),
  moves: z.array(
    z.object({
      fromId: z.string().nullable(),
      fromName: z.string().nullable(),
      toId: z.string(),
      toName: z.string(),
      count: z.number().int().nonnegative(),
    }),
  ),
});
export type StrategyPreview = z.infer<typeof strategyPreviewSchema>;

/**
 * The variables and operators segment rules may use, with their Spanish labels, sent by main so
 * that the renderer needs no value import from the strategy modules.
 */
export const strategyVocabularySchema = z.object({
  variables: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      type: z.enum(['number', 'string', 'boolean', 'string-list', 'date']),
      nullable: z.boolean(),
      values: z.array(z.string()).optional(),
    }),
  ),
  operators: z.array(z.object({ op: z.string(), label: z.string() })),
  /** Operators each variable type accepts. */
  opsByType: z.record(z.string(), z.array(z.string())),
});
export type StrategyVocabulary = z.infer<typeof strategyVocabularySchema>;

/** The editor's strategy set as sent: main checks it with `parseStrategySet`, whose errors name the segment and field. */
const strategyDraftSchema = z.record(z.string(), z.unknown());

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

/** One published catalog version as the catalog editor lists it. */
const catalogPublicationSchema = z.object({
  version: z.string(),
  publishedAt: isoInstantSchema,
  /** Full name of the administrator, or null for the factory file. */
  publishedBy: z.string().nullable(),
  reason: z.string().nullable(),
});

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
        /** Only debtors of this segment id. */
        segment: z.string().min(1).max(60).optional(),
        /** Only debtors with this legal status now. */
        legalStatus: z.enum(LEGAL_STATUSES).optional(),
        offset: z.number().int().nonnegative().max(1_000_000),
        limit: z.number().int().positive().max(200),
      })
      .strict(),
    result: z.object({
      items: z.array(worklistItemSchema),
      total: z.number().int().nonnegative(),
      /** The segments of the strategy set in force, in its order, for the segment filter; absent before the first strategy. */
      segments: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
    }),
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
      })
      .strict(),
    result: z.object({ interactionId: z.uuid() }),
  },
  /**
   * The agent confirmed, in the open contact, that they speak with the right party (the script's
   * identity step). Main records it with the attempt; from then on the debtor view carries the debt
   * details and a right-party code may be saved. Only the debtor or a co-obligor can be confirmed.
   */
  'contact:confirm-identity': {
    args: z.object({ attemptId: z.uuid() }).strict(),
    result: z.object({ attemptId: z.uuid(), identityConfirmedAt: isoInstantSchema }),
  },
  /** The script walk of the debtor's open contact (or the first step when no contact is open). */
  'script:walk': { args: z.object({ debtorId: z.string().min(1).max(100) }).strict(), result: scriptWalkSchema },
  /**
   * The agent moves in the script of the open contact: `answer` takes the debtor's answer on the
   * current step (null: "Siguiente" on a step without answers), `back` undoes the last move. Main
   * checks the move against the script's graph; an identity answer also confirms the right party.
   */
  'script:answer': {
    args: z.discriminatedUnion('move', [
      z.object({ move: z.literal('answer'), attemptId: z.uuid(), stepId: z.string().min(1).max(100), answer: z.string().min(1).max(100).nullable() }).strict(),
      z.object({ move: z.literal('back'), attemptId: z.uuid() }).strict(),
    ]),
    result: scriptWalkSchema,
  },
  /** The scripts published on the server with their history; administrators only. */
  'admin:scripts-list': { args: empty, result: z.object({ scripts: z.array(adminScriptSchema) }) },
  /** Publishes a script version on the server (checked there too); administrators only. */
  'admin:scripts-publish': {
    args: z.object({ script: scriptSchema, reason: z.string().trim().max(500).nullable().optional() }).strict(),
    result: z.object({ published: z.boolean(), script: adminScriptSchema }),
  },
  'catalog:get': { args: empty, result: catalogSchema },
  /** The legal times for a callback of the pending contact, for the wrap-up's picker (next 7 days, every 30 minutes). */
  'wrapup:callback-slots': {
    args: z.object({ attemptId: z.uuid(), code: z.string().min(1).max(10) }).strict(),
    result: z.object({ slots: z.array(isoInstantSchema) }),
  },
  /** The catalog in force on the server and its history, for the catalog editor; administrators only. */
  'admin:catalog-get': {
    args: empty,
    result: z.object({
      current: catalogPublicationSchema.extend({ catalog: catalogSchema }).nullable(),
      history: z.array(catalogPublicationSchema),
    }),
  },
  /** Publishes a catalog on the server (checked there against the history too); administrators only. */
  'admin:catalog-publish': {
    args: z.object({ catalog: z.record(z.string(), z.unknown()), reason: z.string().trim().max(500).nullable().optional() }).strict(),
    result: z.object({ published: z.boolean(), version: z.string(), publishedAt: isoInstantSchema }),
  },
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
  /**
   * Today's board figures as a file, built by the server; team leads and administrators only. A CSV
   * holds one table, the agents' or with `table: 'queues'` the queues'; the XLSX holds both sheets.
   */
  'board:export': {
    args: z.object({ format: z.enum(['csv', 'xlsx']), table: z.enum(['agents', 'queues']).optional() }).strict(),
    result: z.object({ fileName: z.string(), mimeType: z.string(), contentBase64: z.string() }),
  },
  /** Pending and recent reassignments and offline-workstation alerts of the board; team leads and administrators only. */
  'board:actions': { args: empty, result: boardActionsSchema },
  /** Debtors to pick for a reassignment, by agent or by part of the name or id; team leads and administrators only. */
  'board:debtors': {
    args: z.object({ agentId: z.string().min(1).max(100).optional(), query: z.string().max(100).optional() }).strict(),
    result: z.array(boardDebtorSchema),
  },
  /** Reassigns debtors to an agent of the lead's teams; each takes effect when the old lease is released or expires. */
  'board:reassign': {
    args: z.object({ debtorIds: z.array(z.string().min(1).max(100)).min(1).max(200), toAgentId: z.string().min(1).max(100) }).strict(),
    result: z.array(boardReassignmentSchema),
  },
  /** A debtor's history as the server holds it, read-only; the server records the read as a view of the debtor's file. */
  'board:debtor-timeline': { args: z.object({ debtorId: z.string().min(1).max(100) }).strict(), result: debtorTimelineSchema },
  /** Pauses an agent at their workstation with a reason; during a call or wrap-up the pause starts when the typification is saved. */
  'board:pause-agent': { args: z.object({ agentId: z.string().min(1).max(100), reason: pauseReasonSchema }).strict(), result: remotePauseResultSchema },
  /** Ends an agent's pause, or cancels a pause still waiting for the typification. */
  'board:resume-agent': { args: z.object({ agentId: z.string().min(1).max(100) }).strict(), result: remotePauseResultSchema },
  /** Contacts, right-party contacts and promises per hour of today or per day of the last 30 days; team leads and administrators only. */
  'board:trends': { args: z.object({ range: boardTrendRangeSchema }).strict(), result: boardTrendsSchema },
  /** The agents and debtors behind one figure of today's board; team leads and administrators only. */
  'board:drill': { args: z.object({ figure: boardDrillFigureSchema, scope: boardDrillScopeSchema }).strict(), result: boardDrillSchema },
  /** The strategy set in force on the server; administrators only. */
  'admin:strategy-get': { args: empty, result: z.object({ current: strategyPublicationSchema, vocabulary: strategyVocabularySchema }) },
  /** Debtors that would move between segments under the draft, computed by the server without storing; administrators only. */
  'admin:strategy-preview': { args: z.object({ strategy: strategyDraftSchema }).strict(), result: strategyPreviewSchema },
  /** Publishes the draft as a new version; administrators only. Errors name the segment and field in Spanish. */
  'admin:strategy-publish': {
    args: z.object({ strategy: strategyDraftSchema, reason: z.string().trim().max(500).optional() }).strict(),
    result: z.object({ version: z.string(), publishedAt: isoInstantSchema }),
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
