/**
 * Ingest hook of the catalog: an interaction must name a code of the catalog (every code ever
 * published stays in it, retired or not), and a code with a hold effect records the hold.
 */
import type { Catalog } from '@gestiona/core/catalog';
import type { InteractionRecorded } from '@gestiona/core/sync';
import type { Tables } from '../store/tables.ts';
import { CATALOG_CONTENT_KEY } from './catalog-operation.ts';

let cached: { sha256: string; catalog: Catalog | null } | null = null;

/** The catalog in force, parsed once per published version. Null before any catalog was published. */
export async function catalogInForce(tables: Tables): Promise<Catalog | null> {
  const sha256 = await tables.content.publishedHash(CATALOG_CONTENT_KEY);
  if (sha256 === null) return null;
  if (cached?.sha256 !== sha256) cached = { sha256, catalog: await tables.facts.currentCatalog() };
  return cached.catalog;
}

/**
 * Returns the Spanish rejection reason for an interaction whose code the catalog does not know, or
 * whose compliance class differs from the code's, or null when it is fine (or no catalog exists yet).
 */
export function unknownCodeReason(catalog: Catalog | null, interaction: InteractionRecorded): string | null {
  if (catalog === null) return null;
  const code = catalog.codes.find((entry) => entry.code === interaction.code);
  if (code === undefined) {
    return (
      `Código de tipificación desconocido: "${interaction.code}" no existe en el catálogo ${catalog.version} ni en ninguna versión anterior (unknown code). ` +
      'La estación debe tipificar con un código del catálogo publicado.'
    );
  }
  if (code.class !== interaction.complianceClass) {
    return `El código ${code.code} es de clase ${code.class}, pero la gestión llegó como ${interaction.complianceClass} (unknown code).`;
  }
  return null;
}
