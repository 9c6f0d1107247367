import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Catalog } from '@gestiona/core/catalog';
import type { IpcArgs, SessionState } from '@gestiona/core/ipc';
import type { Result } from '@gestiona/core/result';
import { useSessionStore } from './session.ts';
import { useWrapUpStore } from './wrapup.ts';

const ATTEMPT_ID = '3f1c2a52-8d1e-4c7b-9a55-0b6f3f0e9d11';

const catalog: Catalog = {
  version: '1',
  codes: [
    {
      code: 'PP',
      label: 'Promesa de pago',
      group: 'Contacto directo',
      class: 'two-way',
      fields: [
        { name: 'amount', label: 'Valor', type: 'amount', required: true },
        { name: 'date', label: 'Fecha', type: 'date', required: true, when: 'today-or-later' },
      ],
      effects: ['create-promise'],
      shortcut: '1',
      retired: false,
    },
    { code: 'NC', label: 'No contesta', group: 'Sin contacto', class: 'attempt', fields: [], effects: [], shortcut: 'N', retired: false },
    { code: 'XX', label: 'Retirado', group: 'Sin contacto', class: 'attempt', fields: [], effects: [], shortcut: null, retired: true },
  ],
};

const sessionAfterSave: SessionState = {
  revision: { boot: 'boot-1', seq: 2 },
  user: { id: 'agent-1', username: 'agente1', fullName: 'Ana Peña', role: 'agent' },
  workstationId: 'ws-1',
  serverUrl: 'http://127.0.0.1:4780',
  wrapUp: null,
  sync: { connection: 'online', pending: 1, oldestPendingAt: null, lastSyncAt: null, lastError: null },
  now: '2026-12-07T10:05:00-05:00',
  dialerAdapter: 'manual',
};

type SaveArgs = IpcArgs<'wrapup:save'>;

function installApi(respond: (args: SaveArgs) => Result<{ interactionId: string }>) {
  const calls: SaveArgs[] = [];
  vi.stubGlobal('window', {
    gestiona: {
      'wrapup:save': async (args: SaveArgs) => {
        calls.push(args);
        return respond(args);
      },
      'session:get': async () => ({ ok: true, value: sessionAfterSave }),
    },
  });
  return calls;
}

describe('wrap-up store', () => {
  beforeEach(() => {
    useWrapUpStore.getState().reset();
    useWrapUpStore.setState({ catalog });
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('saves a promise with parsed fields', async () => {
    const calls = installApi(() => ({ ok: true, value: { interactionId: '9b2f7e1a-1c1d-4a8e-8f5e-3c2b1a0d9e8f' } }));
    const store = useWrapUpStore.getState();
    store.selectCode('PP');
    store.setDraft('amount', '1.500.000');
    store.setDraft('date', '15/12/2026');
    store.setNote('  Paga por PSE  ');

    const saved = await useWrapUpStore.getState().save(ATTEMPT_ID);

    expect(saved).toBe(true);
    expect(calls).toEqual([
      { attemptId: ATTEMPT_ID, code: 'PP', fields: { amount: 150_000_000, date: '2026-12-15' }, note: 'Paga por PSE' },
    ]);
    expect(useWrapUpStore.getState().selectedCode).toBeNull();
    expect(useWrapUpStore.getState().savedMessage).toBe('Tipificación guardada: Promesa de pago.');
    expect(useSessionStore.getState().state).toEqual(sessionAfterSave);
  });

  it('sends nothing when a field cannot be read', async () => {
    const calls = installApi(() => ({ ok: true, value: { interactionId: '9b2f7e1a-1c1d-4a8e-8f5e-3c2b1a0d9e8f' } }));
    const store = useWrapUpStore.getState();
    store.selectCode('PP');
    store.setDraft('amount', '1.500.000.5');

    const saved = await useWrapUpStore.getState().save(ATTEMPT_ID);

    expect(saved).toBe(false);
    expect(calls).toHaveLength(0);
    expect(Object.keys(useWrapUpStore.getState().fieldErrors).sort()).toEqual(['amount', 'date']);
    expect(useWrapUpStore.getState().formError).toBe('Revise los campos marcados.');
  });

  it('shows the field errors main returns', async () => {
    installApi(() => ({
      ok: false,
      error: { code: 'invalid-input', message: 'Revise la tipificación.', fields: { date: 'Fecha: la fecha no puede estar en el pasado.' } },
    }));
    const store = useWrapUpStore.getState();
    store.selectCode('PP');
    store.setDraft('amount', '1000');
    store.setDraft('date', '01/01/2020');

    const saved = await useWrapUpStore.getState().save(ATTEMPT_ID);

    expect(saved).toBe(false);
    expect(useWrapUpStore.getState().formError).toBe('Revise la tipificación.');
    expect(useWrapUpStore.getState().fieldErrors).toEqual({ date: 'Fecha: la fecha no puede estar en el pasado.' });
    expect(useWrapUpStore.getState().drafts).toEqual({ amount: '1000', date: '01/01/2020' });
  });

  it('asks for a code before saving', async () => {
    const calls = installApi(() => ({ ok: true, value: { interactionId: '9b2f7e1a-1c1d-4a8e-8f5e-3c2b1a0d9e8f' } }));

    expect(await useWrapUpStore.getState().save(ATTEMPT_ID)).toBe(false);
    useWrapUpStore.getState().selectCode('XX');
    expect(await useWrapUpStore.getState().save(ATTEMPT_ID)).toBe(false);

    expect(calls).toHaveLength(0);
    expect(useWrapUpStore.getState().formError).toBe('Seleccione el resultado de la gestión.');
  });

  it('drops values typed for another code', () => {
    const store = useWrapUpStore.getState();
    store.selectCode('PP');
    store.setDraft('amount', '1000');
    useWrapUpStore.getState().selectCode('NC');

    expect(useWrapUpStore.getState().drafts).toEqual({});
  });
});
