import { describe, expect, it } from 'vitest';
import { checkScript, type ScriptDef } from '@gestiona/core/script-check';
import { addAnswer, addStep, moveStep, nextVersion, removeAnswer, removeStep, stepIdFor, updateAnswer, updateStep } from './script-draft.ts';

const BASE: ScriptDef = {
  id: 'guion-prueba',
  version: '2026.3',
  name: 'Prueba',
  steps: [
    { id: 'saludo', kind: 'greeting', title: 'Saludo', text: 'Hola, ¿hablo con {{nombre}}?' },
    { id: 'verificacion', kind: 'identity-check', title: 'Verificación', text: '¿Me confirma su documento?' },
    { id: 'oferta', kind: 'negotiation', title: 'Oferta', text: '¿Qué fecha le queda bien?' },
    {
      id: 'cierre',
      kind: 'closing',
      title: 'Cierre',
      text: 'Pague solo por los canales oficiales. Ley 1581 de 2012. Ley 2300 de 2023.',
      disclosures: ['canales-oficiales', 'datos-personales', 'horarios-contacto'],
    },
  ],
};

describe('script draft edits', () => {
  it('starts from a script the check accepts', () => {
    expect(checkScript(BASE)).toEqual([]);
  });

  it.each([
    ['Objeción: ya pagó', 'objecion-ya-pago'],
    ['Saludo', 'saludo-2'],
    ['¡!', 'paso'],
  ])('makes the id of "%s"', (title, id) => {
    expect(stepIdFor(BASE, title)).toBe(id);
  });

  it('adds an objection reachable by a new answer, and the check agrees', () => {
    let draft = addStep(BASE, -1, 'objection', 'Sin dinero');
    draft = updateStep(draft, 4, { text: '¿Qué valor podría abonar?', next: 'cierre' });
    expect(checkScript(draft).map((problem) => problem.stepId)).toEqual(['sin-dinero']);

    draft = addAnswer(draft, 2, 'Acepta', 'cierre');
    draft = addAnswer(draft, 2, 'No tiene el dinero', 'sin-dinero');
    expect(draft.steps[2]?.answers?.map((answer) => answer.id)).toEqual(['acepta', 'no-tiene-el-dinero']);
    expect(checkScript(draft)).toEqual([]);
  });

  it('keeps a dangling answer for the check', () => {
    let draft = addStep(BASE, 2, 'objection', 'Sin dinero');
    draft = addAnswer(draft, 2, 'Sin dinero', 'sin-dinero');
    draft = removeStep(draft, 3);
    expect(checkScript(draft).some((problem) => problem.stepId === 'oferta' && problem.message.includes('"sin-dinero", que no existe'))).toBe(true);
  });

  it('updates, confirms and removes answers, dropping empty keys', () => {
    let draft = addAnswer(BASE, 1, 'Confirma', 'oferta');
    draft = updateAnswer(draft, 1, 0, { confirmsIdentity: true });
    expect(draft.steps[1]?.answers).toEqual([{ id: 'confirma', label: 'Confirma', next: 'oferta', confirmsIdentity: true }]);
    draft = updateAnswer(draft, 1, 0, { confirmsIdentity: false });
    expect(draft.steps[1]?.answers).toEqual([{ id: 'confirma', label: 'Confirma', next: 'oferta' }]);
    draft = removeAnswer(draft, 1, 0);
    expect(draft.steps[1]).toEqual(BASE.steps[1]);
  });

  it('moves steps within bounds only', () => {
    expect(moveStep(BASE, 0, -1)).toBe(BASE);
    expect(moveStep(BASE, 1, -1).steps.map((step) => step.id)).toEqual(['verificacion', 'saludo', 'oferta', 'cierre']);
  });

  it.each([
    ['2026.3', '2026.4'],
    ['7', '8'],
    ['v1-beta', 'v1-beta.1'],
  ])('suggests the version after %s', (version, next) => {
    expect(nextVersion(version)).toBe(next);
  });
});
