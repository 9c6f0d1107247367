/**
 * State of the team lead's actions on the board: the server's pending reassignments and offline
 * alerts, the outcome of the last action, the reassignment form's source agent and the debtor
 * whose timeline is open. Every action goes through main to the server.
 */
import { create } from 'zustand';
import type { BoardActions, DebtorTimeline } from '@gestiona/core/board';
import type { PauseReason } from '@gestiona/core/desk-states';
import type { Result } from '@gestiona/core/result';
import { callApi } from '../../../api/client.ts';

interface BoardActionsStore {
  actions: BoardActions | null;
  loadError: string | null;
  /** Spanish text of the last action's outcome, or of its error. */
  notice: { kind: 'ok' | 'error'; text: string } | null;
  busy: boolean;
  /** The agent whose debtors the reassignment form lists; null while the form is closed. */
  reassignFrom: string | null;
  timeline: { debtorId: string; data: DebtorTimeline | null; error: string | null } | null;

  load(): Promise<void>;
  pause(agentId: string, reason: PauseReason): Promise<void>;
  resume(agentId: string): Promise<void>;
  reassign(debtorIds: string[], toAgentId: string): Promise<boolean>;
  openReassign(agentId: string): void;
  closeReassign(): void;
  openTimeline(debtorId: string): Promise<void>;
  closeTimeline(): void;
}

export const useBoardActionsStore = create<BoardActionsStore>()((set, get) => {
  /** Runs an action, shows its message or error, and reads the action state again. Returns whether it succeeded. */
  async function act<T>(call: Promise<Result<T>>, messageOf: (value: T) => string): Promise<boolean> {
    set({ busy: true, notice: null });
    const result = await call;
    set({ busy: false, notice: result.ok ? { kind: 'ok', text: messageOf(result.value) } : { kind: 'error', text: result.error.message } });
    void get().load();
    return result.ok;
  }

  return {
    actions: null,
    loadError: null,
    notice: null,
    busy: false,
    reassignFrom: null,
    timeline: null,

    async load() {
      const result = await callApi('board:actions', {});
      if (result.ok) set({ actions: result.value, loadError: null });
      else set({ loadError: result.error.message });
    },
    async pause(agentId, reason) {
      await act(callApi('board:pause-agent', { agentId, reason }), (value) => value.message);
    },
    async resume(agentId) {
      await act(callApi('board:resume-agent', { agentId }), (value) => value.message);
    },
    reassign(debtorIds, toAgentId) {
      return act(callApi('board:reassign', { debtorIds, toAgentId }), (rows) => {
        const pending = rows.filter((row) => row.state === 'pending').length;
        const moved = rows.length - pending;
        return `Reasignación registrada: ${moved} ${moved === 1 ? 'deudor pasó' : 'deudores pasaron'} al nuevo agente y ${pending} ${pending === 1 ? 'queda' : 'quedan'} pendiente${pending === 1 ? '' : 's'} de reasignación.`;
      });
    },
    openReassign: (agentId) => set({ reassignFrom: agentId }),
    closeReassign: () => set({ reassignFrom: null }),
    async openTimeline(debtorId) {
      set({ timeline: { debtorId, data: null, error: null } });
      const result = await callApi('board:debtor-timeline', { debtorId });
      // A later click may have opened another debtor meanwhile.
      if (get().timeline?.debtorId !== debtorId) return;
      set({ timeline: result.ok ? { debtorId, data: result.value, error: null } : { debtorId, data: null, error: result.error.message } });
    },
    closeTimeline: () => set({ timeline: null }),
  };
});
