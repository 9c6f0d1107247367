import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AppError } from '@gestiona/core/result';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { TEST_AGENT, makeTempDir, removeDir } from '../test-support/workstation.ts';
import { DEFAULT_OFFLINE_ALLOWANCE_MS, OFFLINE_LOCKOUT, OFFLINE_MESSAGES, OfflineSignIn } from './offline-credential.ts';

const PASSWORD = 'clave-segura-1';
const SERVER = 'http://127.0.0.1:4780';
const SIGNED_IN_AT = Date.parse('2026-03-03T10:00:00-05:00');
const HOUR = 60 * 60 * 1000;
const MINUTE = 60 * 1000;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the sign-in to be refused');
}

describe('OfflineSignIn', () => {
  let dir: string;
  let db: Database;
  let offline: OfflineSignIn;

  beforeEach(async () => {
    dir = makeTempDir();
    db = openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) });
    offline = new OfflineSignIn(db);
    await offline.remember(TEST_AGENT, PASSWORD, SIGNED_IN_AT);
  });

  afterEach(() => {
    db.close();
    removeDir(dir);
  });

  it('signs in within 72 hours of the online sign-in', async () => {
    expect(DEFAULT_OFFLINE_ALLOWANCE_MS).toBe(72 * HOUR);
    const signedIn = await offline.verify(' Agente1 ', PASSWORD, SIGNED_IN_AT + 71 * HOUR, SERVER);
    expect(signedIn).toEqual({ user: TEST_AGENT, offlineUntil: '2026-03-06T10:00:00-05:00' });
  });

  it('stores a salted scrypt verifier, never the password', async () => {
    const row = db.prepare('SELECT verifier, user_json FROM offline_sign_in').get() as { verifier: string; user_json: string };
    expect(row.verifier).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);

    await offline.remember(TEST_AGENT, PASSWORD, SIGNED_IN_AT);
    const again = db.prepare('SELECT verifier FROM offline_sign_in').get() as { verifier: string };
    expect(again.verifier).not.toBe(row.verifier);
  });

  it.each([
    ['at the end of the allowance', 72 * HOUR, 'offline', OFFLINE_MESSAGES.allowanceOver(SERVER, '2026-03-03T10:00:00-05:00', '2026-03-06T10:00:00-05:00')],
    ['a week later', 7 * 24 * HOUR, 'offline', OFFLINE_MESSAGES.allowanceOver(SERVER, '2026-03-03T10:00:00-05:00', '2026-03-06T10:00:00-05:00')],
  ])('refuses %s and says why', async (_case, after, code, message) => {
    const error = await failure(offline.verify(TEST_AGENT.username, PASSWORD, SIGNED_IN_AT + after, SERVER));
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.message).toContain('03/03/2026 10:00');
    expect(error.message).toContain('06/03/2026 10:00');
  });

  it('refuses a user never signed in online here', async () => {
    const error = await failure(offline.verify('agente2', PASSWORD, SIGNED_IN_AT + HOUR, SERVER));
    expect(error.code).toBe('offline');
    expect(error.message).toBe(OFFLINE_MESSAGES.neverOnline(SERVER));
  });

  it('refuses everyone after forget', async () => {
    offline.forget();
    const error = await failure(offline.verify(TEST_AGENT.username, PASSWORD, SIGNED_IN_AT + HOUR, SERVER));
    expect(error.message).toBe(OFFLINE_MESSAGES.neverOnline(SERVER));
    expect(offline.allowanceEnd(TEST_AGENT.id)).toBeNull();
  });

  it('locks offline sign-in after repeated wrong passwords, across restarts', async () => {
    const at = SIGNED_IN_AT + HOUR;
    for (let i = 1; i < OFFLINE_LOCKOUT.maxFailures; i += 1) {
      expect((await failure(offline.verify(TEST_AGENT.username, `mala-${i}`, at + i, SERVER))).message).toBe(OFFLINE_MESSAGES.wrongCredentials);
    }
    const locked = await failure(offline.verify(TEST_AGENT.username, 'mala-5', at + 5, SERVER));
    expect(locked.code).toBe('not-authenticated');
    expect(locked.message).toBe(OFFLINE_MESSAGES.locked(at + 5 + OFFLINE_LOCKOUT.lockMs));
    expect(locked.message).toContain('hasta el 03/03/2026 11:15');

    // The lock is in the database, so a new instance (a restart) keeps it, even for the right password.
    const restarted = new OfflineSignIn(db);
    expect((await failure(restarted.verify(TEST_AGENT.username, PASSWORD, at + 10 * MINUTE, SERVER))).message).toBe(locked.message);
    expect((await restarted.verify(TEST_AGENT.username, PASSWORD, at + 5 + OFFLINE_LOCKOUT.lockMs, SERVER)).user).toEqual(TEST_AGENT);
  });

  it('forgets failures older than the window', async () => {
    const at = SIGNED_IN_AT + HOUR;
    for (let i = 1; i < OFFLINE_LOCKOUT.maxFailures; i += 1) await failure(offline.verify(TEST_AGENT.username, 'mala', at, SERVER));
    const later = at + OFFLINE_LOCKOUT.windowMs;
    expect((await failure(offline.verify(TEST_AGENT.username, 'mala', later, SERVER))).message).toBe(OFFLINE_MESSAGES.wrongCredentials);
  });

  it('rejects a non-positive allowance', () => {
    expect(() => new OfflineSignIn(db, 0)).toThrow(/offlineAllowanceMs must be positive, got 0/);
  });
});
