import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DialResult, ScriptWalk } from '@gestiona/core/ipc';
import { checkScript, type Script } from '@gestiona/core/script';
import { interactionRecordedSchema } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { makeDebtor, TEST_SCRIPT } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
const REQUEST_ID = '00000000-0000-4000-8000-000000000001';

const CLOSING_TEXT = 'Pague solo por los canales oficiales de {{entidad}}. Ley 1581 de 2012. Ley 2300 de 2023.';

/** The test debtors' script id, with branches: the identity answers and an objection loop. */
const BRANCHING: Script = {
  id: TEST_SCRIPT.id,
  version: '2',
  name: 'Temprana con ramas',
  steps: [
    { id: 'saludo', kind: 'greeting', title: 'Saludo', text: '{{saludo}}, ¿hablo con {{nombre}}?' },
    {
      id: 'identidad',
      kind: 'identity-check',
      title: 'Identidad',
      text: '¿Me confirma su documento?',
      answers: [
        { id: 'confirma', label: 'Confirma', next: 'oferta', confirmsIdentity: true },
        { id: 'tercero', label: 'No es el titular', next: 'cierre-tercero' },
      ],
    },
    {
      id: 'oferta',
      kind: 'negotiation',
      title: 'Oferta',
      text: 'Su saldo vencido es {{valor_vencido}}. ¿Qué fecha le queda bien?',
      answers: [
        { id: 'acepta', label: 'Acepta', next: 'cierre' },
        { id: 'sin-dinero', label: 'No tiene el dinero', next: 'objecion' },
      ],
    },
    { id: 'objecion', kind: 'objection', title: 'Sin dinero', text: '¿Qué valor podría abonar?', next: 'oferta' },
    { id: 'cierre', kind: 'closing', title: 'Cierre', text: CLOSING_TEXT, disclosures: ['canales-oficiales', 'datos-personales', 'horarios-contacto'] },
    { id: 'cierre-tercero', kind: 'closing', title: 'Cierre tercero', text: 'Gracias. Ley 1581 de 2012.', disclosures: ['datos-personales'] },
  ],
};

