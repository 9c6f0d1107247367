/** Typified interactions (gestiones) and the local records their effects create. */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { Channel } from '@gestiona/core/domain';
import type { InteractionRecorded } from '@gestiona/core/sync';

export const LOCAL_RECORD_KINDS = ['callback', 'promise', 'agreement', 'payment-check', 'collection-pause', 'strategy-stop'] as const;
export type LocalRecordKind = (typeof LOCAL_RECORD_KINDS)[number];

export interface LocalRecord {
  kind: LocalRecordKind;
  debtorId: string;
  interactionId: string;
  /** When the follow-up is due (callback time, promised date), if the record has one. */
  dueAt: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

export class InteractionStore {
  private readonly db: Database;
  private readonly insertInteraction: Statement;
  private readonly insertRecord: Statement;
  private readonly upsertFlag: Statement;
  private readonly upsertRevocation: Statement;

  constructor(db: Database) {
    this.db = db;
    this.insertInteraction = db.prepare(`
      INSERT INTO interactions (id, attempt_id, decision_id, debtor_id, person_id, contact_point_id, channel, adapter, code,
        compliance_class, kind, fields, note, catalog_version, dialed_at, typified_at, local_typified_at, clock_offset_ms, script_path)
      VALUES (@interactionId, @attemptId, @decisionId, @debtorId, @personId, @contactPointId, @channel, @adapter, @code,
        @complianceClass, @kind, @fields, @note, @catalogVersion, @dialedAt, @typifiedAt, @localTypifiedAt, @clockOffsetMs, @scriptPathJson)`);
    this.insertRecord = db.prepare(`
      INSERT INTO local_records (id, interaction_id, debtor_id, kind, due_at, payload, created_at)
      VALUES (@id, @interactionId, @debtorId, @kind, @dueAt, @payload, @createdAt)`);
    this.upsertFlag = db.prepare(`
      INSERT INTO contact_point_flags (debtor_id, contact_point_id, reason, interaction_id, flagged_at)
      VALUES (@debtorId, @contactPointId, @reason, @interactionId, @flaggedAt)
      ON CONFLICT (debtor_id, contact_point_id) DO UPDATE SET reason = excluded.reason, interaction_id = excluded.interaction_id, flagged_at = excluded.flagged_at`);
    // The first revocation is the one in force; a later one for the same channel changes nothing.
    this.upsertRevocation = db.prepare(`
      INSERT INTO channel_revocations (person_id, channel, revoked_at, interaction_id)
      VALUES (@personId, @channel, @revokedAt, @interactionId)
      ON CONFLICT (person_id, channel) DO NOTHING`);
  }

  add(interaction: InteractionRecorded, clockOffsetMs: number): void {
    const { scriptId, scriptVersion, scriptPath, ...columns } = interaction;
    this.insertInteraction.run({
      ...columns,
      fields: JSON.stringify(interaction.fields),
      clockOffsetMs,
      scriptPathJson: scriptPath === undefined ? null : JSON.stringify({ scriptId, scriptVersion, path: scriptPath }),
    });
  }

  addRecord(record: LocalRecord): void {
    this.insertRecord.run({ ...record, id: randomUUID(), payload: JSON.stringify(record.payload) });
  }

  flagContactPoint(flag: { debtorId: string; contactPointId: string; reason: string; interactionId: string; flaggedAt: string }): void {
    this.upsertFlag.run(flag);
  }

  revokeChannel(revocation: { personId: string; channel: Channel; revokedAt: string; interactionId: string }): void {
    this.upsertRevocation.run(revocation);
  }

  /** Deletes interactions and everything they created; attempts and decisions go afterwards. */
  wipe(): void {
    this.db.exec('DELETE FROM local_records; DELETE FROM contact_point_flags; DELETE FROM channel_revocations; DELETE FROM interactions;');
  }
}
