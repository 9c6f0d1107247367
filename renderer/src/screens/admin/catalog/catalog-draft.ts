/**
 * The catalog editor's draft: pure edits of a catalog, and the checks the editor runs before
 * publishing (the same zod-free rules the server runs, plus the ones against the catalog in force).
 * The server checks everything again, the schema included.
 */
import type { Catalog, CatalogCode, CatalogField, CatalogGroup, Effect } from '@gestiona/core/catalog';
import { checkCatalogStructure, checkCatalogSuccession, type CatalogProblem } from '@gestiona/core/catalog-rules';
import { nextVersion } from '../scripts/script-draft.ts';

export const FIELD_TYPE_LABELS: Record<CatalogField['type'], string> = {
  amount: 'Valor en pesos',
  date: 'Fecha',
  datetime: 'Fecha y hora',
  text: 'Texto',
  channel: 'Canal',
  instalments: 'Plan de cuotas',
};


/** A catalog without explicit groups gets them from its codes' group names, with slug ids. */
export function withExplicitGroups(catalog: Catalog): Catalog {
  if (catalog.groups !== undefined) return catalog;
  const names = [...new Set(catalog.codes.map((code) => code.group))];
  const groups: CatalogGroup[] = names.map((name, index) => ({ id: slug(name) || `grupo-${index + 1}`, name, order: index + 1 }));
  const idOf = new Map(names.map((name, index) => [name, groups[index]!.id]));
  return { ...catalog, groups, codes: catalog.codes.map((code) => ({ ...code, group: idOf.get(code.group) ?? code.group })) };
}

export function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
}

export function addGroup(draft: Catalog, name: string): Catalog {
  const groups = draft.groups ?? [];
  let id = slug(name) || 'grupo';
  for (let n = 2; groups.some((group) => group.id === id); n += 1) id = `${slug(name) || 'grupo'}-${n}`;
  const order = Math.max(0, ...groups.map((group) => group.order)) + 1;
  return { ...draft, groups: [...groups, { id, name, order }] };
}

export function updateGroup(draft: Catalog, id: string, patch: Partial<Pick<CatalogGroup, 'name' | 'order'>>): Catalog {
  return { ...draft, groups: (draft.groups ?? []).map((group) => (group.id === id ? { ...group, ...patch } : group)) };
}

/** Adds a new code to a group with a free two-letter code, and returns the draft and its index. */
export function addCode(draft: Catalog, groupId: string): { draft: Catalog; index: number } {
  const taken = new Set(draft.codes.map((code) => code.code));
  let code = 'NV';
  for (let n = 0; taken.has(code); n += 1) code = `N${String.fromCharCode(65 + (n % 26))}${n >= 26 ? String.fromCharCode(65 + Math.floor(n / 26) - 1) : ''}`;
  const entry: CatalogCode = { code, label: 'Nuevo resultado', group: groupId, class: 'attempt', fields: [], effects: [], shortcut: null, retired: false };
  return { draft: { ...draft, codes: [...draft.codes, entry] }, index: draft.codes.length };
}

export function updateCode(draft: Catalog, index: number, patch: Partial<CatalogCode>): Catalog {
  return { ...draft, codes: draft.codes.map((code, position) => (position === index ? { ...code, ...patch } : code)) };
}

/**
 * Checks whether the draft row at `index` is a code loaded from the catalog in force. Such a row
 * can be retired, never deleted, and its id and class are fixed. A new row whose typed id collides with a
 * published code is not one, so its id stays editable and the duplicate can be fixed in place.
 *
 * The draft starts as the published catalog, published rows are never deleted, and new rows are
 * appended, so a published code's loaded row is the first row that carries its id.
 */
export function isLoadedPublished(draft: Catalog, index: number, published: Catalog | null): boolean {
  const code = draft.codes[index];
  if (code === undefined || published === null) return false;
  if (!published.codes.some((entry) => entry.code === code.code)) return false;
  return draft.codes.findIndex((entry) => entry.code === code.code) === index;
}

