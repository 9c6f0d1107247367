import { describe, expect, it } from 'vitest';
import type { Script } from '@gestiona/core/script';
import type { InteractionRecorded } from '@gestiona/core/sync';
import type { ServerStore } from '../store/types.ts';
import { scriptPathDescriber } from './script-path-evidence.ts';

const SCRIPT: Script = {
  id: 'guion-prueba',
  version: '3',
  name: 'Prueba',
  steps: [
    { id: 'saludo', kind: 'greeting', title: 'Saludo', text: 'Hola' },
    {
      id: 'verificacion',
      kind: 'identity-check',
      title: 'Verificación',
      text: '¿Me confirma su documento?',
      answers: [
        { id: 'si', label: 'Identidad confirmada', next: 'cierre', confirmsIdentity: true },
        { id: 'no', label: 'No es el titular', next: 'cierre' },
      ],
    },
    { id: 'cierre', kind: 'closing', title: 'Cierre', text: 'Gracias' },
  ],
};

function storeWith(scripts: Script[]): { store: ServerStore; lookups: string[] } {
  const lookups: string[] = [];
  const store = {
    scriptVersion: async (id: string, version: string) => {
      lookups.push(`${id}@${version}`);
      const script = scripts.find((candidate) => candidate.id === id && candidate.version === version);
      return script === undefined ? null : { script };
    },
  } as unknown as ServerStore;
  return { store, lookups };
}

const path = [
  { stepId: 'saludo', answer: null },
  { stepId: 'verificacion', answer: 'si' },
];

describe('script path in the evidence', () => {
  it('names steps and answers, one lookup per version', async () => {
    const { store, lookups } = storeWith([SCRIPT]);
    const describe = scriptPathDescriber(store);
    const payload = { scriptId: 'guion-prueba', scriptVersion: '3', scriptPath: path } as InteractionRecorded;
    const first = await describe(payload);
    await describe(payload);

    expect(first).toEqual({
      scriptId: 'guion-prueba',
      scriptVersion: '3',
      steps: [
        { stepId: 'saludo', stepTitle: 'Saludo', answer: null, answerLabel: null },
        { stepId: 'verificacion', stepTitle: 'Verificación', answer: 'si', answerLabel: 'Identidad confirmada' },
      ],
      text: 'Guion guion-prueba 3: Saludo → Verificación [Identidad confirmada]',
    });
    expect(lookups).toEqual(['guion-prueba@3']);
  });

  it('falls back to the ids when the server does not have that version', async () => {
    const described = await scriptPathDescriber(storeWith([]).store)({ scriptId: 'guion-prueba', scriptVersion: '9', scriptPath: path } as InteractionRecorded);
    expect(described?.text).toBe('Guion guion-prueba 9: saludo → verificacion [si]');
  });

  it('describes nothing for a contact without a path (older workstations)', async () => {
    expect(await scriptPathDescriber(storeWith([SCRIPT]).store)({} as InteractionRecorded)).toBeNull();
  });
});
