/**
 * The database key's store in browser mode and on a Linux desktop without a keyring. The key is
 * sealed with AES-256-GCM in a 0600 file beside the database, under the key of browser mode's token
 * file, which lives in the user's configuration folder. A copy of the data folder alone therefore
 * does not open the database. Anyone who can act as this OS user reads both files, as with the token.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultKeyDir, isInsideFolder, KEY_FILE_NAME, loadOrCreateKey, readKey } from '../bridge/key-file.ts';
import { openToken, sealToken } from '../bridge/token-cipher.ts';
import type { Logger } from '../logger.ts';
import type { SecretStore } from '../secret-store.ts';

export const DATABASE_KEY_FILE = 'database-key.enc';

export class FileDatabaseKeyStore implements SecretStore {
  private readonly file: string;
  private readonly keyFile: string;
  private readonly logger: Logger | undefined;

  constructor(dataDir: string, options: { keyDir?: string; logger?: Logger } = {}) {
    const keyDir = options.keyDir ?? defaultKeyDir();
    if (isInsideFolder(dataDir, keyDir)) {
      throw new Error(`The key folder ${keyDir} is inside the data folder ${dataDir}, so a copy of the data folder would carry its key. Set GESTIONA_CONFIG_DIR to a folder outside it.`);
    }
    this.file = path.join(dataDir, DATABASE_KEY_FILE);
    this.keyFile = path.join(keyDir, KEY_FILE_NAME);
    this.logger = options.logger;
  }

  /** Returns the database key as stored (hex), or null when there is none or it does not open under the wrapping key. */
  async get(): Promise<string | null> {
    let sealed: string;
    try {
      sealed = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const state = await readKey(this.keyFile);
    if (!state.key) {
      this.logger?.error({ keyFile: this.keyFile, reason: state.reason }, 'read database key: wrapping key unavailable');
      return null;
    }
    const key = openToken(state.key, sealed);
    if (key === null) this.logger?.error({ file: this.file }, 'read database key: cannot decrypt with the wrapping key');
    return key;
  }

  async set(value: string): Promise<void> {
    const { key, created } = await loadOrCreateKey(this.keyFile);
    if (created) this.logger?.info({ keyFile: this.keyFile }, 'store database key: created the wrapping key');
    await mkdir(path.dirname(this.file), { recursive: true });
    // Renamed into place, so a crash leaves no half-written key next to a database encrypted under it.
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, sealToken(key, value), { encoding: 'utf8', mode: 0o600 });
      await rename(temporary, this.file);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
