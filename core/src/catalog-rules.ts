/**
 * Rules of the typification catalog that do not need zod, so the renderer's catalog editor and the
 * wrap-up form can run them too. They build the group tree, check a catalog's structure, and check a
 * new publication against the catalog in force: a code is never deleted, and a code's compliance
 * class never changes in place.
 */
import type { Catalog, CatalogCode, CatalogGroup, Effect } from './catalog.ts';
import { COMPLIANCE_CLASS_LABELS } from './compliance-class-labels.ts';

/** One problem of a catalog, with the path of the value (`codes.3.shortcut`) and a Spanish message naming it. */
export interface CatalogProblem {
  path: string;
  message: string;
}

export interface CatalogTreeGroup {
  id: string;
  name: string;
  order: number;
  codes: CatalogCode[];
}

/** Maximum number of instalments of an agreement whose field sets no limit. */
export const DEFAULT_MAX_INSTALMENTS = 24;
/** Maximum length of a text field that sets no limit, in characters. */
export const DEFAULT_TEXT_MAX_LENGTH = 2000;

/** Effects that discuss the debt or act on the person's word, which rule R12 allows only with the confirmed person. */
const TWO_WAY_EFFECTS: readonly Effect[] = ['create-promise', 'create-agreement', 'verify-payment', 'revoke-authorization', 'pause-collection'];

export const EFFECT_LABELS: Record<Effect, string> = {
  'create-promise': 'Crea una promesa de pago',
  'create-agreement': 'Crea un acuerdo de pago',
  'verify-payment': 'Pide verificar un pago',
  'schedule-callback': 'Agenda una nueva llamada',
  'pause-collection': 'Pausa el cobro (reclamación)',
  'revoke-authorization': 'Revoca la autorización del canal',
  'flag-number': 'Marca el número como errado',
  'stop-strategy': 'Detiene la estrategia (titular fallecido)',
};

/**
 * Returns the groups in their order, each with its codes in catalog order. A catalog without
 * explicit groups (older than group ids) gets one group per distinct `group` text, in order of appearance.
 */
export function catalogTree(catalog: Pick<Catalog, 'groups' | 'codes'>, options: { includeRetired?: boolean } = {}): CatalogTreeGroup[] {
  const groups: CatalogGroup[] = catalog.groups ?? legacyGroups(catalog.codes);
  const tree = [...groups]
    .sort((a, b) => a.order - b.order)
    .map((group): CatalogTreeGroup => ({ id: group.id, name: group.name, order: group.order, codes: [] }));
  const byId = new Map(tree.map((group) => [group.id, group]));
  for (const code of catalog.codes) {
    if (code.retired && options.includeRetired !== true) continue;
    byId.get(code.group)?.codes.push(code);
  }
  return tree;
}

function legacyGroups(codes: readonly CatalogCode[]): CatalogGroup[] {
  const names = [...new Set(codes.map((code) => code.group))];
  return names.map((name, index) => ({ id: name, name, order: index + 1 }));
}

/** Returns the active code chosen by a key, ignoring letter case, or null. */
export function codeForShortcut(codes: readonly CatalogCode[], key: string): CatalogCode | null {
  if (key.length !== 1) return null;
  const pressed = key.toLocaleUpperCase('es-CO');
  return codes.find((code) => !code.retired && code.shortcut?.toLocaleUpperCase('es-CO') === pressed) ?? null;
}

/**
 * Structural checks beyond the field shapes: unique codes, groups and shortcuts, every code in a
 * known group, the fields each effect needs, and the effects only a right-party contact allows.
 */
export function checkCatalogStructure(catalog: Pick<Catalog, 'groups' | 'codes'>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const groupIds = new Set<string>();
  for (const [index, group] of (catalog.groups ?? []).entries()) {
    if (groupIds.has(group.id)) problems.push({ path: `groups.${index}.id`, message: `Grupo "${group.name}": el identificador ${group.id} está repetido.` });
    groupIds.add(group.id);
  }

  const codes = new Set<string>();
  const shortcuts = new Map<string, string>();
  for (const [index, code] of catalog.codes.entries()) {
    const at = `codes.${index}`;
    if (codes.has(code.code)) problems.push({ path: `${at}.code`, message: `Código ${code.code}: está repetido en el catálogo.` });
    codes.add(code.code);

    if (catalog.groups !== undefined && !groupIds.has(code.group)) {
      problems.push({ path: `${at}.group`, message: `Código ${code.code}: el grupo "${code.group}" no existe en el catálogo.` });
    }

    if (code.shortcut !== null && !code.retired) {
      const key = code.shortcut.toLocaleUpperCase('es-CO');
      const other = shortcuts.get(key);
      if (other !== undefined) {
        problems.push({ path: `${at}.shortcut`, message: `Código ${code.code}: el atajo ${key} ya lo usa el código ${other}.` });
      } else {
        shortcuts.set(key, code.code);
      }
    }

    const names = new Set<string>();
    for (const [fieldIndex, field] of code.fields.entries()) {
      if (names.has(field.name)) problems.push({ path: `${at}.fields.${fieldIndex}.name`, message: `Código ${code.code}: el campo ${field.name} está repetido.` });
      names.add(field.name);
    }
    problems.push(...checkEffects(code, at));
  }
  if (catalog.codes.every((code) => code.retired)) problems.push({ path: 'codes', message: 'El catálogo necesita al menos un código activo.' });
  return problems;
}

