/**
 * Creates the server's promise or agreement when a typification whose code has the
 * `create-promise` or `create-agreement` effect is ingested. The code's effects come from the
 * catalog version the workstation typified with, as the feed published it.
 */
import { COLLECTION_FEE_FIELD } from '@gestiona/core/catalog';
import { bogotaDate, formatCop } from '@gestiona/core/format';
import type { InteractionRecorded, SyncEvent } from '@gestiona/core/sync';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { resegmentDebtors } from '../strategy/resegment.ts';
import type { SqlConnection } from '../store/sql.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import { calendarDate, reconcileDebtors } from './reconcile.ts';

type InteractionEvent = Extract<SyncEvent, { type: 'interaction.recorded' }>;

/** How many older catalog publications are searched for the event's version. */
const CATALOG_LOOKBACK = 50;

/**
 * The part of a published catalog that decides promises. It is read leniently, without the
 * catalog's own structure checks, so that a catalog published under older rules still counts.
 */
const promiseCatalogSchema = z.object({
  version: z.string(),
  codes: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      effects: z.array(z.string()),
      fields: z.array(z.object({ name: z.string(), type: z.string() })),
    }),
  ),
});
type PromiseCatalog = z.infer<typeof promiseCatalogSchema>;
export type PromiseCatalogCode = PromiseCatalog['codes'][number];

/**
 * Stores the promise the interaction made, if its code makes one, and reconciles the debtor's
 * payments with it. The caller runs this only for an interaction stored for the first time, so a
 * duplicate event creates nothing. The promise id is the interaction id, which guards it too.
 */
export async function recordPromiseOfInteraction(tables: Tables, context: WriteContext, event: InteractionEvent, receivedAt: Date, logger?: Logger): Promise<boolean> {
  const interaction = event.payload;
  if (!mayCarryPromise(interaction)) return false;

  const code = await catalogCode(tables.promises.sql, interaction.catalogVersion, interaction.code);
  if (code === null) {
    logger?.warn({ eventId: event.id, code: interaction.code, catalogVersion: interaction.catalogVersion }, 'record promise: catalog code not found');
    return false;
  }
  const terms = promiseTerms(code, interaction);
  if (terms === null) return false;

  const obligationIds = await debtorObligations(tables.promises.sql, interaction.debtorId);
  if (obligationIds.length === 0) return false;

  const madeOn = bogotaDate(interaction.typifiedAt);
  const inserted = await tables.promises.insert({
    id: interaction.interactionId,
    kind: terms.kind,
    debtorId: interaction.debtorId,
    interactionId: interaction.interactionId,
    agentId: event.agentId,
    code: interaction.code,
    obligationIds,
    collectionFeeCents: terms.collectionFeeCents,
    madeAt: new Date(interaction.typifiedAt).toISOString(),
    madeOn,
    instalments: terms.instalments,
    reason: creationReason(code, terms.instalments),
    now: receivedAt,
    today: bogotaDate(receivedAt.toISOString()),
  });
  if (!inserted) return false;

  // A payment imported before the event arrived may already count toward the promise.
  const reconciled = await reconcileDebtors(tables, context, [interaction.debtorId], { now: receivedAt, cause: 'typified', logger });
  // The debtor's promise status went from its previous value to pending, which segment rules may test.
  if (!reconciled.debtorsChanged.includes(interaction.debtorId)) {
    await resegmentDebtors(tables.promises.sql, tables, context, [interaction.debtorId], receivedAt);
  }
  const lease = await tables.leases.openLease(interaction.debtorId);
  if (lease && lease.expiresAt > receivedAt.toISOString()) {
    const snapshot = await tables.promises.snapshot(interaction.interactionId);
    if (snapshot) await tables.changes.append(context, lease.agentId, { type: 'promise.upsert', payload: snapshot }, receivedAt);
  }
  logger?.info({ eventId: event.id, debtorId: interaction.debtorId, promiseId: interaction.interactionId, kind: terms.kind }, 'record promise: created');
  return true;
}

