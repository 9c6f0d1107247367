/**
 * Encryption at rest of the workstation database (SQLite3MultipleCiphers, SQLCipher 4 format).
 *
 * The key is 32 random bytes made at the first start and kept only in a secret store: safeStorage
 * (the operating system's keychain) in Electron, a sealed file under a key in the user's config
 * folder in browser mode. It is handed to SQLite as a raw key, so opening costs no key derivation.
 * SQLCipher 4 was chosen over the library's default (ChaCha20-Poly1305) because support can open a
 * kept file with the standard SQLCipher tools, given the key, to recover events that never reached
 * the server. Both ciphers authenticate every page.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { SecretStore } from '../secret-store.ts';

export const DATABASE_KEY_BYTES = 32;

/** The first 16 bytes of every unencrypted SQLite 3 file; an encrypted file starts with random bytes. */
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export type DatabaseFileKind = 'missing' | 'plain' | 'encrypted';

/** Tells a new (absent or empty) file, a plain SQLite file of an earlier version, and an encrypted one apart. */
export function databaseFileKind(file: string): DatabaseFileKind {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const header = Buffer.alloc(PLAIN_HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    if (read === 0) return 'missing';
    return read === header.length && header.equals(PLAIN_HEADER) ? 'plain' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}

/**
 * Sets the cipher and the key. Must run first on a new connection: SQLite reads page 1 with the
 * first statement that touches the file, and a connection that read it without the key stays
 * unusable.
 */
export function applyDatabaseKey(db: Database, key: Buffer): void {
  selectCipher(db);
  db.pragma(`key = "${rawKeyLiteral(key)}"`);
}

/**
 * Encrypts, in place, a plain database opened without a key. Rekeying works on a rollback journal
 * only, so the WAL is checkpointed into the file first and the caller turns WAL on again. The
 * rekey rewrites every page in one write transaction with a rollback journal.
 * NOTE: recovery from a crash in the middle of the rekey is not tested. The hot journal then holds
 * plain pages while page 1 may already be encrypted.
 */
export function encryptPlainDatabase(db: Database, key: Buffer): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  selectCipher(db);
  db.pragma(`rekey = "${rawKeyLiteral(key)}"`);
}

function selectCipher(db: Database): void {
  db.pragma("cipher = 'sqlcipher'");
  // SQLCipher 4's page layout and HMAC-SHA512, which the standard SQLCipher tools open.
  db.pragma('legacy = 4');
}

function rawKeyLiteral(key: Buffer): string {
  if (key.length !== DATABASE_KEY_BYTES) throw new Error(`Database key must be ${DATABASE_KEY_BYTES} bytes, got ${key.length}`);
  // x'<64 hex digits>' is used as the key itself, without the PBKDF2 rounds a passphrase would cost.
  return `x'${key.toString('hex')}'`;
}

/** Returns the stored key, or null when there is none or the store cannot decrypt it (another OS user, a reset keychain). */
export async function readDatabaseKey(store: SecretStore): Promise<Buffer | null> {
  const stored = await store.get();
  if (stored === null || !new RegExp(`^[0-9a-f]{${DATABASE_KEY_BYTES * 2}}$`).test(stored.trim())) return null;
  return Buffer.from(stored.trim(), 'hex');
}

/** Makes a new random key and stores it; the caller has checked that no file encrypted under another key is in the way. */
export async function createDatabaseKey(store: SecretStore): Promise<Buffer> {
  const key = randomBytes(DATABASE_KEY_BYTES);
  await store.set(key.toString('hex'));
  return key;
}
