/**
 * Where main keeps the session secrets; the renderer never sees them. One stored string holds the
 * session token and the renewal token together (`encodeSessionSecrets`), so both are encrypted the
 * same way: safeStorage in Electron, an AES-256-GCM file in browser mode.
 */
import { z } from 'zod';

export interface SecretStore {
  get(): Promise<string | null>;
  set(token: string): Promise<void>;
  clear(): Promise<void>;
}

export interface SessionSecrets {
  token: string;
  /** Null when the server issued none (a server without renewal, or a token stored by an earlier version). */
  renewalToken: string | null;
}

const storedSecretsSchema = z.object({
  v: z.literal(1),
  token: z.string().min(1),
  renewalToken: z.string().min(1).nullable(),
});

export function encodeSessionSecrets(secrets: SessionSecrets): string {
  return JSON.stringify({ v: 1, token: secrets.token, renewalToken: secrets.renewalToken });
}

/**
 * Reads what `encodeSessionSecrets` wrote. A bare token, as earlier versions stored it, comes back
 * without a renewal token; anything else unreadable returns null, so the agent signs in again.
 */
export function decodeSessionSecrets(stored: string | null): SessionSecrets | null {
  if (stored === null || stored.trim() === '') return null;
  if (!stored.trimStart().startsWith('{')) return { token: stored.trim(), renewalToken: null };

  let raw: unknown;
  try {
    raw = JSON.parse(stored);
  } catch {
    return null;
  }
  const parsed = storedSecretsSchema.safeParse(raw);
  return parsed.success ? { token: parsed.data.token, renewalToken: parsed.data.renewalToken } : null;
}
