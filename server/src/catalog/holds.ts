/**
 * Collection holds on the server. When an interaction whose code has the `pause-collection`
 * (dispute) or `stop-strategy` (deceased) effect is stored, the hold is recorded in the same
 * transaction and sent to the debtor's lease holder through the feed (`hold.set`). A team lead or
 * an administrator lifts it; the holder then gets `hold.set` with the holds still in force.
 * Strategies read `loadCollectionHolds` to stop working a held debtor.
 */
import type { Catalog } from '@gestiona/core/catalog';
import { holdKindOf, type CollectionHold, type HoldKind } from '@gestiona/core/catalog-holds';
import { formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import type { InteractionRecorded } from '@gestiona/core/sync';
import type { SqlConnection } from '../store/sql.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import type { CollectionHoldRecord, HoldLiftInput } from './types.ts';

/** Maximum length of the reason for lifting a hold, in characters. */
export const MAX_LIFT_REASON_LENGTH = 500;

export interface ActiveHold {
  kind: HoldKind;
  since: string;
  code: string;
}

interface HoldRow {
  id: number;
  debtor_id: string;
  full_name: string | null;
  kind: HoldKind;
  code: string;
  since: string;
  interaction_id: string;
  agent_id: string;
  recorded_at: string;
  lifted_at: string | null;
  lifted_by: string | null;
  lift_reason: string | null;
}

/** Maximum number of debtor ids per query. Longer lists are read in chunks. */
const CHUNK = 500;

/**
 * Returns the hold in force for each debtor that has one: a stopped strategy outranks a dispute,
 * and between two of the same kind the older one. Debtors without a hold are absent from the map.
 */
export async function loadCollectionHolds(sql: SqlConnection, debtorIds: readonly string[]): Promise<Map<string, ActiveHold>> {
  const holds = new Map<string, ActiveHold>();
  for (let start = 0; start < debtorIds.length; start += CHUNK) {
    const chunk = debtorIds.slice(start, start + CHUNK);
    const rows = await sql.all<{ debtor_id: string; kind: HoldKind; since: string; code: string }>(
      `SELECT debtor_id, kind, since, code FROM collection_holds
       WHERE lifted_at IS NULL AND debtor_id IN (${chunk.map(() => '?').join(', ')})
       ORDER BY debtor_id, CASE kind WHEN 'stopped' THEN 0 ELSE 1 END, since`,
      chunk,
    );
    for (const row of rows) {
      if (!holds.has(row.debtor_id)) holds.set(row.debtor_id, { kind: row.kind, since: row.since, code: row.code });
    }
  }
  return holds;
}

function toRecord(row: HoldRow): CollectionHoldRecord {
  return {
    id: Number(row.id),
    debtorId: row.debtor_id,
    debtorName: row.full_name,
    kind: row.kind,
    code: row.code,
    since: row.since,
    interactionId: row.interaction_id,
    agentId: row.agent_id,
    recordedAt: row.recorded_at,
    liftedAt: row.lifted_at,
    liftedBy: row.lifted_by,
    liftReason: row.lift_reason,
  };
}

const SELECT_HOLD = 'SELECT collection_holds.*, debtors.full_name FROM collection_holds LEFT JOIN debtors ON debtors.id = collection_holds.debtor_id';

export class CollectionHoldsTable {
  constructor(private readonly sql: SqlConnection) {}

  /** Records a hold unless one of the same kind is already in force for the debtor; returns whether it was new. */
  async insert(hold: { debtorId: string; kind: HoldKind; code: string; since: string; interactionId: string; agentId: string; recordedAt: Date }): Promise<boolean> {
    const changed = await this.sql.run(
      `INSERT INTO collection_holds (debtor_id, kind, code, since, interaction_id, agent_id, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (debtor_id, kind) WHERE lifted_at IS NULL DO NOTHING`,
      [hold.debtorId, hold.kind, hold.code, new Date(hold.since).toISOString(), hold.interactionId, hold.agentId, hold.recordedAt.toISOString()],
    );
    return changed > 0;
  }

  /** Holds in force, oldest first; with `debtorId`, that debtor's whole history (lifted included). */
  async list(query: { debtorId?: string } = {}): Promise<CollectionHoldRecord[]> {
    const rows =
      query.debtorId === undefined
        ? await this.sql.all<HoldRow>(`${SELECT_HOLD} WHERE collection_holds.lifted_at IS NULL ORDER BY collection_holds.since, collection_holds.id`)
        : await this.sql.all<HoldRow>(`${SELECT_HOLD} WHERE collection_holds.debtor_id = ? ORDER BY collection_holds.id`, [query.debtorId]);
    return rows.map(toRecord);
  }

  /** The holds in force for one debtor, as the feed carries them. */
  async activeOf(debtorId: string): Promise<CollectionHold[]> {
    const rows = await this.sql.all<{ kind: HoldKind; since: string; code: string }>(
      "SELECT kind, since, code FROM collection_holds WHERE debtor_id = ? AND lifted_at IS NULL ORDER BY CASE kind WHEN 'stopped' THEN 0 ELSE 1 END",
      [debtorId],
    );
    return rows.map((row) => ({ kind: row.kind, since: row.since, code: row.code }));
  }

  async everHeld(debtorId: string): Promise<boolean> {
    return (await this.sql.get<{ id: number }>('SELECT id FROM collection_holds WHERE debtor_id = ? LIMIT 1', [debtorId])) !== undefined;
  }

  /** Returns the last feed seq of a catalog or hold entry, or 0. */
  async feedHead(): Promise<number> {
    const row = await this.sql.get<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM changes WHERE type IN ('catalog.set', 'hold.set')");
    return Number(row?.seq ?? 0);
  }

  /** Returns the role of an active user, or null for an unknown or disabled one. */
  async activeRoleOf(userId: string): Promise<string | null> {
    const row = await this.sql.get<{ role: string; active: number }>('SELECT role, active FROM users WHERE id = ?', [userId]);
    return row !== undefined && Number(row.active) === 1 ? row.role : null;
  }

  /** Lifts the debtor's holds in force, or only the one of `kind`; returns how many were lifted. */
  async lift(debtorId: string, liftedBy: string, reason: string, at: Date, kind?: HoldKind): Promise<number> {
    const onlyKind = kind === undefined ? '' : ' AND kind = ?';
    return this.sql.run(`UPDATE collection_holds SET lifted_at = ?, lifted_by = ?, lift_reason = ? WHERE debtor_id = ? AND lifted_at IS NULL${onlyKind}`, [
      at.toISOString(),
      liftedBy,
      reason,
      debtorId,
      ...(kind === undefined ? [] : [kind]),
    ]);
  }
}

/**
 * Ingest hook: records the holds the interaction's code starts and sends them to the debtor's lease
 * holder. `catalog` is the catalog in force, which keeps every code ever published.
 */
export async function recordHoldsOfInteraction(
  tables: Tables,
  context: WriteContext,
  input: { interaction: InteractionRecorded; agentId: string; catalog: Catalog | null; holder: { agentId: string; expiresAt: string } | null; receivedAt: Date },
): Promise<HoldKind[]> {
  const code = input.catalog?.codes.find((entry) => entry.code === input.interaction.code);
  if (code === undefined) return [];
  const kinds = code.effects.map(holdKindOf).filter((kind): kind is HoldKind => kind !== null);
  const recorded: HoldKind[] = [];
  for (const kind of kinds) {
    const added = await tables.holds.insert({
      debtorId: input.interaction.debtorId,
      kind,
      code: code.code,
      since: input.interaction.typifiedAt,
      interactionId: input.interaction.interactionId,
      agentId: input.agentId,
      recordedAt: input.receivedAt,
    });
    if (added) recorded.push(kind);
  }
  const { holder } = input;
  if (recorded.length > 0 && holder !== null && holder.expiresAt > input.receivedAt.toISOString()) {
    await sendHolds(tables, context, input.interaction.debtorId, holder.agentId, input.receivedAt);
  }
  return recorded;
}

/** Sends the debtor's holds in force to an agent's feed. */
export async function sendHolds(tables: Tables, context: WriteContext, debtorId: string, agentId: string, now: Date): Promise<void> {
  const holds = await tables.holds.activeOf(debtorId);
  await tables.changes.append(context, agentId, { type: 'hold.set', payload: { debtorId, holds } }, now);
}

/**
 * Lease hook: a debtor handed to an agent carries its holds in force. A debtor that ever had a hold
 * gets the list even when it is empty, so a desk that kept a lifted hold from an earlier lease drops it.
 */
export async function sendHoldsOnLease(tables: Tables, context: WriteContext, debtorId: string, agentId: string, now: Date): Promise<void> {
  if (await tables.holds.everHeld(debtorId)) await sendHolds(tables, context, debtorId, agentId, now);
}

/**
 * Lifts the holds in force of a debtor (every one, or only the one of `input.kind`) for a team lead
 * or an administrator, and sends the remaining holds to the lease holder. Throws `not-found` when
 * the debtor has none of that kind, `forbidden` for an agent.
 */
export async function liftHolds(tables: Tables, context: WriteContext, input: HoldLiftInput): Promise<CollectionHoldRecord[]> {
  const role = await tables.holds.activeRoleOf(input.liftedBy);
  if (role !== 'admin' && role !== 'team-lead') {
    throw new AppError('forbidden', 'Solo un supervisor o un administrador activo puede levantar una pausa de cobro.');
  }
  const reason = input.reason.normalize('NFC').trim();
  if (reason === '' || reason.length > MAX_LIFT_REASON_LENGTH) {
    throw new AppError('invalid-input', `Escriba el motivo para levantar la pausa (de 1 a ${MAX_LIFT_REASON_LENGTH} caracteres).`, { reason: 'obligatorio' });
  }
  const before = (await tables.holds.list({ debtorId: input.debtorId })).filter((hold) => hold.liftedAt === null && (input.kind === undefined || hold.kind === input.kind));
  if (before.length === 0) {
    const what = input.kind === undefined ? 'ninguna pausa de cobro vigente' : `ninguna pausa vigente de tipo ${HOLD_KIND_LABELS[input.kind]}`;
    throw new AppError('not-found', `El deudor ${input.debtorId} no tiene ${what}.`);
  }

  await tables.holds.lift(input.debtorId, input.liftedBy, reason, input.now, input.kind);
  const lease = await tables.leases.openLease(input.debtorId);
  if (lease !== null && lease.expiresAt > input.now.toISOString()) await sendHolds(tables, context, input.debtorId, lease.agentId, input.now);
  return (await tables.holds.list({ debtorId: input.debtorId })).filter((hold) => before.some((old) => old.id === hold.id));
}

/** Spanish name of each hold kind, as the command line and the errors write it. */
export const HOLD_KIND_LABELS: Record<HoldKind, string> = { dispute: 'reclamación', stopped: 'titular fallecido' };

/** Formats one hold as a line for the command line, e.g. `CC-1 (María) · Cobro en pausa (reclamación) · código RC · desde 01/12/2026 08:00`. */
export function holdLine(hold: CollectionHoldRecord): string {
  const kind = hold.kind === 'stopped' ? 'Estrategia detenida (fallecido)' : 'Cobro en pausa (reclamación)';
  const lifted = hold.liftedAt === null ? '' : ` · levantada el ${formatDateTime(hold.liftedAt)} por ${hold.liftedBy ?? '?'}: ${hold.liftReason ?? ''}`;
  return `${hold.debtorId}${hold.debtorName ? ` (${hold.debtorName})` : ''} · ${kind} · código ${hold.code} · desde ${formatDateTime(hold.since)}${lifted}`;
}