function checkEffects(code: CatalogCode, at: string): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const has = (type: CatalogCode['fields'][number]['type']): boolean => code.fields.some((field) => field.type === type && field.required);
  const need = (effect: Effect, type: CatalogCode['fields'][number]['type'], what: string): void => {
    if (code.effects.includes(effect) && !has(type)) {
      problems.push({ path: `${at}.fields`, message: `Código ${code.code}: el efecto "${EFFECT_LABELS[effect]}" necesita un campo obligatorio de ${what}.` });
    }
  };
  need('create-promise', 'amount', 'valor (amount)');
  need('create-promise', 'date', 'fecha (date)');
  need('create-agreement', 'instalments', 'plan de cuotas (instalments)');
  need('schedule-callback', 'datetime', 'fecha y hora (datetime)');

  if (new Set(code.effects).size !== code.effects.length) problems.push({ path: `${at}.effects`, message: `Código ${code.code}: hay un efecto repetido.` });
  if (code.class !== 'two-way') {
    for (const effect of code.effects.filter((candidate) => TWO_WAY_EFFECTS.includes(candidate))) {
      problems.push({
        path: `${at}.effects`,
        message: `Código ${code.code}: el efecto "${EFFECT_LABELS[effect]}" solo se permite en un contacto con el titular confirmado (clase two-way, R12).`,
      });
    }
  }
  return problems;
}

/**
 * Checks a new catalog against the one in force. A code ever published stays in every later
 * catalog, retired if it is no longer used, because stored interactions name it. Its compliance
 * class never changes, because the contacts typified with it were counted under that class.
 */
export function checkCatalogSuccession(previous: Pick<Catalog, 'codes'>, next: Pick<Catalog, 'codes'>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const nextCodes = new Map(next.codes.map((code, index) => [code.code, { code, index }]));
  for (const old of previous.codes) {
    const found = nextCodes.get(old.code);
    if (found === undefined) {
      problems.push({
        path: 'codes',
        message:
          `Código ${old.code} ("${old.label}"): ya se publicó y no se puede borrar. Un código publicado nunca se borra, aunque nadie ` +
          'lo haya usado todavía, solo se retira. Déjelo en el catálogo marcado como retirado (retired: true) y ya no se podrá elegir.',
      });
      continue;
    }
    if (found.code.class !== old.class) {
      problems.push({
        path: `codes.${found.index}.class`,
        message:
          `Código ${old.code}: no se puede cambiar su clase de cumplimiento de "${COMPLIANCE_CLASS_LABELS[old.class]}" a "${COMPLIANCE_CLASS_LABELS[found.code.class]}", porque los contactos ` +
          'ya tipificados con él se contaron bajo la clase anterior en los límites de contacto. Retire este código y cree uno nuevo con la otra clase.',
      });
    }
  }
  return problems;
}

const KEY_NAMES: Record<string, string> = {
  version: 'versión',
  groups: 'grupos',
  codes: 'códigos',
  id: 'identificador',
  name: 'nombre',
  order: 'orden',
  code: 'código',
  label: 'nombre',
  group: 'grupo',
  class: 'clase de cumplimiento',
  fields: 'campos',
  effects: 'efectos',
  shortcut: 'atajo',
  retired: 'retirado',
  type: 'tipo',
  required: 'obligatorio',
  when: 'límite de fecha',
  maxDaysAhead: 'días máximos',
  minLength: 'largo mínimo',
  maxLength: 'largo máximo',
  maxInstalments: 'cuotas máximas',
  maxCents: 'valor máximo',
};

const ISSUE_TEXT: Record<string, string> = {
  invalid_type: 'falta o tiene un tipo de dato inválido',
  too_small: 'es demasiado corto o pequeño',
  too_big: 'es demasiado largo o grande',
  invalid_format: 'tiene un formato inválido',
  invalid_value: 'tiene un valor no permitido',
  unrecognized_keys: 'tiene campos que no se reconocen',
};

/**
 * Names the value at `path` of a raw catalog in Spanish, e.g. `codes.3.fields.1.label` → "código
 * PP, campo amount, nombre", reading codes and field names from the catalog itself when present.
 */
export function describeCatalogPath(raw: unknown, path: readonly (string | number)[]): string {
  const parts: string[] = [];
  let node: unknown = raw;
  for (let index = 0; index < path.length; index += 1) {
    const key = path[index]!;
    const next = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[key] : undefined;
    if (typeof key === 'number' || /^\d+$/.test(String(key))) {
      const parent = path[index - 1];
      const item = isRecord(next) ? next : {};
      if (parent === 'codes') parts.push(`código ${typeof item.code === 'string' ? item.code : `n.º ${Number(key) + 1}`}`);
      else if (parent === 'fields') parts.push(`campo ${typeof item.name === 'string' ? item.name : `n.º ${Number(key) + 1}`}`);
      else if (parent === 'groups') parts.push(`grupo ${typeof item.id === 'string' ? item.id : `n.º ${Number(key) + 1}`}`);
      else parts.push(`n.º ${Number(key) + 1}`);
    } else if (!(path[index + 1] !== undefined && typeof path[index + 1] === 'number' && ['codes', 'fields', 'groups'].includes(String(key)))) {
      parts.push(KEY_NAMES[String(key)] ?? String(key));
    }
    node = next;
  }
  return parts.length === 0 ? 'catálogo' : parts.join(', ');
}

/** Formats one validation issue for the administrator, in Spanish: where it is and what is wrong. */
export function catalogIssueMessage(raw: unknown, issue: { path: readonly PropertyKey[]; code: string; message: string }): string {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const where = describeCatalogPath(raw, path);
  if (issue.code === 'custom') return issue.message;
  return `${where}: ${ISSUE_TEXT[issue.code] ?? 'es inválido'}.`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
