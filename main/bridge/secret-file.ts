/** Browser mode's session token store: a file in the data dir, readable only by the user. */
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from '../secret-store.ts';

export const TOKEN_FILE = 'session-token';

// NOTE: the token is stored in clear text, protected only by the file mode 0600; Electron uses
// safeStorage instead, and browser mode has no OS keychain binding yet.
export class FileSecretStore implements SecretStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, TOKEN_FILE);
  }

  async get(): Promise<string | null> {
    try {
      const token = (await readFile(this.file, 'utf8')).trim();
      return token === '' ? null : token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async set(token: string): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFile(this.file, token, { encoding: 'utf8', mode: 0o600 });
    // writeFile keeps the mode of an existing file; make sure an older, looser file is tightened.
    await chmod(this.file, 0o600);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
