/**
 * The key that encrypts browser mode's token file: 32 random bytes in a 0600 file in the user's
 * configuration folder, apart from the data folder. One key serves every data folder of the OS user.
 */
import { chmod, link, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import path from 'node:path';
import { TOKEN_KEY_BYTES } from './token-cipher.ts';

export const KEY_FILE_NAME = 'session-token.key';

/**
 * Returns the user's configuration folder for Gestiona's keys: `GESTIONA_CONFIG_DIR` when set; else
 * `%APPDATA%\GestionaKeys` on Windows and `$XDG_CONFIG_HOME/gestiona` (default `~/.config/gestiona`)
 * elsewhere. The Windows name differs from Electron's data folder (`%APPDATA%\Gestiona`) on purpose.
 */
export function defaultKeyDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.GESTIONA_CONFIG_DIR) return env.GESTIONA_CONFIG_DIR;
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'GestionaKeys');
  return path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), 'gestiona');
}

/** Returns whether `candidate` is `folder` itself or lies inside it; both are resolved first. */
export function isInsideFolder(folder: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(candidate));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export type KeyState = { key: Buffer; tightened: boolean } | { key: null; reason: 'missing' | 'invalid' };

/** Reads the key, tightening a file that others could read to 0600. Never creates one. */
export async function readKey(file: string): Promise<KeyState> {
  let key: Buffer;
  try {
    key = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { key: null, reason: 'missing' };
    throw error;
  }
  if (key.length !== TOKEN_KEY_BYTES) return { key: null, reason: 'invalid' };

  const tightened = process.platform !== 'win32' && ((await stat(file)).mode & 0o077) !== 0;
  if (tightened) await chmod(file, 0o600);
  return { key, tightened };
}

/**
 * Returns the key, creating it when it is missing. Two processes that create it at once agree on
 * one key: each writes a complete temporary file and hard-links it to the final name, which fails
 * for the loser, who then reads the winner's key. A reader never sees a half-written key.
 */
export async function loadOrCreateKey(file: string): Promise<{ key: Buffer; created: boolean; tightened: boolean }> {
  const existing = await readKey(file);
  if (existing.key) return { key: existing.key, created: false, tightened: existing.tightened };

  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(TOKEN_KEY_BYTES);
  const temporary = await writeTemporaryKey(file, key);
  try {
    if (existing.reason === 'invalid') {
      // What a key of the wrong size encrypted was unreadable anyway, and a token costs only a new login.
      await rename(temporary, file);
      return { key, created: true, tightened: false };
    }
    try {
      await link(temporary, file);
      return { key, created: true, tightened: false };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } finally {
    await rm(temporary, { force: true });
  }

  const winner = await readKey(file);
  if (winner.key) return { key: winner.key, created: false, tightened: winner.tightened };
  throw new Error(`Token key file ${file} is not a ${TOKEN_KEY_BYTES}-byte key; delete it and sign in again`);
}

async function writeTemporaryKey(file: string, key: Buffer): Promise<string> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(key);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temporary;
}
