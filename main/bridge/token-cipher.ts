/**
 * AES-256-GCM sealing of the session token for browser mode's token file. The sealed text is
 * `gestiona-token:v1:<iv>:<tag>:<ciphertext>`, each part base64url, with a fresh 96-bit IV per
 * write. The GCM tag makes a modified or truncated file fail to open instead of yielding a
 * different token.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export const TOKEN_KEY_BYTES = 32;

const PREFIX = 'gestiona-token:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Binds the ciphertext to its purpose, so a blob sealed for something else under the same key does not open here. */
const ASSOCIATED_DATA = Buffer.from('gestiona session token v1', 'utf8');

export function sealToken(key: Buffer, token: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(ASSOCIATED_DATA);
  const ciphertext = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return `${PREFIX}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${ciphertext.toString('base64url')}`;
}

/** Returns the token, or null when the text is not a sealed token or does not open under `key`. */
export function openToken(key: Buffer, sealed: string): string | null {
  checkKey(key);
  if (!isSealedToken(sealed)) return null;

  const parts = sealed.trim().slice(PREFIX.length).split(':');
  if (parts.length !== 3) return null;
  const [iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return null;

  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(ASSOCIATED_DATA);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // GCM authentication failed: another key, or the file was altered.
    return null;
  }
}

/** Returns whether the text has the sealed form, which distinguishes an encrypted file from a legacy plain-text one. */
export function isSealedToken(text: string): boolean {
  return text.trimStart().startsWith(PREFIX);
}

function checkKey(key: Buffer): void {
  if (key.length !== TOKEN_KEY_BYTES) throw new Error(`Token key must be ${TOKEN_KEY_BYTES} bytes, got ${key.length}`);
}
