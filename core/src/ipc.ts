/**
 * The workstation API contract: one entry per channel with the schema of its argument and of its
 * result. The preload API, the main-process handlers and the browser-mode bridge all derive from
 * this object; main parses every argument against it and treats the raw value as `unknown`.
 */
import { z } from 'zod';
import { boardSchema } from './board.ts';
import { catalogSchema, typificationFieldsSchema } from './catalog.ts';
import { gateDecisionSchema } from './compliance/types.ts';
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

export const syncStatusSchema = z.object({
  connection: z.enum(['online', 'offline', 'syncing']),
  /** Outbox events not yet acknowledged by the server. */
  pending: z.number().int().nonnegative(),
  oldestPendingAt: isoInstantSchema.nullable(),
  lastSyncAt: isoInstantSchema.nullable(),
  /** Spanish text of the last sync error, shown in the status bar. */
  lastError: z.string().nullable(),
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
});
export type ContactPointView = z.infer<typeof contactPointViewSchema>;

export const personViewSchema = z.object({
  id: z.string(),
  role: partyRoleSchema,
  fullName: z.string(),
  relation: z.string().nullable(),
  contactPoints: z.array(contactPointViewSchema),
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

export const debtorViewSchema = z.object({
  id: z.string(),
  fullName: z.string(),
  docType: docTypeSchema,
  docNumber: z.string(),
  city: z.string().nullable(),
  segment: segmentSchema,
  priority: z.number(),
  leaseUntil: isoInstantSchema,
  obligations: z.array(obligationSchema),
  totals: z.object({
    balanceCents: z.number().int(),
    overdueCents: z.number().int(),
    maxDaysPastDue: z.number().int(),
  }),
  persons: z.array(personViewSchema),
  script: z.object({
    id: z.string(),
    name: z.string(),
    steps: z.array(z.object({ id: z.string(), kind: z.enum(STEP_KINDS), title: z.string(), text: z.string() })),
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
} as const satisfies Record<IpcChannel, { args: z.ZodType; result: z.ZodType }>;

// Fails the type check when ipc-channels.ts and the contract disagree.
type MissingFromList = Exclude<keyof typeof ipcContract, IpcChannel>;
const channelListMatches: MissingFromList extends never ? true : false = true;
void channelListMatches;

export type IpcArgs<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['args']>;
export type IpcValue<C extends IpcChannel> = z.output<(typeof ipcContract)[C]['result']>;

/** Messages main pushes to the renderer on the push channel. */
export type PushMessage = { type: 'session'; state: SessionState } | { type: 'worklist-changed' };

/** The object the renderer finds on `window.gestiona`, in Electron and in browser mode alike. */
export type WorkstationApi = {
  [C in IpcChannel]: (args: IpcArgs<C>) => Promise<Result<IpcValue<C>>>;
} & {
  /** Subscribes to pushes from main; returns the unsubscribe function. */
  onPush(listener: (message: PushMessage) => void): () => void;
};