describe('script walk of the open contact', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1'), makeDebtor('d2')]);
    withStore(dir, (store) => store.referenceData.setScript(BRANCHING));
    ws = await openWorkstation(dir, { clock: new SettableClock(TUESDAY_10) });
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function dial(contactPointId = 'd1-c1'): Promise<string> {
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId: 'd1', contactPointId, requestId: REQUEST_ID });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    return dialed.value.wrapUp.attemptId;
  }

  async function answer(attemptId: string, stepId: string, value: string | null) {
    return ws.call<ScriptWalk>('script:answer', { move: 'answer', attemptId, stepId, answer: value });
  }

  it('uses a script the check accepts', () => {
    expect(checkScript(BRANCHING)).toEqual([]);
  });

  it('stays on the first step while no contact is open, and refuses moves', async () => {
    const walk = await ws.call<ScriptWalk>('script:walk', { debtorId: 'd1' });
    expect(walk).toEqual({ ok: true, value: { debtorId: 'd1', attemptId: null, scriptId: BRANCHING.id, path: [], at: 'saludo', identityConfirmed: false } });

    const moved = await answer('00000000-0000-4000-8000-00000000abcd', 'saludo', null);
    expect(moved.ok).toBe(false);
    if (!moved.ok) expect(moved.error.code).toBe('conflict');
  });

  it('walks the answers, confirms the identity on the confirming answer, and goes back', async () => {
    const attemptId = await dial();
    expect((await answer(attemptId, 'saludo', null)).ok).toBe(true);
    const confirmed = await answer(attemptId, 'identidad', 'confirma');
    expect(confirmed.ok && confirmed.value).toMatchObject({ at: 'oferta', identityConfirmed: true });
    expect(withStore(dir, (store) => store.attempts.pending()?.identityConfirmedAt)).not.toBeNull();

    await answer(attemptId, 'oferta', 'sin-dinero');
    const looped = await answer(attemptId, 'objecion', null);
    expect(looped.ok && looped.value.at).toBe('oferta');

    const back = await ws.call<ScriptWalk>('script:answer', { move: 'back', attemptId });
    expect(back.ok && back.value).toMatchObject({ at: 'objecion', identityConfirmed: true });
    expect(back.ok && back.value.path.map((entry) => entry.stepId)).toEqual(['saludo', 'identidad', 'oferta']);

    const reread = await ws.call<ScriptWalk>('script:walk', { debtorId: 'd1' });
    expect(reread.ok && reread.value.at).toBe('objecion');
  });

  it.each([
    ['a step other than the current one', 'identidad', 'confirma', 'conflict'],
    ['an answer the step does not have', 'saludo', 'confirma', 'invalid-input'],
  ])('refuses %s, so a forged path never reaches the interaction', async (_case, stepId, value, code) => {
    const attemptId = await dial();
    const result = await answer(attemptId, stepId, value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
    const walk = await ws.call<ScriptWalk>('script:walk', { debtorId: 'd1' });
    expect(walk.ok && walk.value.path).toEqual([]);
  });

  it('starts over when a new version of the script no longer allows the path', async () => {
    const attemptId = await dial();
    await answer(attemptId, 'saludo', null);
    await answer(attemptId, 'identidad', 'confirma');
    const renamed = { ...BRANCHING, version: '3', steps: BRANCHING.steps.map((step) => (step.id === 'saludo' ? { ...step, next: 'identidad' } : step)) };
    withStore(dir, (store) => store.referenceData.setScript({ ...renamed, steps: renamed.steps.filter((step) => step.id !== 'saludo') }));

    const walk = await ws.call<ScriptWalk>('script:walk', { debtorId: 'd1' });
    expect(walk.ok && walk.value).toMatchObject({ path: [], at: 'identidad', identityConfirmed: true });
  });

  it('stores the path with the interaction and in the synced event', async () => {
    const attemptId = await dial();
    await answer(attemptId, 'saludo', null);
    await answer(attemptId, 'identidad', 'confirma');
    await answer(attemptId, 'oferta', 'acepta');
    const saved = await ws.call<{ interactionId: string }>('wrapup:save', { attemptId, code: 'NC', fields: {}, note: null });
    expect(saved.ok).toBe(true);

    const path = [
      { stepId: 'saludo', answer: null },
      { stepId: 'identidad', answer: 'confirma' },
      { stepId: 'oferta', answer: 'acepta' },
    ];
    const stored = withStore(dir, (store) => store.db.prepare('SELECT script_path FROM interactions').get() as { script_path: string });
    expect(JSON.parse(stored.script_path)).toEqual({ scriptId: BRANCHING.id, scriptVersion: '2', path });

    const events = withStore(dir, (store) => store.outbox.oldest(10, 'ws').events);
    const payload = interactionRecordedSchema.parse(events.find((event) => event.type === 'interaction.recorded')?.payload);
    expect(payload).toMatchObject({ scriptId: BRANCHING.id, scriptVersion: '2', scriptPath: path });

    // The next contact starts over.
    const walk = await ws.call<ScriptWalk>('script:walk', { debtorId: 'd1' });
    expect(walk.ok && walk.value).toMatchObject({ attemptId: null, path: [], at: 'saludo' });
  });

  it('sends no path when no step was walked', async () => {
    const attemptId = await dial();
    await ws.call('wrapup:save', { attemptId, code: 'NC', fields: {}, note: null });
    const events = withStore(dir, (store) => store.outbox.oldest(10, 'ws').events);
    const payload = interactionRecordedSchema.parse(events.find((event) => event.type === 'interaction.recorded')?.payload);
    expect(payload.scriptPath).toBeUndefined();
    expect(withStore(dir, (store) => store.db.prepare('SELECT script_path FROM interactions').get())).toEqual({ script_path: null });
  });
});
