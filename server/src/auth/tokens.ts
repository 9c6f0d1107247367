/** Session tokens: opaque random strings handed to the workstation; the server keeps only their SHA-256. */
import { createHash, randomBytes } from 'node:crypto';

/** Sessions last one working day plus margin: 12 hours. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

/** 32 random bytes, base64url: 43 characters. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