/** Cheap check before the catalog lookup: a promise needs an amount or an instalment plan among the fields. */
function mayCarryPromise(interaction: InteractionRecorded): boolean {
  return Object.values(interaction.fields).some((value) => typeof value === 'number' || Array.isArray(value));
}

export interface PromiseFields {
  kind: 'promise' | 'agreement';
  instalments: Array<{ dueOn: string; amountCents: number }>;
  collectionFeeCents: number | null;
}

/** Reads the promise or agreement out of the typified fields, or null when the code makes none or a value is missing. */
export function promiseTerms(code: PromiseCatalogCode, interaction: Pick<InteractionRecorded, 'fields'>): PromiseFields | null {
  const fieldOf = (type: string, exclude?: string) =>
    code.fields.find((field) => field.type === type && field.name !== exclude)?.name;
  const fee = interaction.fields[COLLECTION_FEE_FIELD];
  const collectionFeeCents = typeof fee === 'number' ? fee : null;

  if (code.effects.includes('create-agreement')) {
    const name = fieldOf('instalments');
    const plan = name === undefined ? undefined : interaction.fields[name];
    if (!Array.isArray(plan) || plan.length === 0) return null;
    return { kind: 'agreement', instalments: plan.map((entry) => ({ dueOn: entry.dueDate, amountCents: entry.amountCents })), collectionFeeCents };
  }
  if (code.effects.includes('create-promise')) {
    const amountName = fieldOf('amount', COLLECTION_FEE_FIELD);
    const dateName = fieldOf('date');
    const amount = amountName === undefined ? undefined : interaction.fields[amountName];
    const dueOn = dateName === undefined ? undefined : interaction.fields[dateName];
    if (typeof amount !== 'number' || amount <= 0 || typeof dueOn !== 'string') return null;
    return { kind: 'promise', instalments: [{ dueOn, amountCents: amount }], collectionFeeCents };
  }
  return null;
}

function creationReason(code: PromiseCatalogCode, instalments: ReadonlyArray<{ dueOn: string; amountCents: number }>): string {
  const total = instalments.reduce((sum, instalment) => sum + instalment.amountCents, 0);
  if (instalments.length === 1) return `${code.label} (${code.code}) registrada: ${formatCop(total)} para el ${calendarDate(instalments[0]!.dueOn)}.`;
  return `${code.label} (${code.code}) registrado: ${instalments.length} cuotas por ${formatCop(total)}, la primera el ${calendarDate(instalments[0]!.dueOn)}.`;
}

async function debtorObligations(sql: SqlConnection, debtorId: string): Promise<string[]> {
  const rows = await sql.all<{ id: string }>('SELECT id FROM obligations WHERE debtor_id = ? ORDER BY id', [debtorId]);
  return rows.map((row) => row.id);
}

/**
 * Returns the code as the catalog of `version` defines it. The current publication is read first;
 * an older version is searched among the last publications of the feed.
 */
async function catalogCode(sql: SqlConnection, version: string, code: string): Promise<PromiseCatalogCode | null> {
  const current = await sql.get<{ payload: string }>(
    "SELECT changes.payload FROM published_content JOIN changes ON changes.seq = published_content.change_seq WHERE published_content.key = 'catalog' AND published_content.version = ?",
    [version],
  );
  const catalog = current ? parseCatalog(current.payload) : await olderCatalog(sql, version);
  return catalog?.codes.find((entry) => entry.code === code) ?? null;
}

// NOTE: `changes` has no index on `type`, so this walks the feed backwards from its newest entry.
// It runs only for a typification made under a catalog older than the one in force.
async function olderCatalog(sql: SqlConnection, version: string): Promise<PromiseCatalog | null> {
  const rows = await sql.all<{ payload: string }>("SELECT payload FROM changes WHERE type = 'catalog.set' AND agent_id IS NULL ORDER BY seq DESC LIMIT ?", [CATALOG_LOOKBACK]);
  for (const row of rows) {
    const catalog = parseCatalog(row.payload);
    if (catalog?.version === version) return catalog;
  }
  return null;
}

function parseCatalog(payload: string): PromiseCatalog | null {
  const parsed = promiseCatalogSchema.safeParse(JSON.parse(payload));
  return parsed.success ? parsed.data : null;
}
