/** Session and renewal tokens: opaque random strings handed to the workstation; the server keeps only their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

/** Sessions last one working day plus margin: 12 hours. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/**
 * Renewal tokens last 7 days by default. Branch offices stay offline for up to 72 hours, and a
 * workstation switched off over a long weekend with a Monday holiday (festivo) is idle for 4 days.
 * So 7 days lets a workstation back from either renew without its agent's password. A copy left
 * on an abandoned or stolen machine stops working a week after it was issued.
 */
export const DEFAULT_RENEWAL_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** 32 random bytes, base64url: 43 characters. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Same form as a session token; only the table it is stored in distinguishes them. */
export const newRenewalToken = newSessionToken;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
