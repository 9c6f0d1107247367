/**
 * The one write path of call scripts: each publication is validated (schema and `checkScript`), then
 * writes its history row, the `script.set` feed entry and `published_content` in the caller's
 * transaction, so nothing half-saved reaches the workstations. The resources files are factory
 * defaults: a script publishes from them only until an administrator has published that script.
 */
import { AppError } from '@gestiona/core/result';
import { checkScript, scriptSchema, type Script, type ScriptProblem } from '@gestiona/core/script';
import { assertVersionFree, entryHash, publicationInstant } from '../store/content-publication.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import type { ScriptVersionsTable } from './script-versions.ts';
import type { ScriptPublication, ScriptSource, ScriptVersionRecord } from './types.ts';

export const SCRIPT_CONTENT_PREFIX = 'script:';

export type ResourceScriptOutcome = { status: 'published' | 'unchanged'; version: string } | { status: 'skipped'; fileVersion: string; inForce: ScriptVersionRecord | null };

/** A script that failed validation: the Spanish message, one entry per problem and the field map. */
export class ScriptRejected extends AppError {
  constructor(
    message: string,
    readonly problems: readonly ScriptProblem[],
    fields: Record<string, string>,
  ) {
    super('invalid-input', message, fields);
    this.name = 'ScriptRejected';
  }
}

/**
 * Parses and checks a script. Throws `ScriptRejected` whose message names every problem, each
 * with its step (or field path for a schema problem) and the offending text.
 */
export function validateScript(raw: unknown): Script {
  const parsed = scriptSchema.safeParse(raw);
  let problems: ScriptProblem[];
  if (!parsed.success) {
    problems = parsed.error.issues.map((issue) => ({ stepId: fieldPathOf(raw, issue.path), message: `${issue.path.map(String).join('.') || '(guion)'}: ${issue.message}` }));
  } else {
    problems = checkScript(parsed.data);
    if (problems.length === 0) return parsed.data;
  }
  const fields: Record<string, string> = {};
  for (const problem of problems) fields[problem.stepId] = fields[problem.stepId] === undefined ? problem.message : `${fields[problem.stepId]} ${problem.message}`;
  throw new ScriptRejected(`Guion inválido: ${problems.map((problem) => problem.message).join(' ')} No se publicó nada; corrija el guion y publíquelo de nuevo.`, problems, fields);
}

/** Names a schema problem by the step it is in (`steps.2.text` → the step's id), or by the field. */
function fieldPathOf(raw: unknown, path: readonly PropertyKey[]): string {
  if (path[0] === 'steps' && typeof path[1] === 'number' && typeof raw === 'object' && raw !== null) {
    const steps = (raw as { steps?: unknown }).steps;
    const step = Array.isArray(steps) ? (steps[path[1]] as { id?: unknown } | undefined) : undefined;
    if (typeof step?.id === 'string') return step.id;
  }
  return path.map(String).join('.') || '(guion)';
}

function scriptEntry(script: Script): { type: 'script.set'; payload: Script } {
  return { type: 'script.set', payload: script };
}

/** Publishes a validated script for an administrator, unless that content is already in force. */
export async function publishAdminScript(
  tables: Tables,
  versions: ScriptVersionsTable,
  context: WriteContext,
  input: { script: Script; reason: string | null; publishedBy: string; now: Date },
): Promise<ScriptPublication> {
  if (!(await tables.rulePacks.isActiveAdmin(input.publishedBy))) {
    throw new AppError('forbidden', 'Solo un administrador activo puede publicar guiones.');
  }
  const sha256 = entryHash(scriptEntry(input.script));
  const previous = await versions.current(input.script.id);
  if (previous !== null && previous.sha256 === sha256) return { published: false, current: previous, previous };

  await assertScriptVersionFree(versions, input.script, sha256);
  const current = await writePublication(tables, versions, context, { script: input.script, sha256, source: 'admin', publishedBy: input.publishedBy, reason: input.reason, now: input.now, previous });
  return { published: true, current, previous };
}

/** Publishes a resources file's script while no administrator has published that script and its content changed. */
export async function publishResourceScript(tables: Tables, versions: ScriptVersionsTable, context: WriteContext, raw: unknown, now: Date): Promise<ResourceScriptOutcome> {
  const script = validateScript(raw);
  if (await versions.hasAdminPublication(script.id)) {
    return { status: 'skipped', fileVersion: script.version, inForce: await versions.current(script.id) };
  }
  const sha256 = entryHash(scriptEntry(script));
  if ((await tables.content.publishedHash(`${SCRIPT_CONTENT_PREFIX}${script.id}`)) === sha256) return { status: 'unchanged', version: script.version };

  await assertScriptVersionFree(versions, script, sha256);
  const previous = await versions.current(script.id);
  await writePublication(tables, versions, context, { script, sha256, source: 'resources', publishedBy: null, reason: null, now, previous });
  return { status: 'published', version: script.version };
}

/** Rejects a version published before with other content: the interactions name the version they followed. */
async function assertScriptVersionFree(versions: ScriptVersionsTable, script: Script, sha256: string): Promise<void> {
  assertVersionFree(
    await versions.hashesOfVersion(script.id, script.version),
    sha256,
    (publishedOn) =>
      `La versión "${script.version}" del guion "${script.id}" ya se publicó el ${publishedOn} con otro contenido. ` +
      'Cada gestión guarda la versión del guion que siguió, así que cada contenido necesita la suya: publique el guion con una versión nueva.',
  );
}

async function writePublication(
  tables: Tables,
  versions: ScriptVersionsTable,
  context: WriteContext,
  publication: { script: Script; sha256: string; source: ScriptSource; publishedBy: string | null; reason: string | null; now: Date; previous: ScriptVersionRecord | null },
): Promise<ScriptVersionRecord> {
  const { script, previous } = publication;
  const publishedAt = publicationInstant(publication.now, previous);

  const seq = await tables.changes.append(context, null, scriptEntry(script), publishedAt);
  await tables.content.record(`${SCRIPT_CONTENT_PREFIX}${script.id}`, publication.sha256, script.version, seq, publishedAt);
  await versions.insert({
    scriptId: script.id,
    version: script.version,
    scriptJson: JSON.stringify(script),
    sha256: publication.sha256,
    source: publication.source,
    publishedBy: publication.publishedBy,
    publishedAt,
    reason: publication.reason,
    changeSeq: seq,
  });
  return (await versions.current(script.id))!;
}
