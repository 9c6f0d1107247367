/**
 * The state a workstation reports about itself (`state:report`): a small flat object of agent
 * state, outbox backlog and the like. The server keeps the latest one per workstation for the team
 * lead's board. The keys are not fixed yet, so the schema bounds only the size and the value types.
 */
import { z } from 'zod';

export const MAX_STATE_KEYS = 32;

export const workstationStateSchema = z
  .record(z.string().min(1).max(64), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((state) => Object.keys(state).length <= MAX_STATE_KEYS, { message: `at most ${MAX_STATE_KEYS} keys` });

export type WorkstationState = z.infer<typeof workstationStateSchema>;
