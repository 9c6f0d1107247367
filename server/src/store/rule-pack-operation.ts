/**
 * The one write path of the rule pack: each publication writes its history row, the `rulepack.set`
 * feed entry and `published_content` in the caller's transaction. The resources file is the factory
 * default and publishes only until an administrator has published a pack.
 */
import { parseRulePack } from '@gestiona/core/compliance/rule-pack';
import type { RulePack } from '@gestiona/core/compliance/types';
import { AppError } from '@gestiona/core/result';
import { checkRulePackDates } from '../content/rule-pack-checks.ts';
import { assertVersionFree, entryHash, publicationInstant } from './content-publication.ts';
import type { Tables } from './tables.ts';
import type { RulePackPublication, RulePackRecord, RulePackSource } from './types.ts';
import type { WriteContext } from './write-context.ts';

export const RULE_PACK_CONTENT_KEY = 'rulepack';

/** Maximum length of a publication reason, in characters. */
export const MAX_REASON_LENGTH = 500;

/** Outcome of publishing the resources file at start. */
export type ResourcePackOutcome =
  | { status: 'published'; version: string }
  | { status: 'unchanged'; version: string }
  /** An administrator's pack is in force, so the file was not published. */
  | { status: 'skipped'; fileVersion: string; inForce: RulePackRecord; lastAdminPublication: RulePackRecord };

/**
 * Parses a rule pack and checks its calendar dates. Throws an `AppError` (`invalid-input`) whose
 * Spanish message names every bad field, and whose `fields` map each field path to its problem.
 */
export function validateRulePack(raw: unknown): RulePack {
  const pack = parseRulePack(raw);
  const problems = checkRulePackDates(pack);
  if (problems.length === 0) return pack;

  const fields: Record<string, string> = {};
  for (const problem of problems) {
    const separator = problem.indexOf(': ');
    fields[problem.slice(0, separator)] ??= problem.slice(separator + 2);
  }
  throw new AppError('invalid-input', `Paquete de reglas inválido: ${problems.join(' ')} No se publicó nada; corrija el paquete y publíquelo de nuevo.`, fields);
}

/** Trims a publication reason; an empty one becomes null. Throws `invalid-input` when it is too long. */
export function normalizeReason(reason: string | null | undefined): string | null {
  const trimmed = reason?.normalize('NFC').trim() ?? '';
  if (trimmed.length > MAX_REASON_LENGTH) {
    throw new AppError('invalid-input', `El motivo tiene ${trimmed.length} caracteres; use como máximo ${MAX_REASON_LENGTH}.`, { reason: 'demasiado largo' });
  }
  return trimmed === '' ? null : trimmed;
}

/** Publishes a validated pack for an administrator, unless it is the pack already in force. */
export async function publishAdminRulePack(
  tables: Tables,
  context: WriteContext,
  input: { pack: RulePack; reason: string | null; publishedBy: string; now: Date },
): Promise<RulePackPublication> {
  if (!(await tables.rulePacks.isActiveAdmin(input.publishedBy))) {
    throw new AppError('forbidden', 'Solo un administrador activo puede publicar el paquete de reglas.');
  }

  const entry = rulePackEntry(input.pack);
  const sha256 = entryHash(entry);
  const previous = await tables.rulePacks.current();
  if (previous !== null && previous.sha256 === sha256) return { published: false, current: previous, previous };

  await assertRulePackVersionFree(tables, input.pack.version, sha256);
  const current = await writePublication(tables, context, { pack: input.pack, sha256, source: 'admin', publishedBy: input.publishedBy, reason: input.reason, now: input.now, previous });
  return { published: true, current, previous };
}

/** Publishes the resources file's pack while no administrator has published one and its content changed. */
export async function publishResourceRulePack(tables: Tables, context: WriteContext, raw: unknown, now: Date): Promise<ResourcePackOutcome> {
  const pack = validateRulePack(raw);
  const lastAdminPublication = await tables.rulePacks.latestAdminPublication();
  if (lastAdminPublication !== null) {
    const inForce = (await tables.rulePacks.current()) ?? lastAdminPublication;
    return { status: 'skipped', fileVersion: pack.version, inForce, lastAdminPublication };
  }

  const entry = rulePackEntry(pack);
  const sha256 = entryHash(entry);
  if ((await tables.content.publishedHash(RULE_PACK_CONTENT_KEY)) === sha256) return { status: 'unchanged', version: pack.version };

  await assertRulePackVersionFree(tables, pack.version, sha256);
  const previous = await tables.rulePacks.current();
  await writePublication(tables, context, { pack, sha256, source: 'resources', publishedBy: null, reason: null, now, previous });
  return { status: 'published', version: pack.version };
}

function rulePackEntry(pack: RulePack): { type: 'rulepack.set'; payload: RulePack } {
  return { type: 'rulepack.set', payload: pack };
}

/** Rejects a version that was published before with other content. */
async function assertRulePackVersionFree(tables: Tables, version: string, sha256: string): Promise<void> {
  assertVersionFree(
    await tables.rulePacks.hashesOfVersion(version),
    sha256,
    (publishedOn) =>
      `La versión "${version}" del paquete de reglas ya se publicó el ${publishedOn} con otro contenido. ` +
      'Las decisiones de las estaciones solo nombran la versión, así que cada contenido necesita la suya: publique el paquete con una versión nueva.',
  );
}

async function writePublication(
  tables: Tables,
  context: WriteContext,
  publication: { pack: RulePack; sha256: string; source: RulePackSource; publishedBy: string | null; reason: string | null; now: Date; previous: RulePackRecord | null },
): Promise<RulePackRecord> {
  const { pack, previous } = publication;
  const publishedAt = publicationInstant(publication.now, previous);

  const seq = await tables.changes.append(context, null, rulePackEntry(pack), publishedAt);
  await tables.content.record(RULE_PACK_CONTENT_KEY, publication.sha256, pack.version, seq, publishedAt);
  await tables.rulePacks.insert({
    version: pack.version,
    packJson: JSON.stringify(pack),
    sha256: publication.sha256,
    source: publication.source,
    publishedBy: publication.publishedBy,
    publishedAt,
    reason: publication.reason,
    changeSeq: seq,
  });
  return (await tables.rulePacks.current())!;
}
