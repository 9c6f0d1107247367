/**
 * The screen on display (worklist or a debtor) and the debtor view. The agent's place in the script
 * is in `script.ts`. Leaving a debtor goes through the wrap-up guard. Showing the debtor of a pending wrap-up does not,
 * because that is where the agent has to be.
 */
import { create } from 'zustand';
import type { DebtorView } from '@gestiona/core/ipc';
import { callApi } from '../api/client.ts';
import { useDialStore } from './dial.ts';
import { ensureNoPendingWrapUp, useSessionStore } from './session.ts';
import { useWrapUpStore } from './wrapup.ts';

export type Screen = 'worklist' | 'debtor';

interface DebtorStore {
  screen: Screen;
  /** Debtor requested last; the view may still be loading. */
  debtorId: string | null;
  view: DebtorView | null;
  loading: boolean;
  error: string | null;

  open(debtorId: string): Promise<void>;
  show(debtorId: string): Promise<void>;
  refresh(): Promise<void>;
  backToWorklist(): boolean;
  reset(): void;
}

const initialState = {
  screen: 'worklist' as Screen,
  debtorId: null,
  view: null,
  loading: false,
  error: null,
};

let latestRequest = 0;

export const useDebtorStore = create<DebtorStore>()((set, get) => ({
  ...initialState,

  async open(debtorId) {
    const wrapUp = useSessionStore.getState().state?.wrapUp;
    if (wrapUp && wrapUp.debtorId !== debtorId && !ensureNoPendingWrapUp()) return;
    await get().show(debtorId);
  },

  async show(debtorId) {
    const sameDebtor = get().debtorId === debtorId && get().view !== null;
    const request = ++latestRequest;
    // Results and confirmations of the previous debtor must not appear on this one.
    if (!sameDebtor) {
      useDialStore.getState().clear();
      useWrapUpStore.setState({ savedMessage: null });
    }
    set({
      screen: 'debtor',
      debtorId,
      loading: true,
      error: null,
      ...(sameDebtor ? {} : { view: null }),
    });

    const result = await callApi('debtor:open', { debtorId });
    if (request !== latestRequest) return;

    if (!result.ok) {
      set({ loading: false, error: result.error.message });
      return;
    }
    set({ loading: false, view: result.value });
  },

  async refresh() {
    const { debtorId, screen } = get();
    if (screen === 'debtor' && debtorId) await get().show(debtorId);
  },

  backToWorklist() {
    if (!ensureNoPendingWrapUp()) return false;
    latestRequest++;
    set(initialState);
    return true;
  },

  reset() {
    latestRequest++;
    set(initialState);
  },
}));
