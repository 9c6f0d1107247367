/** Status-bar text and notices for a session that runs without the server. */
import type { SessionState } from '@gestiona/core/ipc';
import { showDateTime } from '../../display.ts';

/**
 * Returns "Sesión sin conexión hasta dd/mm/aaaa hh:mm" for an offline session, "Sesión sin conexión
 * vencida el dd/mm/aaaa hh:mm" once `nowIso` (the trusted time) reached that end, or null for a
 * server session.
 */
export function offlineSessionLabel(offlineUntil: string | null | undefined, nowIso: string): string | null {
  if (!offlineUntil) return null;
  const expired = Date.parse(nowIso) >= Date.parse(offlineUntil);
  return expired ? `Sesión sin conexión vencida el ${showDateTime(offlineUntil)}` : `Sesión sin conexión hasta ${showDateTime(offlineUntil)}`;
}

/** Tooltip of that text: what is missing and what the agent does about it. */
export const OFFLINE_SESSION_HINT =
  'Sin sesión con el servidor central, los registros se guardan en este equipo. Cuando el servidor esté disponible, un aviso le pedirá su contraseña para enviarlos.';

export const SERVER_AVAILABLE_NOTICE = 'El servidor está disponible: ingrese su contraseña para sincronizar';

/** Returns whether to ask the signed-in agent for the password: the session has no server tokens and main reached the server. */
export function needsReauthentication(state: Pick<SessionState, 'user' | 'offlineUntil' | 'serverReachable'> | null): boolean {
  return state !== null && state.user !== null && Boolean(state.offlineUntil) && state.serverReachable === true;
}
