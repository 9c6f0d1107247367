/**
 * Browser mode's session token store: the token sealed with AES-256-GCM in a 0600 file in the data
 * folder, under a key kept in a separate 0600 file in the user's configuration folder.
 *
 * What this protects against: a copy of the data folder alone does not reveal the token. Such a
 * copy is a backup, a folder zipped for support or a database copied off a shared machine. An
 * altered token file is rejected instead of being used.
 *
 * What it does not protect against: anyone who can act as this OS user, or as an administrator,
 * reads both files and decrypts the token. Malware running as the user is in that group. Electron
 * uses the operating system's keychain through safeStorage instead. Browser mode has no keychain
 * binding yet.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import type { SecretStore } from '../secret-store.ts';
import { defaultKeyDir, isInsideFolder, KEY_FILE_NAME, loadOrCreateKey, readKey } from './key-file.ts';
import { isSealedToken, openToken, sealToken } from './token-cipher.ts';

export const TOKEN_FILE = 'session-token.enc';
/** The plain-text token file of earlier versions, converted to `TOKEN_FILE` on first read. */
export const LEGACY_TOKEN_FILE = 'session-token';

export interface FileSecretStoreOptions {
  /** Folder of the key file; default `defaultKeyDir()`. Must lie outside the data folder. */
  keyDir?: string;
  logger?: Logger;
}

export class FileSecretStore implements SecretStore {
  private readonly file: string;
  private readonly legacyFile: string;
  private readonly keyFile: string;
  private readonly logger: Logger | undefined;

  constructor(dataDir: string, options: FileSecretStoreOptions = {}) {
    const keyDir = options.keyDir ?? defaultKeyDir();
    if (isInsideFolder(dataDir, keyDir)) {
      throw new Error(
        `The token key folder ${keyDir} is inside the data folder ${dataDir}, so a copy of the data folder would carry its key. ` +
          'Set GESTIONA_CONFIG_DIR to a folder outside the data folder.',
      );
    }
    this.file = path.join(dataDir, TOKEN_FILE);
    this.legacyFile = path.join(dataDir, LEGACY_TOKEN_FILE);
    this.keyFile = path.join(keyDir, KEY_FILE_NAME);
    this.logger = options.logger;
  }

  /** Returns the stored token, or null when there is none or it cannot be decrypted (the agent then signs in again). */
  async get(): Promise<string | null> {
    const sealed = await readOptional(this.file);
    if (sealed !== null) return this.open(sealed);

    const legacy = await readOptional(this.legacyFile);
    if (legacy === null) return null;
    return this.migrate(legacy);
  }

  async set(token: string): Promise<void> {
    const { key, created, tightened } = await loadOrCreateKey(this.keyFile);
    if (created) this.logger?.info({ keyFile: this.keyFile }, 'store session token: created the token key');
    if (tightened) this.logger?.warn({ keyFile: this.keyFile }, 'store session token: key file was readable by others, set to 0600');

    await mkdir(path.dirname(this.file), { recursive: true });
    // Written beside the target and renamed, so a crash leaves the old file or the new one, never half of one.
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, sealToken(key, token), { encoding: 'utf8', mode: 0o600 });
      await rename(temporary, this.file);
    } finally {
      await rm(temporary, { force: true });
    }
    // An older file left in place keeps its mode through rename on some systems; tighten it anyway.
    await chmod(this.file, 0o600);
    // NOTE: rm unlinks the plain-text file but does not overwrite its blocks, so forensic tools
    // may still recover it from the disk.
    await rm(this.legacyFile, { force: true });
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
    await rm(this.legacyFile, { force: true });
  }

  private async open(sealed: string): Promise<string | null> {
    const state = await readKey(this.keyFile);
    if (!state.key) {
      this.logger?.warn({ keyFile: this.keyFile, reason: state.reason }, 'read session token: key unavailable, sign-in needed');
      return null;
    }
    const token = openToken(state.key, sealed);
    if (token === null) this.logger?.warn({ file: this.file }, 'read session token: cannot decrypt with this key, sign-in needed');
    return token === '' ? null : token;
  }

  /** Re-stores a plain-text token of an earlier version encrypted and deletes the plain file. */
  private async migrate(legacy: string): Promise<string | null> {
    if (isSealedToken(legacy)) {
      // A sealed token under the old name: move it to the new name without decrypting twice.
      const token = await this.open(legacy);
      if (token !== null) await this.set(token);
      return token;
    }
    const token = legacy.trim();
    if (token === '') {
      await rm(this.legacyFile, { force: true });
      return null;
    }
    await this.set(token);
    this.logger?.info({ file: this.file }, 'read session token: plain-text token file encrypted');
    return token;
  }
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
