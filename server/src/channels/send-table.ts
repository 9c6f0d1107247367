/**
 * The store operations of the dispatcher on `channel_sends` and `channel_send_log`. Each function
 * runs inside one transaction of `ServerStore.writeChannels`. A claim is a single conditional UPDATE,
 * so of two server nodes only one gets a row, and a claim that outlives its node lapses at
 * `claim_expires_at`.
 */
import { randomUUID } from 'node:crypto';
import type { GateDecision } from '@gestiona/core/compliance/types';
import type { LedgerEntry } from '@gestiona/core/domain';
import { toBogotaIso } from '@gestiona/core/format';
import type { SqlConnection } from '../store/sql.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import type { DispatchedChannel, DueActivity, SendRow, SendStatus } from './types.ts';

/** Prefix of the ledger ids of sent messages, which the desk's timeline uses to name them. */
export const SEND_LEDGER_PREFIX = 'channel-send:';

export type LogOutcome = 'sent' | 'ready' | 'retry' | 'failed' | 'blocked' | 'rescheduled';

interface SendDbRow {
  id: string;
  debtor_id: string;
  person_id: string;
  activity_id: string;
  occurrence_date: string;
  channel: DispatchedChannel;
  status: SendStatus;
  next_attempt_at: string;
  attempts: number;
  address: string | null;
  body: string | null;
  sent_at: string | null;
}

const toSendRow = (row: SendDbRow): SendRow => ({
  id: row.id,
  debtorId: row.debtor_id,
  personId: row.person_id,
  activityId: row.activity_id,
  occurrenceDate: row.occurrence_date,
  channel: row.channel,
  status: row.status,
  nextAttemptAt: row.next_attempt_at,
  attempts: row.attempts,
  address: row.address,
  body: row.body,
  sentAt: row.sent_at,
});

/** Inserts a pending row per due activity unless its debtor, activity and date already have one; returns how many were new. */
export async function insertDue(sql: SqlConnection, due: readonly DueActivity[], now: Date): Promise<number> {
  let inserted = 0;
  const at = now.toISOString();
  for (const activity of due) {
    inserted += await sql.run(
      `INSERT INTO channel_sends (id, debtor_id, person_id, activity_id, occurrence_date, channel, strategy_version, status, next_attempt_at, attempts, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, 0, ?, ?)
       ON CONFLICT (debtor_id, activity_id, occurrence_date) DO NOTHING`,
      [randomUUID(), activity.debtorId, activity.personId, activity.activityId, activity.occurrenceDate, activity.channel, activity.strategyVersion, at, at, at],
    );
  }
  return inserted;
}

