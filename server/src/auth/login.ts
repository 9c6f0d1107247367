/** Checks a username and password and opens a session chain for one workstation. */
import { toBogotaIso } from '@gestiona/core/format';
import type { LoginResponse } from '@gestiona/core/sync';
import type { LiveSession, ServerStore } from '../store/types.ts';
import { decoyPasswordHash, verifyPassword } from './password.ts';
import { DEFAULT_RENEWAL_LIFETIME_MS, hashToken, newRenewalToken, newSessionToken, SESSION_LIFETIME_MS } from './tokens.ts';

export const WRONG_CREDENTIALS_MESSAGE = 'Usuario o contraseña incorrectos.';

/**
 * Returns the session and renewal token for valid credentials of an active user, or null; both
 * paths run one scrypt.
 */
export async function authenticate(
  store: ServerStore,
  request: { username: string; password: string; workstationId: string },
  now: Date,
  renewalLifetimeMs: number = DEFAULT_RENEWAL_LIFETIME_MS,
): Promise<LoginResponse | null> {
  const credentials = await store.findCredentials(request.username);
  const matches = await verifyPassword(request.password, credentials?.passwordHash ?? (await decoyPasswordHash()));
  if (!credentials || !credentials.active || !matches) return null;

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
  return { token, expiresAt: toBogotaIso(expiresAt), user: credentials.user, renewalToken, renewalExpiresAt: toBogotaIso(renewalExpiresAt) };
}

export function findLiveSession(store: ServerStore, token: string, now: Date): Promise<LiveSession | null> {
  return store.findSession(hashToken(token), now);
}
