import { statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { FileSecretStore, TOKEN_FILE } from './secret-file.ts';

describe('FileSecretStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir();
  });
  afterEach(() => removeDir(dir));

  it('stores the token readable by the owner only', async () => {
    const store = new FileSecretStore(dir);
    expect(await store.get()).toBeNull();
    await store.set('token-1');
    expect(await store.get()).toBe('token-1');
    expect(statSync(path.join(dir, TOKEN_FILE)).mode & 0o777).toBe(0o600);
  });

  it('forgets the token on clear', async () => {
    const store = new FileSecretStore(dir);
    await store.set('token-1');
    await store.clear();
    expect(await store.get()).toBeNull();
    await store.clear();
  });
});
