/**
 * The agent's state at the desk, which the workstation derives and the team lead's board shows:
 * available, on a call, in wrap-up (the call ended and the typification is not saved yet) or paused
 * with a reason from a fixed list. The workstation stores the pause, so it survives a restart.
 */
import { z } from 'zod';
import { isoInstantSchema } from './domain.ts';
import { DESK_STATES, PAUSE_REASONS } from './desk-states.ts';

export * from './desk-states.ts';

export const pauseReasonSchema = z.enum(PAUSE_REASONS);
export const deskStateSchema = z.enum(DESK_STATES);

/** The agent's state at the workstation, returned by the `agent:*` channels. */
export const agentStatusSchema = z.object({
  state: deskStateSchema,
  /** When the agent entered `state`, ISO in -05:00; null when the workstation does not know. */
  since: isoInstantSchema.nullable(),
  /** Set only while `state` is `paused`. */
  pauseReason: pauseReasonSchema.nullable(),
  /** Full name of the team lead who paused the agent from the board; null or absent for the agent's own pause. */
  pausedBy: z.string().nullable().optional(),
  /** A pause that a team lead requested during a call or wrap-up. It starts when the typification is saved. Null or absent when none waits. */
  pendingPause: z.object({ reason: pauseReasonSchema, byName: z.string() }).nullable().optional(),
});
export type AgentStatus = z.infer<typeof agentStatusSchema>;
