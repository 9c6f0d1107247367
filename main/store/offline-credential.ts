/**
 * Offline sign-in: the agent who last signed in online on this workstation may sign in again
 * without the server, for a limited time, with a password checked against a local verifier.
 *
 * The verifier (scrypt, see `offline-verifier.ts`) and the count of wrong offline passwords live
 * in the local SQLite database, in the one-row table `offline_sign_in`. Only the last agent to
 * sign in online has a verifier, because only that agent's debtors are on this machine.
 */
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import { isoInstantSchema } from '@gestiona/core/domain';
import { AppError } from '@gestiona/core/result';
import { userSchema, type User } from '@gestiona/core/sync';
import { createVerifier, matchesVerifier } from './offline-verifier.ts';

const HOUR_MS = 60 * 60 * 1000;

/**
 * How long after the last online sign-in an agent may still sign in offline: 72 hours, the longest
 * a branch office is expected to work without the server. Past it, the server must confirm again
 * that the account is still enabled and the password unchanged.
 */
export const DEFAULT_OFFLINE_ALLOWANCE_MS = 72 * HOUR_MS;

/** Wrong offline passwords within `windowMs` that lock offline sign-in for `lockMs`; like the server's per-username lockout. */
export const OFFLINE_LOCKOUT = { maxFailures: 5, windowMs: 15 * 60 * 1000, lockMs: 15 * 60 * 1000 } as const;

interface OfflineCredential {
  user: User;
  verifier: string;
  /** Trusted time of the last online sign-in, ISO. */
  signedInOnlineAt: string;
}

interface Failures {
  /** Trusted times of the wrong passwords still inside the window, epoch ms. */
  failures: number[];
  lockedUntil: number | null;
}

interface Row {
  user_json: string;
  verifier: string;
  signed_in_online_at: string;
  failures: string;
  locked_until_ms: number | null;
}

export const OFFLINE_MESSAGES = {
  neverOnline: (serverUrl: string) =>
    `No hay conexión con el servidor central (${serverUrl}). Sin conexión solo puede ingresar quien inició sesión en línea en esta estación ` +
    'la última vez; este usuario necesita el servidor. Verifique la red e intente de nuevo.',
  allowanceOver: (serverUrl: string, signedInOnlineAt: string, until: string) =>
    `No hay conexión con el servidor central (${serverUrl}). Su último ingreso en línea fue el ${formatDateTime(signedInOnlineAt)} ` +
    `y el ingreso sin conexión solo vale hasta el ${formatDateTime(until)}. Conéctese a la red para iniciar sesión con el servidor.`,
  locked: (until: number) =>
    `Demasiados intentos fallidos sin conexión. El ingreso sin conexión queda bloqueado hasta el ${formatDateTime(toBogotaIso(until))}.`,
  wrongCredentials: 'Usuario o contraseña incorrectos.',
} as const;

export class OfflineSignIn {
  private readonly select: Statement<[], Row>;
  private readonly replace: Statement<[string, string, string]>;
  private readonly setFailures: Statement<[string, number | null]>;
  private readonly remove: Statement<[]>;
  readonly allowanceMs: number;

  constructor(db: Database, allowanceMs: number = DEFAULT_OFFLINE_ALLOWANCE_MS) {
    if (!(allowanceMs > 0)) throw new Error(`offlineAllowanceMs must be positive, got ${allowanceMs}`);
    this.allowanceMs = allowanceMs;
    this.select = db.prepare('SELECT user_json, verifier, signed_in_online_at, failures, locked_until_ms FROM offline_sign_in WHERE id = 1');
    this.replace = db.prepare('INSERT OR REPLACE INTO offline_sign_in (id, user_json, verifier, signed_in_online_at) VALUES (1, ?, ?, ?)');
    this.setFailures = db.prepare('UPDATE offline_sign_in SET failures = ?, locked_until_ms = ? WHERE id = 1');
    this.remove = db.prepare('DELETE FROM offline_sign_in');
  }

