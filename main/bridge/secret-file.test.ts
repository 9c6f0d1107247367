import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { defaultKeyDir, KEY_FILE_NAME } from './key-file.ts';
import { FileSecretStore, LEGACY_TOKEN_FILE, TOKEN_FILE } from './secret-file.ts';
import { openToken, sealToken } from './token-cipher.ts';

const TOKEN = 'tok_3f9A-abcdefghijklmnopqrstuvwxyz0123456789';

describe('FileSecretStore', () => {
  let root: string;
  let dataDir: string;
  let keyDir: string;

  beforeEach(() => {
    root = makeTempDir('gestiona-secret-');
    dataDir = path.join(root, 'data');
    keyDir = path.join(root, 'config');
  });
  afterEach(() => removeDir(root));

  const tokenFile = (): string => path.join(dataDir, TOKEN_FILE);
  const keyFile = (): string => path.join(keyDir, KEY_FILE_NAME);

  it('stores the token encrypted, readable by the owner only', async () => {
    const store = new FileSecretStore(dataDir, { keyDir });
    expect(await store.get()).toBeNull();
    await store.set(TOKEN);

    expect(await store.get()).toBe(TOKEN);
    const onDisk = readFileSync(tokenFile(), 'utf8');
    expect(onDisk).toMatch(/^gestiona-token:v1:[\w-]+:[\w-]+:[\w-]+$/);
    expect(onDisk).not.toContain(TOKEN);
    expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(statSync(keyFile()).size).toBe(32);
  });

  it('writes a fresh IV each time', async () => {
    const store = new FileSecretStore(dataDir, { keyDir });
    await store.set(TOKEN);
    const first = readFileSync(tokenFile(), 'utf8');
    await store.set(TOKEN);
    expect(readFileSync(tokenFile(), 'utf8')).not.toBe(first);
  });

  it('does not reveal the token from a copied data folder alone', async () => {
    await new FileSecretStore(dataDir, { keyDir }).set(TOKEN);

    const copied = path.join(root, 'copia');
    cpSync(dataDir, copied, { recursive: true });
    const elsewhere = new FileSecretStore(copied, { keyDir: path.join(root, 'otro-equipo') });
    expect(await elsewhere.get()).toBeNull();
    expect(readFileSync(path.join(copied, TOKEN_FILE), 'utf8')).not.toContain(TOKEN);
  });

  it('rejects a token file that was altered', async () => {
    const store = new FileSecretStore(dataDir, { keyDir });
    await store.set(TOKEN);
    const sealed = readFileSync(tokenFile(), 'utf8');
    const parts = sealed.split(':');
    const ciphertext = Buffer.from(parts[4]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 0x01;
    writeFileSync(tokenFile(), [...parts.slice(0, 4), ciphertext.toString('base64url')].join(':'));

    expect(await store.get()).toBeNull();
  });

  it('encrypts a legacy plain-text token file on first read and deletes it', async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, LEGACY_TOKEN_FILE), `${TOKEN}\n`, { mode: 0o644 });

    const store = new FileSecretStore(dataDir, { keyDir });
    expect(await store.get()).toBe(TOKEN);

    expect(existsSync(path.join(dataDir, LEGACY_TOKEN_FILE))).toBe(false);
    expect(readFileSync(tokenFile(), 'utf8')).not.toContain(TOKEN);
    expect(await new FileSecretStore(dataDir, { keyDir }).get()).toBe(TOKEN);
  });

  it('drops an empty legacy file', async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, LEGACY_TOKEN_FILE), '  \n');

    expect(await new FileSecretStore(dataDir, { keyDir }).get()).toBeNull();
    expect(existsSync(path.join(dataDir, LEGACY_TOKEN_FILE))).toBe(false);
    expect(existsSync(tokenFile())).toBe(false);
  });

  it('removes a leftover legacy file when a new token is set', async () => {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path.join(dataDir, LEGACY_TOKEN_FILE), 'viejo');
    await new FileSecretStore(dataDir, { keyDir }).set(TOKEN);
    expect(existsSync(path.join(dataDir, LEGACY_TOKEN_FILE))).toBe(false);
  });

  it('forgets the token on clear', async () => {
    const store = new FileSecretStore(dataDir, { keyDir });
    await store.set(TOKEN);
    await store.clear();
    expect(await store.get()).toBeNull();
    expect(existsSync(tokenFile())).toBe(false);
    await store.clear();
  });

  it('recovers from a lost key file', async () => {
    const store = new FileSecretStore(dataDir, { keyDir });
    await store.set(TOKEN);
    removeDir(keyDir);

    expect(await store.get()).toBeNull();
    await store.set('otro-token-0123456789abcdefghij');
    expect(await store.get()).toBe('otro-token-0123456789abcdefghij');
  });

  it('replaces a key file of the wrong size on the next login', async () => {
    mkdirSync(keyDir, { recursive: true });
    writeFileSync(keyFile(), 'corto');
    const store = new FileSecretStore(dataDir, { keyDir });

    expect(await store.get()).toBeNull();
    await store.set(TOKEN);
    expect(statSync(keyFile()).size).toBe(32);
    expect(await store.get()).toBe(TOKEN);
  });

  it('tightens a key file that others can read', async () => {
    const store = new FileSecretStore(dataDir, { keyDir });
    await store.set(TOKEN);
    chmodSync(keyFile(), 0o644);

    expect(await store.get()).toBe(TOKEN);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
  });

  it('lets two stores that create the key at once agree on it', async () => {
    const first = new FileSecretStore(path.join(root, 'uno'), { keyDir });
    const second = new FileSecretStore(path.join(root, 'dos'), { keyDir });
    await Promise.all([first.set('token-uno-0123456789abcdefghij'), second.set('token-dos-0123456789abcdefghij')]);

    expect(await first.get()).toBe('token-uno-0123456789abcdefghij');
    expect(await second.get()).toBe('token-dos-0123456789abcdefghij');
  });

  it.each([
    { case: 'the data folder itself', keyDir: (data: string) => data },
    { case: 'a folder inside it', keyDir: (data: string) => path.join(data, 'claves') },
  ])('rejects a key folder that is $case', ({ keyDir: inside }) => {
    expect(() => new FileSecretStore(dataDir, { keyDir: inside(dataDir) })).toThrow(/inside the data folder/);
  });
});

