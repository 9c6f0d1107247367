/** Catalog codes as the wrap-up form lists them: active codes, grouped in catalog order. */
import type { CatalogCode } from '@gestiona/core/catalog';

export interface CodeGroup {
  group: string;
  codes: CatalogCode[];
}

export function groupActiveCodes(codes: readonly CatalogCode[]): CodeGroup[] {
  const groups: CodeGroup[] = [];
  for (const code of codes) {
    if (code.retired) continue;
    let group = groups.find((candidate) => candidate.group === code.group);
    if (!group) {
      group = { group: code.group, codes: [] };
      groups.push(group);
    }
    group.codes.push(code);
  }
  return groups;
}

/** Finds the active code whose shortcut is `key`, ignoring letter case. Returns null when none matches. */
export function findCodeByShortcut(codes: readonly CatalogCode[], key: string): CatalogCode | null {
  if (key.length !== 1) return null;
  const pressed = key.toLocaleUpperCase('es-CO');
  return codes.find((code) => !code.retired && code.shortcut?.toLocaleUpperCase('es-CO') === pressed) ?? null;
}
