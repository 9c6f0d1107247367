/** Session chain writes, each run inside one store transaction. */
import { randomUUID } from 'node:crypto';
import type { Tables } from './tables.ts';
import type { NewSessionChain, RenewalOutcome, SessionOwner, SessionRenewal } from './types.ts';

export async function openSessionChain(tables: Tables, input: NewSessionChain): Promise<string> {
  const chainId = randomUUID();
  await tables.users.chains.createChain(chainId, input.userId, input.workstationId, input.now);
  await tables.users.createSession({
    tokenHash: input.sessionTokenHash,
    userId: input.userId,
    workstationId: input.workstationId,
    createdAt: input.now,
    expiresAt: input.sessionExpiresAt,
    chainId,
  });
  await tables.users.chains.addRenewalToken(input.renewalTokenHash, chainId, input.now, input.renewalExpiresAt);
  return chainId;
}

/**
 * Rotates a renewal token. The checks run in this order so that a stolen copy is caught whatever
 * else is wrong with it. A revoked chain stays revoked. A token presented by another workstation,
 * or a second time, revokes its chain. Only then do expiry and the user's state count.
 */
export async function renewSession(tables: Tables, input: SessionRenewal): Promise<RenewalOutcome> {
  const { chains } = tables.users;
  const token = await chains.findRenewalToken(input.renewalTokenHash);
  if (!token) return { status: 'unknown' };

  const ids = { chainId: token.chainId, userId: token.user.id, workstationId: token.workstationId };
  // A disabled user's chains were revoked with it; saying so lets the workstation also drop its offline sign-in.
  if (token.revokedAt !== null) return { status: token.userActive ? 'revoked' : 'user-inactive', ...ids };
  if (token.workstationId !== input.workstationId) {
    await chains.revokeChain(token.chainId, 'wrong-workstation', input.now);
    return { status: 'wrong-workstation', ...ids };
  }
  if (token.retiredAt !== null) return revokeReused(tables, ids, input.now);
  if (token.expiresAt <= input.now.toISOString()) return { status: 'expired', ...ids };
  if (!token.userActive) return { status: 'user-inactive', ...ids };
  // Conditional, so that of two renewals racing with one token only the first gets a session.
  if (!(await chains.retireRenewalToken(input.renewalTokenHash, input.now))) return revokeReused(tables, ids, input.now);

  await tables.users.createSession({
    tokenHash: input.nextSessionTokenHash,
    userId: token.user.id,
    workstationId: token.workstationId,
    createdAt: input.now,
    expiresAt: input.sessionExpiresAt,
    chainId: token.chainId,
  });
  await chains.addRenewalToken(input.nextRenewalTokenHash, token.chainId, input.now, input.renewalExpiresAt);
  return { status: 'renewed', user: token.user, chainId: token.chainId };
}

async function revokeReused(tables: Tables, ids: { chainId: string; userId: string; workstationId: string }, now: Date): Promise<RenewalOutcome> {
  await tables.users.chains.revokeChain(ids.chainId, 'renewal-reused', now);
  return { status: 'reused', ...ids };
}

export async function revokeSession(tables: Tables, tokenHash: string, now: Date): Promise<SessionOwner | null> {
  const owner = await tables.users.chains.sessionOwner(tokenHash);
  if (!owner) return null;
  if (owner.chainId !== null) await tables.users.chains.revokeChain(owner.chainId, 'logout', now);
  await tables.users.chains.expireSession(tokenHash, now);
  return owner;
}