  /** Stores a new verifier after an online sign-in; it replaces any other user's and clears the failure count. */
  async remember(user: User, password: string, now: number): Promise<void> {
    const verifier = await createVerifier(password);
    this.replace.run(JSON.stringify(user), verifier, toBogotaIso(now));
  }

  /** Deletes the verifier, so that nobody can sign in offline until the next online sign-in. */
  forget(): void {
    this.remove.run();
  }

  /** Returns the end of the offline allowance of this user (ISO), or null when the user has no verifier here. */
  allowanceEnd(userId: string): string | null {
    const credential = this.credential();
    if (!credential || credential.user.id !== userId) return null;
    return toBogotaIso(Date.parse(credential.signedInOnlineAt) + this.allowanceMs);
  }

  /**
   * Checks a username and password without the server. Returns the user and the end of the
   * allowance, or throws an AppError in Spanish that says why the server is needed.
   */
  async verify(username: string, password: string, now: number, serverUrl: string): Promise<{ user: User; offlineUntil: string }> {
    const failures = this.failures(now);
    if (failures.lockedUntil !== null) throw new AppError('not-authenticated', OFFLINE_MESSAGES.locked(failures.lockedUntil));

    const credential = this.credential();
    const sameUser = credential !== null && credential.user.username === username.trim().toLowerCase();
    // The verifier runs for an unknown username too, so both outcomes take about as long.
    const matches = await matchesVerifier(password, credential?.verifier ?? '');
    if (!sameUser || credential === null) throw new AppError('offline', OFFLINE_MESSAGES.neverOnline(serverUrl));

    if (!matches) {
      const lockedUntil = this.recordFailure(failures, now);
      throw new AppError('not-authenticated', lockedUntil === null ? OFFLINE_MESSAGES.wrongCredentials : OFFLINE_MESSAGES.locked(lockedUntil));
    }

    const until = Date.parse(credential.signedInOnlineAt) + this.allowanceMs;
    if (now >= until) throw new AppError('offline', OFFLINE_MESSAGES.allowanceOver(serverUrl, credential.signedInOnlineAt, toBogotaIso(until)));

    this.setFailures.run('[]', null);
    return { user: credential.user, offlineUntil: toBogotaIso(until) };
  }

  /** Reads the stored credential; null when there is none or its row cannot be read, so the server is needed. */
  private credential(): OfflineCredential | null {
    const row = this.select.get();
    if (!row) return null;
    const user = userSchema.safeParse(parseJson(row.user_json));
    if (!user.success || !isoInstantSchema.safeParse(row.signed_in_online_at).success) return null;
    return { user: user.data, verifier: row.verifier, signedInOnlineAt: row.signed_in_online_at };
  }

  /** Reads the stored failures still inside the window, and the lock if it still runs. */
  private failures(now: number): Failures {
    const row = this.select.get();
    const stored = z.array(z.number()).safeParse(parseJson(row?.failures ?? '[]'));
    const lockedUntil = row?.locked_until_ms ?? null;
    return {
      failures: (stored.success ? stored.data : []).filter((at) => at <= now && now - at < OFFLINE_LOCKOUT.windowMs),
      lockedUntil: lockedUntil !== null && lockedUntil > now ? lockedUntil : null,
    };
  }

  /** Counts a wrong password and returns the end of the lock it starts, or null. */
  private recordFailure(current: Failures, now: number): number | null {
    const failures = [...current.failures, now];
    const locks = failures.length >= OFFLINE_LOCKOUT.maxFailures;
    const next: Failures = locks ? { failures: [], lockedUntil: now + OFFLINE_LOCKOUT.lockMs } : { failures, lockedUntil: null };
    this.setFailures.run(JSON.stringify(next.failures), next.lockedUntil);
    return next.lockedUntil;
  }
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}
