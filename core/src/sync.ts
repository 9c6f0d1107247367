/**
 * The sync contract between a workstation and the central server.
 *
 * Upstream, the workstation sends events from its durable outbox; each has a unique id and a
 * per-workstation sequence number, and the server stores each id once. Downstream, the server keeps
 * a change feed; the workstation pulls everything after its cursor, and live pushes are only hints.
 */
import { z } from 'zod';
import { catalogSchema, complianceClassSchema, typificationFieldsSchema } from './catalog.ts';
import { holdSetSchema } from './catalog-holds.ts';
import { PAUSE_REASONS } from './desk-states.ts';
import { gateDecisionSchema, rulePackSchema } from './compliance/types.ts';
import { channelSchema, contactKindSchema, debtorSnapshotSchema, isoInstantSchema, ledgerEntrySchema } from './domain.ts';
import { scriptSchema } from './script.ts';
import { strategySetSchema } from './strategy/schema.ts';

export const SOCKET_EVENTS = {
  /** client → server, with ack: a batch of outbox events. */
  pushEvents: 'events:push',
  /** client → server, with ack: feed entries after a cursor. */
  pullFeed: 'feed:pull',
  /** server → client: new feed entries exist; the client pulls. */
  feedHint: 'feed:hint',
  /** client → server, with ack: the server's clock, for the trusted-time offset. */
  clockPing: 'clock:ping',
  /** client → server: the workstation's live state (agent state, outbox backlog). */
  reportState: 'state:report',
  /** server → team leads and administrators: new compliance alarms exist; the client refreshes the board. */
  alarmHint: 'alarms:hint',
  /** server → the agent's workstations, with ack: a team lead pauses or resumes the agent (`remotePauseRequestSchema`). */
  remotePause: 'desk:remote-pause',
} as const;

export const MAX_PUSH_BATCH = 200;
export const MAX_PULL_LIMIT = 500;

export const DIALER_ADAPTERS = ['manual', 'softphone'] as const;
export const dialerAdapterSchema = z.enum(DIALER_ADAPTERS);
export type DialerAdapterName = z.infer<typeof dialerAdapterSchema>;

/**
 * Checks of the workstation itself that block a contact before the legal rules are evaluated. They
 * are kept apart from the rule pack's `RuleId`s because they are not rules of the law.
 * `CLOCK`: the workstation's clock could not be trusted, so the legal hours could not be checked.
 */
export const WORKSTATION_RULE_IDS = ['CLOCK'] as const;
export const workstationRuleIdSchema = z.enum(WORKSTATION_RULE_IDS);
export type WorkstationRuleId = z.infer<typeof workstationRuleIdSchema>;

/** A lower-case hex SHA-256 digest. */
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'debe ser un SHA-256 en hexadecimal (64 caracteres 0-9a-f)');

/**
 * The decision's place in the workstation's hash chain of decisions. `hash` covers the rest of the
 * payload, `index` and `prevHash`; `verifyChain` in `evidence-chain.ts` checks a sequence of them.
 */
export const chainLinkSchema = z.object({
  /** 1 for the workstation's first chained decision, then one more per decision, with no gaps. */
  index: z.number().int().positive(),
  /** `hash` of the previous decision; 64 zeros for the first. */
  prevHash: sha256HexSchema,
  hash: sha256HexSchema,
});

/** R16 evidence: one gate decision, allowed or blocked, with the time it was made and the inputs that mattered. */
export const decisionRecordedSchema = z.object({
  decisionId: z.uuid(),
  debtorId: z.string().min(1).max(100),
  personId: z.string().min(1).max(100),
  contactPointId: z.string().min(1).max(100),
  channel: channelSchema,
  decision: gateDecisionSchema,
  /** Number of ledger entries of this person the gate saw. */
  historySize: z.number().int().nonnegative(),
  trustedAt: isoInstantSchema,
  localAt: isoInstantSchema,
  /** Trusted minus local clock, in milliseconds. */
  clockOffsetMs: z.number(),
  /** When the offset was last measured against the server; null when never since the workstation started. */
  clockSyncedAt: isoInstantSchema.nullable().optional(),
  /**
   * Set when a check of the workstation, not a legal rule, blocked the contact. The decision then
   * lists R16 (every decision must carry a trusted time) and gives the reason in Spanish.
   */
  workstationRule: workstationRuleIdSchema.optional(),
  /** Absent on decisions recorded before the workstation chained its decisions. */
  chain: chainLinkSchema.optional(),
});
export type DecisionRecorded = z.infer<typeof decisionRecordedSchema>;

