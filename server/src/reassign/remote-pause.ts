/**
 * A team lead's pause or resume of an agent, sent over socket.io to every workstation the agent has
 * connected. The workstation applies it at once, or after the typification is saved while the
 * agent is on a call or in wrap-up. Its acknowledgement says which of the two it did. An agent
 * without a connected workstation cannot be paused from the board, because nothing would apply the
 * pause, and a pause that arrived hours later would surprise the agent.
 */
import type { Server } from 'socket.io';
import type { RemotePauseResult } from '@gestiona/core/board';
import type { PauseReason } from '@gestiona/core/agent-state';
import { toBogotaIso } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';
import { remotePauseAckSchema, SOCKET_EVENTS, type RemotePauseRequest, type User } from '@gestiona/core/sync';
import type { Logger } from '../logger.ts';
import { agentRoom } from '../socket.ts';

/** How long the server waits for the workstations' acknowledgements, in ms. A connected workstation replies within a round trip. */
export const REMOTE_PAUSE_ACK_TIMEOUT_MS = 5_000;

const OUTCOME_ORDER = ['paused', 'deferred', 'resumed', 'unchanged'] as const;

export interface RemotePauseInput {
  io: Server;
  agent: User;
  lead: User;
  action: 'pause' | 'resume';
  reason: PauseReason | null;
  now: Date;
  logger: Logger;
}

/** Sends the request and returns what the agent's workstations did. Throws `AppError` `conflict` or `offline` when none applied it. */
export async function sendRemotePause(input: RemotePauseInput): Promise<RemotePauseResult> {
  const { io, agent, lead, action, reason, logger } = input;
  const room = agentRoom(agent.id);
  const sockets = await io.in(room).fetchSockets();
  if (sockets.length === 0) {
    logger.info({ agentId: agent.id, leadId: lead.id, action }, 'remote pause: agent offline');
    throw new AppError('conflict', `${agent.fullName} no tiene la estación conectada al servidor, así que no se pudo ${action === 'pause' ? 'pausar' : 'reanudar'}. Intente de nuevo cuando aparezca conectada.`);
  }

  const request: RemotePauseRequest = { action, agentId: agent.id, reason, byName: lead.fullName, requestedAt: toBogotaIso(input.now) };
  let responses: unknown[];
  try {
    responses = await io.to(room).timeout(REMOTE_PAUSE_ACK_TIMEOUT_MS).emitWithAck(SOCKET_EVENTS.remotePause, request);
  } catch (error) {
    logger.warn({ err: error, agentId: agent.id, leadId: lead.id, action }, 'remote pause: acknowledgement timed out');
    throw new AppError('offline', `La estación de ${agent.fullName} no respondió a tiempo. Revise su conexión e intente de nuevo.`);
  }

  const acks = responses.map((response) => remotePauseAckSchema.safeParse(response)).flatMap((parsed) => (parsed.success ? [parsed.data] : []));
  const outcomes = acks.flatMap((ack) => (ack.ok ? [ack.outcome] : []));
  const outcome = OUTCOME_ORDER.find((candidate) => outcomes.includes(candidate));
  if (outcome === undefined) {
    const refusal = acks.find((ack) => !ack.ok);
    logger.warn({ agentId: agent.id, leadId: lead.id, action, responses: responses.length }, 'remote pause: no workstation applied it');
    throw new AppError('conflict', refusal && !refusal.ok ? refusal.error : `La estación de ${agent.fullName} no aplicó el cambio. Intente de nuevo.`);
  }
  logger.info({ agentId: agent.id, leadId: lead.id, action, reason, outcome, workstations: responses.length }, 'remote pause: done');
  return { agentId: agent.id, outcome, message: outcomeMessage(agent.fullName, action, reason, outcome) };
}

/** Returns the Spanish text for the team lead of what the pause or resume did. */
export function outcomeMessage(agentName: string, action: 'pause' | 'resume', reason: PauseReason | null, outcome: RemotePauseResult['outcome']): string {
  switch (outcome) {
    case 'paused':
      return `${agentName} quedó en pausa (${reason ?? 'Otro'}).`;
    case 'deferred':
      return `${agentName} está en una llamada o cerrando una gestión: la pausa (${reason ?? 'Otro'}) empieza cuando guarde la tipificación.`;
    case 'resumed':
      return `${agentName} quedó disponible.`;
    case 'unchanged':
      return action === 'pause' ? `${agentName} ya estaba en pausa.` : `${agentName} no estaba en pausa.`;
  }
}
