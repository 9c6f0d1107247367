/**
 * The state a workstation reports about itself (`state:report`): a small flat object of agent
 * state, outbox backlog and the like. The server keeps the latest one per workstation for the team
 * lead's board. The keys are not fixed yet, so the schema bounds only the size and the value types.
 */
import { pauseReasonSchema } from '@gestiona/core/agent-state';
import { isoInstantSchema } from '@gestiona/core/domain';
import { z } from 'zod';

export const MAX_STATE_KEYS = 32;

export const workstationStateSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((state) => Object.keys(state).length <= MAX_STATE_KEYS, { message: `at most ${MAX_STATE_KEYS} keys` });

export type WorkstationState = z.infer<typeof workstationStateSchema>;

const reportedDeskSchema = z.object({
  agentState: z.enum(['available', 'on-call', 'wrap-up', 'paused']),
  agentStateSince: isoInstantSchema.nullable().catch(null),
  pauseReason: pauseReasonSchema.nullable().catch(null),
});
export type ReportedDesk = z.infer<typeof reportedDeskSchema>;

/**
 * Reads the desk state keys of a report: `agentState`, `agentStateSince` and `pauseReason`. Returns
 * null for `signed-out` and for a missing or unknown state. A missing or invalid start or reason
 * becomes null, because workstations built before them report only `available` or `wrap-up`.
 */
export function reportedDesk(state: WorkstationState | null): ReportedDesk | null {
  const parsed = reportedDeskSchema.safeParse(state ?? {});
  return parsed.success ? parsed.data : null;
}
