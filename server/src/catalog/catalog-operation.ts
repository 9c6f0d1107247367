/**
 * The one write path of the typification catalog: each publication is validated, then writes its
 * history row, the `catalog.set` feed entry and `published_content` in the caller's transaction.
 * The resources file is the factory default and publishes only until an administrator has
 * published a catalog. A code ever published is never deleted (only retired), and its compliance
 * class never changes in place.
 */
import { catalogSchema, type Catalog } from '@gestiona/core/catalog';
import { catalogIssueMessage, checkCatalogSuccession } from '@gestiona/core/catalog-rules';
import { checkTypificationForm } from '@gestiona/core/compliance/typification-form';
import { AppError } from '@gestiona/core/result';
import { assertVersionFree, entryHash, publicationInstant } from '../store/content-publication.ts';
import type { Tables } from '../store/tables.ts';
import type { WriteContext } from '../store/write-context.ts';
import type { CatalogPublication, CatalogSource, CatalogVersionRecord } from './types.ts';

export const CATALOG_CONTENT_KEY = 'catalog';

export type ResourceCatalogOutcome =
  | { status: 'published'; version: string }
  | { status: 'unchanged'; version: string }
  /** An administrator's catalog is in force, so the file was not published. */
  | { status: 'skipped'; fileVersion: string };

/**
 * Parses a catalog for publication: the schema, explicit groups, and R11 (no question about why the
 * person did not pay). Throws `invalid-input` whose message names every problem and whose `fields`
 * map each path (`codes.3.shortcut`) to its Spanish problem.
 */
export function validateCatalog(raw: unknown): Catalog {
  const fields: Record<string, string> = {};
  const add = (path: string, message: string): void => {
    fields[path] = fields[path] === undefined ? message : `${fields[path]} ${message}`;
  };

  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(issue.path.map(String).join('.') || '(catálogo)', catalogIssueMessage(raw, issue));
  } else {
    if (parsed.data.groups === undefined) add('groups', 'grupos: falta la lista de grupos (id, nombre y orden) del catálogo.');
    for (const problem of checkTypificationForm(parsed.data)) {
      const index = parsed.data.codes.findIndex((code) => code.code === problem.code);
      add(`codes.${index}${problem.field === null ? '.label' : ''}`, problem.message);
    }
  }
  if (Object.keys(fields).length === 0 && parsed.success) return parsed.data;
  throw new AppError('invalid-input', `Catálogo inválido: ${Object.values(fields).join(' ')} No se publicó nada; corrija el catálogo y publíquelo de nuevo.`, fields);
}

/** Rejects a catalog that deletes a code or changes a code's class, against the catalog in force. */
export function assertSuccession(previous: Catalog | null, next: Catalog): void {
  if (previous === null) return;
  const problems = checkCatalogSuccession(previous, next);
  if (problems.length === 0) return;
  const fields: Record<string, string> = {};
  for (const problem of problems) fields[problem.path] = fields[problem.path] === undefined ? problem.message : `${fields[problem.path]} ${problem.message}`;
  throw new AppError('invalid-input', `No se publicó el catálogo ${next.version}: ${problems.map((problem) => problem.message).join(' ')}`, fields);
}

/** Publishes a validated catalog for an administrator, unless it is the catalog already in force. */
export async function publishAdminCatalog(
  tables: Tables,
  context: WriteContext,
  input: { catalog: Catalog; reason: string | null; publishedBy: string; now: Date },
): Promise<CatalogPublication> {
  if (!(await tables.rulePacks.isActiveAdmin(input.publishedBy))) {
    throw new AppError('forbidden', 'Solo un administrador activo puede publicar el catálogo de tipificación.');
  }
  const sha256 = entryHash(catalogEntry(input.catalog));
  const previous = await tables.catalogVersions.current();
  if (previous !== null && previous.sha256 === sha256) return { published: false, current: previous, previous };

  assertSuccession(previous?.catalog ?? null, input.catalog);
  await assertCatalogVersionFree(tables, input.catalog.version, sha256);
  const current = await writePublication(tables, context, { catalog: input.catalog, sha256, source: 'admin', publishedBy: input.publishedBy, reason: input.reason, now: input.now, previous });
  return { published: true, current, previous };
}

/** Publishes the resources file's catalog while no administrator has published one and its content changed. */
export async function publishResourceCatalog(tables: Tables, context: WriteContext, raw: unknown, now: Date): Promise<ResourceCatalogOutcome> {
  const catalog = validateCatalog(raw);
  if (await tables.catalogVersions.hasAdminPublication()) return { status: 'skipped', fileVersion: catalog.version };

  const sha256 = entryHash(catalogEntry(catalog));
  if ((await tables.content.publishedHash(CATALOG_CONTENT_KEY)) === sha256) return { status: 'unchanged', version: catalog.version };

  const previous = await tables.catalogVersions.current();
  assertSuccession(previous?.catalog ?? null, catalog);
  await assertCatalogVersionFree(tables, catalog.version, sha256);
  await writePublication(tables, context, { catalog, sha256, source: 'resources', publishedBy: null, reason: null, now, previous });
  return { status: 'published', version: catalog.version };
}

function catalogEntry(catalog: Catalog): { type: 'catalog.set'; payload: Catalog } {
  return { type: 'catalog.set', payload: catalog };
}

/** Rejects a version published before with other content: interactions name only the catalog version. */
async function assertCatalogVersionFree(tables: Tables, version: string, sha256: string): Promise<void> {
  assertVersionFree(
    await tables.catalogVersions.hashesOfVersion(version),
    sha256,
    (publishedOn) =>
      `La versión "${version}" del catálogo ya se publicó el ${publishedOn} con otro contenido. ` +
      'Las gestiones guardadas solo nombran la versión, así que cada contenido necesita la suya: publique el catálogo con una versión nueva.',
  );
}

async function writePublication(
  tables: Tables,
  context: WriteContext,
  publication: { catalog: Catalog; sha256: string; source: CatalogSource; publishedBy: string | null; reason: string | null; now: Date; previous: CatalogVersionRecord | null },
): Promise<CatalogVersionRecord> {
  const { catalog, previous } = publication;
  const publishedAt = publicationInstant(publication.now, previous);

  const seq = await tables.changes.append(context, null, catalogEntry(catalog), publishedAt);
  await tables.content.record(CATALOG_CONTENT_KEY, publication.sha256, catalog.version, seq, publishedAt);
  await tables.catalogVersions.insert({
    version: catalog.version,
    catalogJson: JSON.stringify(catalog),
    sha256: publication.sha256,
    source: publication.source,
    publishedBy: publication.publishedBy,
    publishedAt,
    reason: publication.reason,
    changeSeq: seq,
  });
  return (await tables.catalogVersions.current())!;
}

