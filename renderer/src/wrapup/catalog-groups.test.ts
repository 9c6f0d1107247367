import type { CatalogCode } from '@gestiona/core/catalog';
import { describe, expect, it } from 'vitest';
import { findCodeByShortcut, groupActiveCodes } from './catalog-groups.ts';

function code(code: string, group: string, shortcut: string | null, retired = false): CatalogCode {
  return { code, label: code, group, class: 'attempt', fields: [], effects: [], shortcut, retired };
}

const codes = [
  code('PP', 'Contacto directo', '1'),
  code('NE', 'Contacto con tercero', 'e'),
  code('AP', 'Contacto directo', '2'),
  code('XX', 'Contacto directo', 'x', true),
  code('NC', 'Sin contacto', 'N'),
];

describe('groupActiveCodes', () => {
  it('groups in catalog order without retired codes', () => {
    const groups = groupActiveCodes(codes);
    expect(groups.map((group) => [group.group, group.codes.map((entry) => entry.code)])).toEqual([
      ['Contacto directo', ['PP', 'AP']],
      ['Contacto con tercero', ['NE']],
      ['Sin contacto', ['NC']],
    ]);
  });
});

describe('findCodeByShortcut', () => {
  it.each([
    ['1', 'PP'],
    ['E', 'NE'],
    ['n', 'NC'],
    ['x', null],
    ['9', null],
    ['Enter', null],
  ])('maps key %s to %s', (key, expected) => {
    expect(findCodeByShortcut(codes, key)?.code ?? null).toBe(expected);
  });
});