/** Ids of the pending rows whose attempt time has come and that no node holds, oldest first, then by activity id so a pass is repeatable. */
export async function claimableIds(sql: SqlConnection, now: Date, limit: number): Promise<string[]> {
  const at = now.toISOString();
  const rows = await sql.all<{ id: string }>(
    `SELECT id FROM channel_sends WHERE status = 'pending' AND next_attempt_at <= ? AND (claim_expires_at IS NULL OR claim_expires_at <= ?)
     ORDER BY next_attempt_at, occurrence_date, debtor_id, activity_id LIMIT ?`,
    [at, at, limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Claims one pending row for `nodeId` until `until`. The claim also fails while another row of the
 * same person is claimed, so that two nodes never gate-check two messages to one person at once
 * and both send on the same day. Returns the row, or null when another node got it first.
 */
export async function claimSend(sql: SqlConnection, id: string, nodeId: string, now: Date, until: Date): Promise<SendRow | null> {
  const at = now.toISOString();
  const changed = await sql.run(
    `UPDATE channel_sends SET claimed_by = ?, claim_expires_at = ?, updated_at = ?
     WHERE id = ? AND status = 'pending' AND next_attempt_at <= ? AND (claim_expires_at IS NULL OR claim_expires_at <= ?)
       AND NOT EXISTS (SELECT 1 FROM channel_sends other WHERE other.person_id = channel_sends.person_id AND other.id <> channel_sends.id AND other.claim_expires_at > ?)`,
    [nodeId, until.toISOString(), at, id, at, at, at],
  );
  if (changed === 0) return null;
  const row = await sql.get<SendDbRow>('SELECT * FROM channel_sends WHERE id = ?', [id]);
  return row === undefined ? null : toSendRow(row);
}

export interface SendResult {
  status: SendStatus;
  outcome: LogOutcome;
  decision: GateDecision | null;
  nextAttemptAt: Date | null;
  attempts: number;
  contactPointId: string | null;
  address: string | null;
  body: string | null;
  detail: string;
  error: string | null;
  sentAt: Date | null;
}

/**
 * Stores the outcome of a claimed row and releases the claim, with an evidence row in the log.
 * Returns false when the claim was lost (it lapsed and another node took the row), in which case
 * nothing is written.
 */
export async function finishSend(sql: SqlConnection, id: string, nodeId: string, result: SendResult, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const changed = await sql.run(
    `UPDATE channel_sends SET status = ?, next_attempt_at = ?, attempts = ?, claimed_by = NULL, claim_expires_at = NULL,
       contact_point_id = COALESCE(?, contact_point_id), address = COALESCE(?, address), body = COALESCE(?, body),
       rule_pack_version = COALESCE(?, rule_pack_version), rules = COALESCE(?, rules), last_error = ?, sent_at = ?, updated_at = ?
     WHERE id = ? AND claimed_by = ?`,
    [
      result.status,
      (result.nextAttemptAt ?? now).toISOString(),
      result.attempts,
      result.contactPointId,
      result.address,
      result.body,
      result.decision?.rulePackVersion ?? null,
      result.decision === null ? null : JSON.stringify(result.decision.rules),
      result.error,
      result.sentAt === null ? null : result.sentAt.toISOString(),
      at,
      id,
      nodeId,
    ],
  );
  if (changed === 0) return false;
  await logSend(sql, id, result.outcome, result.decision, result.detail, nodeId, now);
  return true;
}

export async function logSend(sql: SqlConnection, id: string, outcome: LogOutcome, decision: GateDecision | null, detail: string, nodeId: string, now: Date): Promise<void> {
  await sql.run('INSERT INTO channel_send_log (send_id, at, outcome, rule_pack_version, rules, detail, node_id) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    id,
    now.toISOString(),
    outcome,
    decision?.rulePackVersion ?? null,
    JSON.stringify(decision?.rules ?? []),
    detail,
    nodeId,
  ]);
}

/**
 * Writes a sent message, or a letter or visit cleared for its batch, into the fleet-wide ledger as an
 * attempt, so that it counts toward the person's daily limit and channel lock. The desk that holds
 * the debtor's lease receives it with the activity it carried out. Other desks receive it with the
 * debtor when they lease it, without the activity.
 */
export async function recordLedgerContact(tables: Tables, context: WriteContext, send: SendRow, at: Date): Promise<LedgerEntry> {
  const id = `${SEND_LEDGER_PREFIX}${send.id}`;
  await tables.events.sql.run('INSERT INTO ledger (id, debtor_id, person_id, channel, kind, at, agent_id, event_id) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)', [
    id,
    send.debtorId,
    send.personId,
    send.channel,
    'attempt',
    at.toISOString(),
  ]);
  const entry: LedgerEntry = {
    id,
    debtorId: send.debtorId,
    personId: send.personId,
    channel: send.channel,
    kind: 'attempt',
    at: toBogotaIso(at),
    activity: { activityId: send.activityId, occurrenceDate: send.occurrenceDate },
  };
  const lease = await tables.leases.openLease(send.debtorId);
  if (lease !== null && lease.expiresAt > at.toISOString()) {
    await tables.changes.append(context, lease.agentId, { type: 'ledger.add', payload: entry }, at);
  }
  return entry;
}

/**
 * Returns the person's letters and visits that a server before this version cleared for their batch
 * without writing them into the ledger. The gate counts them as contacts under R5 and R6, at the
 * print or route time, or else at the cleared slot. Rows with a ledger row are left out.
 *
 * NOTE: an R10-exempt letter cleared by this version has no ledger row either, so this read counts
 * it, and the server's gate is stricter than the desk's for such a letter.
 */
export async function unrecordedFieldContacts(sql: SqlConnection, personId: string, until: Date): Promise<{ channel: 'letter' | 'visit'; at: string }[]> {
  return sql.all<{ channel: 'letter' | 'visit'; at: string }>(
    `SELECT channel, COALESCE(sent_at, next_attempt_at) AS at FROM channel_sends
     WHERE person_id = ? AND channel IN ('letter', 'visit') AND status IN ('ready', 'sent') AND COALESCE(sent_at, next_attempt_at) <= ?
       AND NOT EXISTS (SELECT 1 FROM ledger WHERE ledger.id = '${SEND_LEDGER_PREFIX}' || channel_sends.id)
     ORDER BY at`,
    [personId, until.toISOString()],
  );
}

/** Ready letters or visits whose cleared slot falls on the Bogotá day `[from, to)`. */
export async function readyOn(sql: SqlConnection, channel: 'letter' | 'visit', from: Date, to: Date): Promise<SendRow[]> {
  const rows = await sql.all<SendDbRow>(
    `SELECT * FROM channel_sends WHERE channel = ? AND status = 'ready' AND next_attempt_at >= ? AND next_attempt_at < ? ORDER BY debtor_id, activity_id`,
    [channel, from.toISOString(), to.toISOString()],
  );
  return rows.map(toSendRow);
}

/** Marks a printed letter or a routed visit as sent at `at`; false when it was no longer ready. */
export async function markBatched(sql: SqlConnection, id: string, at: Date, nodeId: string, detail: string): Promise<boolean> {
  const changed = await sql.run(`UPDATE channel_sends SET status = 'sent', sent_at = ?, updated_at = ? WHERE id = ? AND status = 'ready'`, [
    at.toISOString(),
    at.toISOString(),
    id,
  ]);
  if (changed === 0) return false;
  await logSend(sql, id, 'sent', null, detail, nodeId, at);
  return true;
}

export async function listSends(sql: SqlConnection, debtorId?: string): Promise<SendRow[]> {
  const rows = debtorId === undefined
    ? await sql.all<SendDbRow>('SELECT * FROM channel_sends ORDER BY occurrence_date, debtor_id, activity_id')
    : await sql.all<SendDbRow>('SELECT * FROM channel_sends WHERE debtor_id = ? ORDER BY occurrence_date, activity_id', [debtorId]);
  return rows.map(toSendRow);
}
