/** Checks a username and password and opens a session chain for one workstation. */
import { toBogotaIso } from '@gestiona/core/format';
import type { LoginResponse } from '@gestiona/core/sync';
import type { LiveSession, ServerStore } from '../store/types.ts';
import { decoyPasswordHash, verifyPassword } from './password.ts';
import { DEFAULT_RENEWAL_LIFETIME_MS, hashToken, newRenewalToken, newSessionToken, SESSION_LIFETIME_MS } from './tokens.ts';

export const WRONG_CREDENTIALS_MESSAGE = 'Usuario o contraseña incorrectos.';

/**
 * Sent only with the right password, so a caller without the password cannot learn that the
 * account exists. The body has the shape of a renewal refusal (`renewRefusalSchema`), so the
 * workstation parses both alike.
 */
export const USER_DISABLED_MESSAGE =
  'Su usuario está deshabilitado en el servidor central. Pida a su supervisor que lo habilite de nuevo; mientras tanto no puede iniciar sesión.';

export type AuthenticationResult = { ok: true; response: LoginResponse } | { ok: false; reason: 'wrong-credentials' | 'user-disabled' };

/**
 * Opens a session chain and returns its session and renewal token for valid credentials of an
 * active user. A disabled user with the right password gets `user-disabled` and no session. Every
 * path runs one scrypt.
 */
export async function authenticate(
  store: ServerStore,
  request: { username: string; password: string; workstationId: string },
  now: Date,
  renewalLifetimeMs: number = DEFAULT_RENEWAL_LIFETIME_MS,
): Promise<AuthenticationResult> {
  const credentials = await store.findCredentials(request.username);
  const matches = await verifyPassword(request.password, credentials?.passwordHash ?? (await decoyPasswordHash()));
  if (!credentials || !matches) return { ok: false, reason: 'wrong-credentials' };
  if (!credentials.active) return { ok: false, reason: 'user-disabled' };

  const token = newSessionToken();
  const renewalToken = newRenewalToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  const renewalExpiresAt = new Date(now.getTime() + renewalLifetimeMs);
  await store.openSessionChain({
    userId: credentials.user.id,
    workstationId: request.workstationId,
    sessionTokenHash: hashToken(token),
    sessionExpiresAt: expiresAt,
    renewalTokenHash: hashToken(renewalToken),
    renewalExpiresAt,
    now,
  });
  return { ok: true, response: { token, expiresAt: toBogotaIso(expiresAt), user: credentials.user, renewalToken, renewalExpiresAt: toBogotaIso(renewalExpiresAt) } };
}

export function findLiveSession(store: ServerStore, token: string, now: Date): Promise<LiveSession | null> {
  return store.findSession(hashToken(token), now);
}
