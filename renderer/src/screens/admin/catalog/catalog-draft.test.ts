/// <reference types="vite/client" />
import { describe, expect, it } from 'vitest';
import type { Catalog } from '@gestiona/core/catalog';
import shippedText from '../../../../../resources/catalog.json?raw';
import { addCode, addField, addGroup, draftFromPublished, draftProblems, isLoadedPublished, removeCode, toggleEffect, updateCode, updateField, withExplicitGroups } from './catalog-draft.ts';

const SHIPPED = JSON.parse(shippedText) as Catalog;
const next = (): Catalog => ({ ...structuredClone(SHIPPED), version: '2026.9' });
const messages = (draft: Catalog) => draftProblems(draft, SHIPPED).map((problem) => `${problem.path}: ${problem.message}`);

describe('catalog editor draft', () => {
  it('accepts the shipped catalog under a new version', () => {
    expect(messages(next())).toEqual([]);
  });

  it('retires a published code instead of deleting it, and deletes a new one', () => {
    const index = SHIPPED.codes.findIndex((code) => code.code === 'OC');
    const retired = removeCode(next(), index, SHIPPED);
    expect(retired.codes[index]).toMatchObject({ code: 'OC', retired: true, shortcut: null });
    const added = addCode(next(), 'sin-contacto');
    expect(removeCode(added.draft, added.index, SHIPPED).codes).toHaveLength(SHIPPED.codes.length);
  });

  it.each([
    { case: 'the version in force', edit: (draft: Catalog) => ({ ...draft, version: SHIPPED.version }), problem: 'version: Versión: 2026.3 es la versión en vigor; use una nueva.' },
    { case: 'a repeated shortcut', edit: (draft: Catalog) => updateCode(draft, 10, { shortcut: 'p' }), problem: 'codes.10.shortcut: Código NC: el atajo P ya lo usa el código PP.' },
    { case: 'a lower-case code', edit: (draft: Catalog) => updateCode(draft, 10, { code: 'nc' }), problem: 'codes.10.code: Código "nc": use de 2 a 4 letras mayúsculas sin tilde.' },
    { case: 'a field name with a space', edit: (draft: Catalog) => updateField(addField(draft, 10), 10, 0, { name: 'mi campo' }), problem: 'codes.10.fields.0.name: Código NC, campo "mi campo": el nombre interno lleva solo letras y dígitos, sin espacios.' },
    { case: 'a dispute on a third-party code', edit: (draft: Catalog) => toggleEffect(draft, 7, 'pause-collection'), problem: 'codes.7.effects: Código MT: el efecto "Pausa el cobro (reclamación)" solo se permite en un contacto con el titular confirmado (clase two-way, R12).' },
    { case: 'a class change', edit: (draft: Catalog) => updateCode(draft, 10, { class: 'two-way' }), problem: 'codes.10.class: Código NC: no se puede cambiar su clase' },
    { case: 'a callback without its date-time', edit: (draft: Catalog) => toggleEffect(draft, 4, 'schedule-callback'), problem: 'codes.4.fields: Código RN: el efecto "Agenda una nueva llamada" necesita un campo obligatorio de fecha y hora (datetime).' },
  ])('names the field of $case in Spanish', ({ edit, problem }) => {
    expect(messages(edit(next())).some((message) => message.startsWith(problem))).toBe(true);
  });

  it('locks only codes loaded as published', () => {
    const added = addCode(next(), 'sin-contacto');
    const colliding = updateCode(added.draft, added.index, { code: 'PP', shortcut: 'P' });
    const loadedIndex = SHIPPED.codes.findIndex((code) => code.code === 'PP');
    expect(isLoadedPublished(colliding, loadedIndex, SHIPPED)).toBe(true);
    expect(isLoadedPublished(colliding, added.index, SHIPPED)).toBe(false);
    expect(isLoadedPublished(added.draft, added.index, SHIPPED)).toBe(false);
  });

  it('lets a colliding new code be fixed in place', () => {
    const added = addCode(next(), 'sin-contacto');
    const colliding = updateCode(added.draft, added.index, { code: 'PP', shortcut: 'P' });
    const problems = messages(colliding).filter((message) => message.startsWith(`codes.${added.index}.`));
    expect(problems).toContain(`codes.${added.index}.code: Código PP: está repetido en el catálogo.`);
    expect(problems).toContain(`codes.${added.index}.shortcut: Código PP: el atajo P ya lo usa el código PP.`);

    const fixed = updateCode(colliding, added.index, { code: 'PX', shortcut: 'X' });
    expect(messages(fixed)).toEqual([]);
  });

  it('deletes a colliding new code, not the published one', () => {
    const added = addCode(next(), 'sin-contacto');
    const colliding = updateCode(added.draft, added.index, { code: 'PP' });
    const removed = removeCode(colliding, added.index, SHIPPED);
    expect(removed.codes).toHaveLength(SHIPPED.codes.length);
    expect(removed.codes.filter((code) => code.code === 'PP')).toEqual([SHIPPED.codes.find((code) => code.code === 'PP')]);
  });

  it.each([
    { published: '2026.3', proposed: '2026.4' },
    { published: '2026.9', proposed: '2026.10' },
    { published: 'inicial', proposed: 'inicial.1' },
  ])('proposes $proposed after $published', ({ published, proposed }) => {
    const draft = draftFromPublished({ ...SHIPPED, version: published });
    expect(draft.version).toBe(proposed);
    expect(draftProblems(draft, { ...SHIPPED, version: published })).toEqual([]);
  });

  it('drops the limits of another type when a field changes type', () => {
    const draft = updateField(next(), 0, 1, { type: 'text' });
    expect(draft.codes[0]!.fields[1]).toEqual({ name: 'date', label: 'Fecha de pago', type: 'text', required: true });
  });

  it('groups get unique slug ids', () => {
    const draft = addGroup(addGroup(next(), 'Gestión digital'), 'Gestión digital');
    expect(draft.groups!.slice(-2)).toEqual([
      { id: 'gestion-digital', name: 'Gestión digital', order: 4 },
      { id: 'gestion-digital-2', name: 'Gestión digital', order: 5 },
    ]);
    const legacy = withExplicitGroups({ version: '1', codes: [{ ...SHIPPED.codes[0]!, group: 'Contacto directo' }] });
    expect([legacy.groups, legacy.codes[0]!.group]).toEqual([[{ id: 'contacto-directo', name: 'Contacto directo', order: 1 }], 'contacto-directo']);
  });
});
