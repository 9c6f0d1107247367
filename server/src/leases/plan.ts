/**
 * Assignment of unleased debtors to agents: each debtor, highest priority first, goes to the agent
 * with the fewest open leases; ties rotate round-robin, so agents with equal loads get debtors of
 * equal priority in turn.
 */

export interface AgentLoad {
  agentId: string;
  openLeases: number;
}

export interface Assignment {
  debtorId: string;
  agentId: string;
}

/** `debtorIds` must already be in priority order (highest first); `agents` in a fixed order (e.g. by username). */
export function planAssignments(debtorIds: readonly string[], agents: readonly AgentLoad[]): Assignment[] {
  if (agents.length === 0) return [];

  const loads = agents.map((agent) => agent.openLeases);
  let next = 0;
  const assignments: Assignment[] = [];

  for (const debtorId of debtorIds) {
    let chosen = -1;
    for (let offset = 0; offset < agents.length; offset += 1) {
      const candidate = (next + offset) % agents.length;
      if (chosen === -1 || loads[candidate]! < loads[chosen]!) chosen = candidate;
    }
    assignments.push({ debtorId, agentId: agents[chosen]!.agentId });
    loads[chosen] = loads[chosen]! + 1;
    next = (chosen + 1) % agents.length;
  }
  return assignments;
}
