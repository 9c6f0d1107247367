/** A secret (the session tokens, the database key), encrypted with the operating system's keychain through Electron's safeStorage. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { safeStorage } from 'electron';
import { AppError } from '@gestiona/core/result';
import type { SecretStore } from '../secret-store.ts';

export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string;

  constructor(userDataDir: string, fileName = 'session-token.bin') {
    this.file = path.join(userDataDir, fileName);
  }

  async get(): Promise<string | null> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    if (!safeStorage.isEncryptionAvailable()) return null;
    try {
      return safeStorage.decryptString(encrypted);
    } catch {
      // A token encrypted under another OS user or keychain cannot be read: the agent signs in again.
      return null;
    }
  }

  async set(token: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new AppError('forbidden', 'Este equipo no ofrece almacenamiento cifrado para la sesión. Pida a soporte que habilite el llavero del sistema.');
    }
    await mkdir(path.dirname(this.file), { recursive: true });
    await writeFile(this.file, safeStorage.encryptString(token), { mode: 0o600 });
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
