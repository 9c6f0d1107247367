/**
 * Names, reasons and limits of the agent's desk states, without zod, so that the renderer can import
 * them as values under its strict Content Security Policy. The schemas live in `agent-state.ts`.
 */

/** Reasons an agent may give for a pause, as the agent and the team lead read them. */
export const PAUSE_REASONS = ['Almuerzo', 'Descanso', 'Capacitación', 'Reunión', 'Baño', 'Otro'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const DESK_STATES = ['available', 'on-call', 'wrap-up', 'paused'] as const;
export type DeskState = (typeof DESK_STATES)[number];

/**
 * `available`: signed in with no contact left to typify. `on-call`: a contact was placed and the agent
 * has not marked the call ended. `wrap-up`: a placed contact still needs its typification. `paused`:
 * the agent took a pause with a reason. `offline`: no workstation of the agent has a socket open to
 * the server.
 */
export const BOARD_AGENT_STATES = ['available', 'on-call', 'wrap-up', 'paused', 'offline'] as const;
export type BoardAgentState = (typeof BOARD_AGENT_STATES)[number];

/** Spanish (es-CO) names of the agent states, on the board and in its exported files. */
export const BOARD_AGENT_STATE_LABELS: Readonly<Record<BoardAgentState, string>> = {
  available: 'Disponible',
  'on-call': 'En llamada',
  'wrap-up': 'En cierre de gestión',
  paused: 'En pausa',
  offline: 'Sin conexión',
};

/** Time in a state, in ms, past which the board shows the agent's row amber, and then red. */
export interface StateLimit {
  amberMs: number;
  redMs: number;
}

const MINUTE_MS = 60_000;

/**
 * The board's limits per state. A wrap-up is a form of a few fields, so more than 2 minutes
 * suggests the agent is stuck, and more than 5 minutes needs the team lead. A pause of 15 minutes
 * is a usual break, and 30 minutes is a lunch. These are estimates, kept here so that they change
 * in one place. Calls, availability and offline have no limit, because their length depends on the
 * debtor and on the network.
 */
export const AGENT_STATE_LIMITS: Readonly<Partial<Record<DeskState | 'offline', StateLimit>>> = {
  'wrap-up': { amberMs: 2 * MINUTE_MS, redMs: 5 * MINUTE_MS },
  paused: { amberMs: 15 * MINUTE_MS, redMs: 30 * MINUTE_MS },
};

export type LimitLevel = 'normal' | 'amber' | 'red';

/** Returns how far past its limit a state is; `normal` when the state has no limit or its start is unknown. */
export function limitLevel(state: string, sinceIso: string | null, nowIso: string): LimitLevel {
  const limit = (AGENT_STATE_LIMITS as Record<string, StateLimit | undefined>)[state];
  if (limit === undefined || sinceIso === null) return 'normal';
  const elapsedMs = Date.parse(nowIso) - Date.parse(sinceIso);
  if (!Number.isFinite(elapsedMs)) return 'normal';
  if (elapsedMs > limit.redMs) return 'red';
  if (elapsedMs > limit.amberMs) return 'amber';
  return 'normal';
}
