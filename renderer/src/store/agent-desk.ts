/**
 * The agent's own desk state (available, on a call, in wrap-up, paused) as main last returned it,
 * and the error of the last change the agent asked for.
 */
import { create } from 'zustand';
import type { AgentStatus, PauseReason } from '@gestiona/core/agent-state';
import type { Result } from '@gestiona/core/result';
import { callApi, subscribePush } from '../api/client.ts';

interface AgentDeskStore {
  status: AgentStatus | null;
  error: string | null;

  load(): Promise<void>;
  pause(reason: PauseReason): Promise<void>;
  resume(): Promise<void>;
  endCall(attemptId: string): Promise<void>;
}

export const useAgentDeskStore = create<AgentDeskStore>()((set) => {
  const apply = async (change: Promise<Result<AgentStatus>>): Promise<void> => {
    set({ error: null });
    const result = await change;
    if (result.ok) set({ status: result.value });
    else set({ error: result.error.message });
  };

  return {
    status: null,
    error: null,

    async load() {
      const result = await callApi('agent:status', {});
      if (result.ok) set({ status: result.value });
    },
    pause: (reason) => apply(callApi('agent:pause', { reason })),
    resume: () => apply(callApi('agent:resume', {})),
    endCall: (attemptId) => apply(callApi('agent:call-ended', { attemptId })),
  };
});

/** Loads the state now and again on every session push, which follows each dial and typification. Returns the stop function. */
export function followAgentDesk(): () => void {
  void useAgentDeskStore.getState().load();
  const stopPush = subscribePush((message) => {
    if (message.type === 'session') void useAgentDeskStore.getState().load();
  });
  return () => {
    stopPush();
    // The next agent to sign in must not see this one's state before the first load.
    useAgentDeskStore.setState({ status: null, error: null });
  };
}