/** Deletes a code that was never published; a published one is only retired. */
export function removeCode(draft: Catalog, index: number, published: Catalog | null): Catalog {
  const code = draft.codes[index];
  if (code === undefined) return draft;
  if (isLoadedPublished(draft, index, published)) return updateCode(draft, index, { retired: true, shortcut: null });
  return { ...draft, codes: draft.codes.filter((_, position) => position !== index) };
}

/**
 * Starts a draft from the catalog in force with the next version proposed, because the server
 * rejects the version in force: "2026.3" becomes "2026.4", and any other text gets ".1".
 */
export function draftFromPublished(published: Catalog): Catalog {
  return { ...withExplicitGroups(published), version: nextVersion(published.version) };
}

export function toggleEffect(draft: Catalog, index: number, effect: Effect): Catalog {
  const code = draft.codes[index]!;
  const effects = code.effects.includes(effect) ? code.effects.filter((candidate) => candidate !== effect) : [...code.effects, effect];
  return updateCode(draft, index, { effects });
}

export function addField(draft: Catalog, index: number): Catalog {
  const code = draft.codes[index]!;
  let name = 'campo';
  for (let n = 2; code.fields.some((field) => field.name === name); n += 1) name = `campo${n}`;
  return updateCode(draft, index, { fields: [...code.fields, { name, label: 'Nuevo campo', type: 'text', required: false }] });
}

export function updateField(draft: Catalog, index: number, fieldIndex: number, patch: Partial<CatalogField>): Catalog {
  const code = draft.codes[index]!;
  const fields = code.fields.map((field, position) => {
    if (position !== fieldIndex) return field;
    const next: CatalogField = { ...field, ...patch };
    // Limits of another type do not apply once the type changes.
    if (patch.type !== undefined && patch.type !== field.type) {
      const { when: _when, maxDaysAhead: _days, minLength: _min, maxLength: _max, maxInstalments: _instalments, maxCents: _cents, ...bare } = next;
      return bare;
    }
    return next;
  });
  return updateCode(draft, index, { fields });
}

export function removeField(draft: Catalog, index: number, fieldIndex: number): Catalog {
  const code = draft.codes[index]!;
  return updateCode(draft, index, { fields: code.fields.filter((_, position) => position !== fieldIndex) });
}

/**
 * The problems the editor shows before publishing, each naming its field in Spanish: the catalog's
 * structure, the shapes the schema would reject most often, and the history rules against the
 * catalog in force.
 */
export function draftProblems(draft: Catalog, published: Catalog | null): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  if (draft.version.trim() === '') problems.push({ path: 'version', message: 'Versión: escriba la versión nueva del catálogo (p. ej. 2026.4).' });
  if (published !== null && draft.version.trim() === published.version) {
    problems.push({ path: 'version', message: `Versión: ${published.version} es la versión en vigor; use una nueva.` });
  }
  for (const [index, group] of (draft.groups ?? []).entries()) {
    if (group.name.trim() === '') problems.push({ path: `groups.${index}.name`, message: `Grupo ${group.id}: escriba el nombre.` });
  }
  for (const [index, code] of draft.codes.entries()) {
    const at = `codes.${index}`;
    if (!/^[A-Z]{2,4}$/.test(code.code)) problems.push({ path: `${at}.code`, message: `Código "${code.code}": use de 2 a 4 letras mayúsculas sin tilde.` });
    if (code.label.trim() === '') problems.push({ path: `${at}.label`, message: `Código ${code.code}: escriba el nombre.` });
    if (code.shortcut !== null && !/^[A-Za-z0-9]$/.test(code.shortcut)) problems.push({ path: `${at}.shortcut`, message: `Código ${code.code}: el atajo es una sola letra o dígito.` });
    for (const [fieldIndex, field] of code.fields.entries()) {
      const fieldAt = `${at}.fields.${fieldIndex}`;
      if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(field.name)) problems.push({ path: `${fieldAt}.name`, message: `Código ${code.code}, campo "${field.name}": el nombre interno lleva solo letras y dígitos, sin espacios.` });
      if (field.label.trim() === '') problems.push({ path: `${fieldAt}.label`, message: `Código ${code.code}, campo ${field.name}: escriba la etiqueta.` });
    }
  }
  problems.push(...checkCatalogStructure(draft));
  if (published !== null) problems.push(...checkCatalogSuccession(published, draft));
  return problems;
}