/** A typified interaction: the wrap-up of one placed call, saved by the agent. */
export const interactionRecordedSchema = z.object({
  interactionId: z.uuid(),
  attemptId: z.uuid(),
  decisionId: z.uuid(),
  debtorId: z.string().min(1).max(100),
  personId: z.string().min(1).max(100),
  contactPointId: z.string().min(1).max(100),
  channel: channelSchema,
  adapter: dialerAdapterSchema,
  code: z.string().regex(/^[A-Z]{2,4}$/),
  complianceClass: complianceClassSchema,
  /** Counting class of the contact under the daily and weekly limits. */
  kind: contactKindSchema,
  fields: typificationFieldsSchema,
  note: z.string().max(2000).nullable(),
  catalogVersion: z.string(),
  /** When the dial was placed (trusted time); the legal limits count from here. */
  dialedAt: isoInstantSchema,
  typifiedAt: isoInstantSchema,
  localTypifiedAt: isoInstantSchema,
  /**
   * The script followed in this contact and the path the agent walked in it: each step and the
   * answer chosen there (null: the step had no answers). Checked in main against the script's graph.
   * Absent in events from workstations before branching scripts, and when no step was walked.
   */
  scriptId: z.string().min(1).max(100).optional(),
  scriptVersion: z.string().min(1).max(50).optional(),
  scriptPath: z.array(z.object({ stepId: z.string().min(1).max(100), answer: z.string().min(1).max(100).nullable() })).max(200).optional(),
  /**
   * When the agent confirmed the right party in this contact (R12, trusted time). Absent when it was
   * not confirmed, and in events from workstations before the check was recorded in main.
   */
  identityConfirmedAt: isoInstantSchema.optional(),
});
export type InteractionRecorded = z.infer<typeof interactionRecordedSchema>;

const eventBase = {
  id: z.uuid(),
  workstationId: z.string().min(1).max(100),
  /** Per-workstation sequence number, starting at 1, with no gaps. */
  seq: z.number().int().positive(),
  agentId: z.string().min(1).max(100),
  occurredAt: isoInstantSchema,
};

/** The reason the server took a debtor off a workstation's worklist. */
export const debtorRemovalReasonSchema = z.enum(['lease-ended', 'reassigned', 'closed']);

/**
 * The workstation removed a debtor that a feed `debtor.remove` named. The outbox is sent in order,
 * so when the server stores this event it has already stored every earlier event of the workstation,
 * its contacts with the debtor included. The server then may hand the debtor to another agent
 * before the lease's own end.
 */
export const leaseReleasedSchema = z.object({
  debtorId: z.string().min(1).max(100),
  /** The server's lease that the `debtor.remove` closed. */
  leaseId: z.number().int().positive(),
  reason: debtorRemovalReasonSchema,
  /** When the workstation removed the debtor (trusted time). */
  removedAt: isoInstantSchema,
});
export type LeaseReleased = z.infer<typeof leaseReleasedSchema>;

/**
 * One view of a debtor's file on the agent's screen (Ley 1581 accountability). A server that
 * predates this event rejects it as an invalid event, and the workstation keeps it aside.
 */
export const debtorViewedSchema = z.object({
  debtorId: z.string().min(1).max(100),
  /** When the file was opened (trusted time). */
  viewedAt: isoInstantSchema,
  localAt: isoInstantSchema,
  /** Trusted minus local clock, in milliseconds. */
  clockOffsetMs: z.number(),
  /** The reason the file was open outside the agent's lease, e.g. `wrap-up` while a typification is pending; absent otherwise. */
  reason: z.string().min(1).max(200).optional(),
});
export type DebtorViewed = z.infer<typeof debtorViewedSchema>;

export const syncEventSchema = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal('decision.recorded'), payload: decisionRecordedSchema }),
  z.object({ ...eventBase, type: z.literal('interaction.recorded'), payload: interactionRecordedSchema }),
  z.object({ ...eventBase, type: z.literal('lease.released'), payload: leaseReleasedSchema }),
  z.object({ ...eventBase, type: z.literal('debtor.viewed'), payload: debtorViewedSchema }),
]);
export type SyncEvent = z.infer<typeof syncEventSchema>;
export type SyncEventType = SyncEvent['type'];
/** The events that report a contact with a person: a gate decision or a typified interaction. */
export type ContactEvent = Extract<SyncEvent, { type: 'decision.recorded' | 'interaction.recorded' }>;

