/**
 * The one write path of strategies. A publication validates the set, re-segments every debtor,
 * writes the history row, the `strategy.set` feed entry and `published_content`, and sends fresh
 * snapshots of the changed leased debtors. All of it runs in the caller's transaction, so nothing
 * half-saved reaches a workstation. The resources file is the factory default and publishes only until an
 * administrator has published a set.
 */
import { AppError } from '@gestiona/core/result';
import { SCRIPT_CONTENT_PREFIX } from '../scripts/script-operation.ts';
import { parseStrategySet, type StrategySet } from '@gestiona/core/strategy/schema';
import { assertVersionFree, entryHash, publicationInstant } from '../store/content-publication.ts';
import { normalizeReason } from '../store/rule-pack-operation.ts';
import type { SqlConnection } from '../store/sql.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import { loadStrategyFacts } from './debtor-facts.ts';
import { applyPlans, planDebtors, summarizePlans } from './resegment.ts';
import { StrategyVersionsTable } from './strategy-versions.ts';
import type { StrategyPreview, StrategyPublication, StrategyRecord, StrategySource } from './types.ts';

export const STRATEGY_CONTENT_KEY = 'strategy';

export { normalizeReason };

/** Validates a set; throws `invalid-input` naming each segment and field. */
export function validateStrategySet(raw: unknown): StrategySet {
  return parseStrategySet(raw);
}

function strategyEntry(set: StrategySet): { type: 'strategy.set'; payload: StrategySet } {
  return { type: 'strategy.set', payload: set };
}

/** Counts the debtors each segment would gain and lose under `set`, without writing anything. */
export async function previewStrategy(sql: SqlConnection, set: StrategySet, now: Date): Promise<StrategyPreview> {
  const plans = planDebtors(set, await loadStrategyFacts(sql, 'all', now), now);
  return summarizePlans(set.version, plans);
}

async function isActiveAdmin(sql: SqlConnection, userId: string): Promise<boolean> {
  const row = await sql.get<{ role: string; active: number }>('SELECT role, active FROM users WHERE id = ?', [userId]);
  return row !== undefined && row.role === 'admin' && Number(row.active) === 1;
}

/** Rejects a version published before with other content: debtors and results name only the version. */
async function assertStrategyVersionFree(sql: SqlConnection, version: string, sha256: string): Promise<void> {
  assertVersionFree(
    await new StrategyVersionsTable(sql).hashesOfVersion(version),
    sha256,
    (publishedOn) =>
      `La versión "${version}" de la estrategia ya se publicó el ${publishedOn} con otro contenido. ` +
      'Los deudores y los resultados solo nombran la versión, así que cada contenido necesita la suya: publique la estrategia con una versión nueva.',
  );
}

async function writePublication(
  sql: SqlConnection,
  tables: Tables,
  context: WriteContext,
  input: { set: StrategySet; sha256: string; source: StrategySource; publishedBy: string | null; reason: string | null; now: Date; previous: StrategyRecord | null },
): Promise<{ current: StrategyRecord; preview: StrategyPreview }> {
  const history = new StrategyVersionsTable(sql);
  const publishedAt = publicationInstant(input.now, input.previous);

  // The set goes first in the feed, so a workstation has the strategy of the snapshots that follow.
  const seq = await tables.changes.append(context, null, strategyEntry(input.set), publishedAt);
  const plans = planDebtors(input.set, await loadStrategyFacts(sql, 'all', publishedAt), publishedAt);
  await applyPlans(sql, tables, context, plans, publishedAt, { emit: true, allDebtors: true, version: input.set.version });
  const preview = summarizePlans(input.set.version, plans);

  await tables.content.record(STRATEGY_CONTENT_KEY, input.sha256, input.set.version, seq, publishedAt);
  await history.insert({
    version: input.set.version,
    strategyJson: JSON.stringify(input.set),
    sha256: input.sha256,
    source: input.source,
    publishedBy: input.publishedBy,
    publishedAt,
    reason: input.reason,
    changeSeq: seq,
    debtors: preview.debtors,
    moved: preview.moved,
  });
  return { current: (await history.current())!, preview };
}

/** Publishes a validated set for an administrator, unless it is the set already in force. */
export async function publishAdminStrategy(
  sql: SqlConnection,
  tables: Tables,
  context: WriteContext,
  input: { set: StrategySet; reason: string | null; publishedBy: string; now: Date },
): Promise<StrategyPublication> {
  if (!(await isActiveAdmin(sql, input.publishedBy))) throw new AppError('forbidden', 'Solo un administrador activo puede publicar la estrategia.');
  const sha256 = entryHash(strategyEntry(input.set));
  const previous = await new StrategyVersionsTable(sql).current();
  if (previous !== null && previous.sha256 === sha256) return { published: false, current: previous, previous, preview: null };

  await assertStrategyVersionFree(sql, input.set.version, sha256);
  await assertScriptsPublished(sql, input.set);
  const { current, preview } = await writePublication(sql, tables, context, { ...input, sha256, source: 'admin', previous });
  return { published: true, current, previous, preview };
}

/**
 * Refuses a set that names a script the workstations never received: its debtors would open with
 * the stand-in script, which has nothing past the identity check.
 */
async function assertScriptsPublished(sql: SqlConnection, set: StrategySet): Promise<void> {
  const rows = await sql.all<{ key: string }>('SELECT key FROM published_content WHERE key LIKE ?', [`${SCRIPT_CONTENT_PREFIX}%`]);
  const published = new Set(rows.map((row) => row.key.slice(SCRIPT_CONTENT_PREFIX.length)));
  const fields: Record<string, string> = {};
  const problems: string[] = [];
  set.segments.forEach((segment, index) => {
    const uses = [
      { path: `segments[${index}].strategy.scriptId`, scriptId: segment.strategy.scriptId },
      ...(segment.strategy.treatments ?? []).map((treatment, position) => ({ path: `segments[${index}].strategy.treatments[${position}].scriptId`, scriptId: treatment.scriptId })),
    ];
    for (const { path, scriptId } of uses) {
      if (scriptId === undefined || published.has(scriptId)) continue;
      fields[path] = `guion ${scriptId} no publicado`;
      problems.push(`segmento "${segment.name}": el guion ${scriptId} no está publicado`);
    }
  });
  if (problems.length === 0) return;
  throw new AppError('invalid-input', `${problems.join('; ')}. Publique primero el guion o elija uno de la lista de guiones.`, fields);
}

export type ResourceStrategyOutcome = { status: 'published' | 'unchanged' | 'skipped'; version: string };

/** Publishes the resources file's set while no administrator has published one and its content changed. */
export async function publishResourceStrategy(sql: SqlConnection, tables: Tables, context: WriteContext, raw: unknown, now: Date): Promise<ResourceStrategyOutcome> {
  const set = validateStrategySet(raw);
  const history = new StrategyVersionsTable(sql);
  if (await history.hasAdminPublication()) return { status: 'skipped', version: set.version };
  const sha256 = entryHash(strategyEntry(set));
  if ((await tables.content.publishedHash(STRATEGY_CONTENT_KEY)) === sha256) return { status: 'unchanged', version: set.version };

  await assertStrategyVersionFree(sql, set.version, sha256);
  const previous = await history.current();
  await writePublication(sql, tables, context, { set, sha256, source: 'resources', publishedBy: null, reason: null, now, previous });
  return { status: 'published', version: set.version };
}