describe('sealToken', () => {
  const key = Buffer.alloc(32, 7);

  it.each(['', 'a', TOKEN, 'ñandú-😀'.repeat(50)])('opens what it sealed: %j', (token) => {
    expect(openToken(key, sealToken(key, token))).toBe(token);
  });

  it.each(['', 'plain-token', 'gestiona-token:v1:', 'gestiona-token:v1:a:b:c', 'gestiona-token:v1:a:b'])('returns null for %j', (text) => {
    expect(openToken(key, text)).toBeNull();
  });

  it('returns null under another key', () => {
    expect(openToken(Buffer.alloc(32, 8), sealToken(key, TOKEN))).toBeNull();
  });

  it('rejects a key of the wrong length', () => {
    expect(() => sealToken(Buffer.alloc(16), TOKEN)).toThrow(/32 bytes/);
  });
});

describe('defaultKeyDir', () => {
  it.each([
    { platform: 'linux' as const, env: {}, expected: '/home/ana/.config/gestiona' },
    { platform: 'linux' as const, env: { XDG_CONFIG_HOME: '/srv/cfg' }, expected: '/srv/cfg/gestiona' },
    { platform: 'darwin' as const, env: {}, expected: '/home/ana/.config/gestiona' },
    { platform: 'win32' as const, env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, expected: 'C:\\Users\\ana\\AppData\\Roaming\\GestionaKeys' },
    { platform: 'linux' as const, env: { GESTIONA_CONFIG_DIR: '/etc/gestiona-ana' }, expected: '/etc/gestiona-ana' },
  ])('is $expected on $platform with $env', ({ platform, env, expected }) => {
    expect(defaultKeyDir(platform, env, '/home/ana')).toBe(expected);
  });
});
