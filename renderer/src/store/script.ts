/**
 * The agent's place in the call script of the open contact. Main keeps the walk with the attempt and
 * checks every move against the script's graph; this store only shows main's result. An answer that
 * confirms the identity makes main record the identity check, so the debtor view is reloaded to
 * show the balances.
 */
import { create } from 'zustand';
import type { ScriptWalk } from '@gestiona/core/ipc';
import { callApi } from '../api/client.ts';
import { useDebtorStore } from './debtor.ts';

interface ScriptStore {
  walk: ScriptWalk | null;
  busy: boolean;
  /** Spanish reason the last move was refused. */
  error: string | null;
  load(debtorId: string): Promise<void>;
  answer(answer: string | null): Promise<void>;
  back(): Promise<void>;
  reset(): void;
}

let latestRequest = 0;

export const useScriptStore = create<ScriptStore>()((set, get) => ({
  walk: null,
  busy: false,
  error: null,

  async load(debtorId) {
    const request = ++latestRequest;
    const result = await callApi('script:walk', { debtorId });
    if (request !== latestRequest) return;
    // Before the script has synced there is no walk: the panel shows the stand-in step alone.
    set(result.ok ? { walk: result.value, error: null } : { walk: null, error: null });
  },

  async answer(answer) {
    const { walk, busy } = get();
    if (!walk || busy) return;
    if (walk.attemptId === null) {
      set({ error: 'El guion avanza durante la llamada: marque primero a la persona.' });
      return;
    }
    const request = ++latestRequest;
    set({ busy: true });
    const result = await callApi('script:answer', { move: 'answer', attemptId: walk.attemptId, stepId: walk.at, answer });
    if (request !== latestRequest) return;
    if (!result.ok) {
      set({ busy: false, error: result.error.message });
      return;
    }
    // Reload the debtor view before showing the next step, because the view still withholds the
    // balances and the first debt step would otherwise show their stand-ins.
    if (result.value.identityConfirmed && !walk.identityConfirmed) {
      await useDebtorStore.getState().refresh();
      if (request !== latestRequest) return;
    }
    set({ busy: false, error: null, walk: result.value });
  },

  async back() {
    const { walk, busy } = get();
    if (!walk || busy || walk.attemptId === null || walk.path.length === 0) return;
    const request = ++latestRequest;
    set({ busy: true });
    const result = await callApi('script:answer', { move: 'back', attemptId: walk.attemptId });
    if (request !== latestRequest) return;
    set(result.ok ? { busy: false, error: null, walk: result.value } : { busy: false, error: result.error.message });
  },

  reset() {
    latestRequest++;
    set({ walk: null, busy: false, error: null });
  },
}));