export const pushRequestSchema = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_PUSH_BATCH),
});

export const pushResultSchema = z.object({
  id: z.string(),
  /** `stored`: new; `duplicate`: stored before, acknowledged again; `rejected`: invalid, kept aside by the server. */
  status: z.enum(['stored', 'duplicate', 'rejected']),
  error: z.string().optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushAckSchema = z.union([
  z.object({ ok: z.literal(true), results: z.array(pushResultSchema) }),
  z.object({
    ok: z.literal(false),
    error: z.string(),
    /**
     * Set when the server was too busy to look at the batch: nothing of it was stored, and the
     * client sends it again after about this many milliseconds. The link itself is fine.
     */
    retryAfterMs: z.number().int().positive().optional(),
  }),
]);
export type PushAck = z.infer<typeof pushAckSchema>;

export const PROMISE_STATUSES = ['pending', 'kept', 'partly-kept', 'broken'] as const;
export const promiseStatusSchema = z.enum(PROMISE_STATUSES);
export type PromiseStatus = z.infer<typeof promiseStatusSchema>;

/**
 * A promise (one instalment) or an instalment agreement made in a typification, as the server
 * tracks it. `id` is the id of the interaction that made it, so the workstation matches it with
 * its own record of the wrap-up.
 */
export const promiseSnapshotSchema = z.object({
  id: z.string().min(1).max(100),
  debtorId: z.string().min(1).max(100),
  kind: z.enum(['promise', 'agreement']),
  code: z.string().min(1).max(10),
  agentId: z.string().min(1).max(100),
  obligationIds: z.array(z.string().min(1).max(100)).min(1).max(200),
  amountCents: z.number().int().positive(),
  /** Paid toward the promise within its windows, the excess included. */
  paidCents: z.number().int().nonnegative(),
  /** Paid above the whole amount; the promise is kept and the excess noted. */
  excessCents: z.number().int().nonnegative(),
  madeAt: isoInstantSchema,
  status: promiseStatusSchema,
  statusChangedAt: isoInstantSchema,
  /** Spanish reason of the last status change. */
  statusReason: z.string().max(500),
  instalments: z
    .array(
      z.object({
        number: z.number().int().positive(),
        dueOn: z.iso.date(),
        amountCents: z.number().int().positive(),
        paidCents: z.number().int().nonnegative(),
        status: promiseStatusSchema,
      }),
    )
    .min(1)
    .max(60),
});
export type PromiseSnapshot = z.infer<typeof promiseSnapshotSchema>;

/** A payment from the creditor's payments file, with the promise it counted toward. */
export const paymentSnapshotSchema = z.object({
  id: z.string().min(1).max(100),
  debtorId: z.string().min(1).max(100),
  obligationId: z.string().min(1).max(100),
  paidOn: z.iso.date(),
  amountCents: z.number().int().positive(),
  reference: z.string().min(1).max(100),
  /** The promise that received the payment; null when none did. */
  promiseId: z.string().min(1).max(100).nullable(),
  /** Spanish note on how the payment was reconciled, e.g. an excess or a payment after the grace days. */
  note: z.string().max(500).nullable(),
  importedAt: isoInstantSchema,
});
export type PaymentSnapshot = z.infer<typeof paymentSnapshotSchema>;

export const feedEntrySchema = z.discriminatedUnion('type', [
  z.object({ seq: z.number().int().positive(), type: z.literal('debtor.upsert'), payload: debtorSnapshotSchema }),
  z.object({
    seq: z.number().int().positive(),
    type: z.literal('debtor.remove'),
    /** `leaseId`: the lease the removal closed; absent from servers that predate release acknowledgements. */
    payload: z.object({ debtorId: z.string(), reason: debtorRemovalReasonSchema, leaseId: z.number().int().positive().optional() }),
  }),
  z.object({ seq: z.number().int().positive(), type: z.literal('catalog.set'), payload: catalogSchema }),
  z.object({ seq: z.number().int().positive(), type: z.literal('script.set'), payload: scriptSchema }),
  z.object({ seq: z.number().int().positive(), type: z.literal('rulepack.set'), payload: rulePackSchema }),
  /** The segments and strategies published centrally; the workstation plans its tasks with them. */
  z.object({ seq: z.number().int().positive(), type: z.literal('strategy.set'), payload: strategySetSchema }),
  /** A contact made by someone else (another agent, a digital channel) that counts toward the limits. */
  z.object({ seq: z.number().int().positive(), type: z.literal('ledger.add'), payload: ledgerEntrySchema }),
  /** The collection holds in force for a leased debtor (a dispute, a deceased debtor); an empty list lifts them. */
  z.object({ seq: z.number().int().positive(), type: z.literal('hold.set'), payload: holdSetSchema }),
  /** A promise of a leased debtor was made or changed status. */
  z.object({ seq: z.number().int().positive(), type: z.literal('promise.upsert'), payload: promiseSnapshotSchema }),
  /** A payment of a leased debtor arrived in the creditor's payments file. */
  z.object({ seq: z.number().int().positive(), type: z.literal('payment.add'), payload: paymentSnapshotSchema }),
]);
export type FeedEntry = z.infer<typeof feedEntrySchema>;
export type FeedEntryType = FeedEntry['type'];

export const pullRequestSchema = z.object({
  after: z.number().int().nonnegative(),
  limit: z.number().int().positive().max(MAX_PULL_LIMIT),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

export const pullAckSchema = z.union([
  z.object({
    ok: z.literal(true),
    /** Raw entries; the client validates each one and stops at the first invalid entry. */
    entries: z.array(z.unknown()),
    /** Cursor to store once these entries are applied. */
    cursor: z.number().int().nonnegative(),
    hasMore: z.boolean(),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type PullAck = z.infer<typeof pullAckSchema>;

export const clockAckSchema = z.object({ serverTime: isoInstantSchema });

/** Handshake `auth` payload of every workstation socket. */
export const socketAuthSchema = z.object({
  token: z.string().min(20).max(200),
  workstationId: z.string().min(1).max(100),
});
export type SocketAuth = z.infer<typeof socketAuthSchema>;

export const ROLES = ['agent', 'team-lead', 'admin'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  role: roleSchema,
});
export type User = z.infer<typeof userSchema>;

/** `POST /api/auth/login` body and response. */
export const loginRequestSchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
  workstationId: z.string().min(1).max(100),
});
export const loginResponseSchema = z.object({
  token: z.string(),
  expiresAt: isoInstantSchema,
  user: userSchema,
  /** Opaque token that `POST /api/auth/renew` exchanges once for a new pair; absent from servers without renewal. */
  renewalToken: z.string().min(20).max(200).optional(),
  renewalExpiresAt: isoInstantSchema.optional(),
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/** `POST /api/auth/renew` body, response and refusal. */
export const renewRequestSchema = z.object({
  renewalToken: z.string().min(20).max(200),
  workstationId: z.string().min(1).max(100),
});
export type RenewRequest = z.infer<typeof renewRequestSchema>;

export const renewResponseSchema = loginResponseSchema.extend({
  renewalToken: z.string().min(20).max(200),
  renewalExpiresAt: isoInstantSchema,
});
export type RenewResponse = z.infer<typeof renewResponseSchema>;

/**
 * Why a renewal was refused: `invalid` (unknown token), `expired`, `revoked` (signed out, or the
 * token was presented twice or by another workstation) or `user-disabled`.
 */
export const RENEWAL_REFUSALS = ['invalid', 'expired', 'revoked', 'user-disabled'] as const;
export const renewRefusalSchema = z.object({ error: z.string(), reason: z.enum(RENEWAL_REFUSALS) });
export type RenewRefusal = z.infer<typeof renewRefusalSchema>;

/** `desk:remote-pause`: a team lead pauses or resumes an agent from the board. */
export const remotePauseRequestSchema = z.object({
  action: z.enum(['pause', 'resume']),
  /** The agent to pause; a workstation signed in as another user ignores the request. */
  agentId: z.string().min(1).max(100),
  /** Required for `pause`. */
  reason: z.enum(PAUSE_REASONS).nullable(),
  /** Full name of the team lead, shown to the agent. */
  byName: z.string().min(1).max(200),
  requestedAt: isoInstantSchema,
});
export type RemotePauseRequest = z.infer<typeof remotePauseRequestSchema>;

/** The workstation's acknowledgement of `desk:remote-pause`; the outcomes are those of `REMOTE_PAUSE_OUTCOMES` in `board.ts`. */
export const remotePauseAckSchema = z.union([
  z.object({ ok: z.literal(true), outcome: z.enum(['paused', 'deferred', 'resumed', 'unchanged']) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type RemotePauseAck = z.infer<typeof remotePauseAckSchema>;
