/**
 * Session state as main reports it: the signed-in agent, the pending wrap-up, the sync status and
 * the trusted time. Main owns all of it, and this store mirrors the newest state it received.
 * The newest is not always the last to arrive, because a push can overtake a `session:get` reply.
 */
import { create } from 'zustand';
import type { SessionRevision, SessionState } from '@gestiona/core/ipc';
import { callApi } from '../api/client.ts';

export const WRAP_UP_REQUIRED_MESSAGE = 'Debe tipificar la gestión antes de continuar.';

interface SessionStore {
  /** Null until the first `session:get` returns. */
  state: SessionState | null;
  /** Error of the first load, shown instead of the login form. */
  loadError: string | null;
  /** Trusted minus local clock, in milliseconds, measured when the last state arrived. */
  clockOffsetMs: number;
  /** Refusal shown when the agent tries to leave a pending wrap-up. */
  guardMessage: string | null;
  /** Error of the last logout or manual sync, shown in the status bar. */
  actionError: string | null;

  applyState(state: SessionState): void;
  load(): Promise<void>;
  login(username: string, password: string): Promise<string | null>;
  logout(): Promise<void>;
  syncNow(): Promise<void>;
  clearGuardMessage(): void;
}

export const useSessionStore = create<SessionStore>()((set, get) => ({
  state: null,
  loadError: null,
  clockOffsetMs: 0,
  guardMessage: null,
  actionError: null,

  applyState(state) {
    const current = get().state;
    if (current && isOlder(state.revision, current.revision)) return;
    const offset = Date.parse(state.now) - Date.now();
    const wrapUpCleared = state.wrapUp === null;
    set({
      state,
      clockOffsetMs: Number.isFinite(offset) ? offset : 0,
      guardMessage: wrapUpCleared ? null : get().guardMessage,
    });
  },

  async load() {
    const result = await callApi('session:get', {});
    if (!result.ok) {
      set({ loadError: result.error.message });
      return;
    }
    set({ loadError: null });
    get().applyState(result.value);
  },

  async login(username, password) {
    const result = await callApi('auth:login', { username, password });
    if (!result.ok) return result.error.message;
    get().applyState(result.value);
    return null;
  },

  async logout() {
    const result = await callApi('auth:logout', {});
    if (!result.ok) {
      set({ actionError: result.error.message });
      return;
    }
    set({ actionError: null, guardMessage: null });
    get().applyState(result.value);
  },

  async syncNow() {
    const result = await callApi('sync:now', {});
    if (!result.ok) {
      set({ actionError: result.error.message });
      return;
    }
    const latest = get().state;
    set({ actionError: null, state: latest ? { ...latest, sync: result.value } : latest });
  },

  clearGuardMessage() {
    set({ guardMessage: null });
  },
}));

/**
 * Checks that no wrap-up is pending before the agent leaves the current contact. When one is
 * pending, it shows the refusal and returns false. Main rejects the same actions, so this check only
 * saves a round trip and keeps the screen truthful.
 */
export function ensureNoPendingWrapUp(): boolean {
  const { state } = useSessionStore.getState();
  if (state?.wrapUp) {
    useSessionStore.setState({ guardMessage: WRAP_UP_REQUIRED_MESSAGE });
    return false;
  }
  return true;
}

/** True when `candidate` was built by the same run of main before `current`, so it must not replace it. */
function isOlder(candidate: SessionRevision, current: SessionRevision): boolean {
  return candidate.boot === current.boot && candidate.seq < current.seq;
}

/** Trusted time now as ISO, derived from the last state main sent and the local clock since then. */
export function trustedNowIso(offsetMs: number): string {
  return new Date(Date.now() + offsetMs).toISOString();
}
