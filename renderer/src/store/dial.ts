/**
 * The dial in flight and the last dial result. One click intent gets one request id: the id is made
 * here, once, and a second click while the first is in flight sends nothing, so main's idempotency
 * key never has to absorb a double click.
 */
import { create } from 'zustand';
import type { DialResult } from '@gestiona/core/ipc';
import { callApi } from '../api/client.ts';
import { ensureNoPendingWrapUp, useSessionStore } from './session.ts';

export interface DialOutcome {
  debtorId: string;
  contactPointId: string;
  result: DialResult;
}

interface DialStore {
  inFlight: { contactPointId: string; requestId: string } | null;
  outcome: DialOutcome | null;
  /** Spanish text of a refused or failed request (not a gate block, which is an outcome). */
  error: string | null;

  dial(debtorId: string, contactPointId: string): Promise<void>;
  clear(): void;
}

export const useDialStore = create<DialStore>()((set, get) => ({
  inFlight: null,
  outcome: null,
  error: null,

  async dial(debtorId, contactPointId) {
    if (!ensureNoPendingWrapUp()) return;
    if (get().inFlight) return;

    const requestId = crypto.randomUUID();
    set({ inFlight: { contactPointId, requestId }, outcome: null, error: null });
    const result = await callApi('contact:dial', { debtorId, contactPointId, requestId });
    set({ inFlight: null });

    if (!result.ok) {
      set({ error: result.error.message });
      // Main may know of a wrap-up this window missed (another window, a restart); fetch it.
      if (result.error.code === 'wrap-up-pending') await useSessionStore.getState().load();
      return;
    }

    set({ outcome: { debtorId, contactPointId, result: result.value } });
    if (result.value.outcome !== 'blocked') {
      // Main pushes the new session too; setting the wrap-up now closes the gap until that push.
      const session = useSessionStore.getState().state;
      if (session) useSessionStore.setState({ state: { ...session, wrapUp: result.value.wrapUp } });
    }
  },

  clear() {
    // A request in flight stays marked, so clearing the panel cannot re-enable its button.
    set({ outcome: null, error: null });
  },
}));
