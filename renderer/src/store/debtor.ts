/**
 * The screen on display (worklist or a debtor), the debtor view, and the agent's place in the script.
 * Leaving a debtor goes through the wrap-up guard. Showing the debtor of a pending wrap-up does not,
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
  scriptStep: number;
  /** Set once the agent moves past the identity check; later script steps show only after it. */
  identityConfirmed: boolean;

  open(debtorId: string): Promise<void>;
  show(debtorId: string): Promise<void>;
  refresh(): Promise<void>;
  backToWorklist(): boolean;
  goToStep(index: number): void;
  reset(): void;
}

const initialState = {
  screen: 'worklist' as Screen,
  debtorId: null,
  view: null,
  loading: false,
  error: null,
  scriptStep: 0,
  identityConfirmed: false,
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
      ...(sameDebtor ? {} : { view: null, scriptStep: 0, identityConfirmed: false }),
    });

    const result = await callApi('debtor:open', { debtorId });
    if (request !== latestRequest) return;

    if (!result.ok) {
      set({ loading: false, error: result.error.message });
      return;
    }
    const steps = result.value.script.steps.length;
    set({ loading: false, view: result.value, scriptStep: Math.min(get().scriptStep, Math.max(0, steps - 1)) });
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

  goToStep(index) {
    const view = get().view;
    if (!view) return;
    const { scriptStep, identityConfirmed } = get();
    const identityIndex = view.script.steps.findIndex((step) => step.kind === 'identity-check');
    let next = Math.max(0, Math.min(index, view.script.steps.length - 1));

    // Debt details come only after the right party is confirmed: a jump past an unconfirmed
    // identity check lands on the check itself, and moving on from the check is the confirmation.
    if (identityIndex !== -1 && !identityConfirmed && next > identityIndex && scriptStep !== identityIndex) {
      next = identityIndex;
    }
    const confirms = identityIndex !== -1 && scriptStep === identityIndex && next > identityIndex;
    set({ scriptStep: next, identityConfirmed: identityConfirmed || confirms });
  },

  reset() {
    latestRequest++;
    set(initialState);
  },
}));
