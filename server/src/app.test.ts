import Database from 'better-sqlite3';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, tempDir } from './fixtures/server.ts';
import { DEFAULT_RESOURCES_DIR } from './paths.ts';
import { DatabaseTooNewError } from './store/database.ts';
import { MIGRATIONS } from './store/migrations/index.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});
function newDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir.path;
}

describe('startServer', () => {
  it('listens on 127.0.0.1 and publishes the content once', async () => {
    const dbPath = join(newDir(), 'server.sqlite');
    const server = await startTestServer(dbPath);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect(await server.store.countChanges()).toBe(7);
    await server.close();

    const again = await startTestServer(dbPath);
    expect(await again.store.countChanges()).toBe(7);
    await again.close();
  });

  it('refuses a database written by a newer server', async () => {
    const dbPath = join(newDir(), 'server.sqlite');
    const raw = new Database(dbPath);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    await expect(startTestServer(dbPath)).rejects.toThrow(DatabaseTooNewError);
  });

  it('refuses to start with a script that fails the script check', async () => {
    const dir = newDir();
    const resourcesDir = join(dir, 'resources');
    cpSync(DEFAULT_RESOURCES_DIR, resourcesDir, { recursive: true });
    writeFileSync(
      join(resourcesDir, 'scripts', 'guion-temprana.json'),
      JSON.stringify({
        id: 'guion-temprana',
        version: '1',
        name: 'Sin verificación',
        segment: 'temprana',
        steps: [
          { id: 'saludo', kind: 'greeting', title: 'Saludo', text: 'Hola {{nombre}}.' },
          { id: 'motivo', kind: 'reason', title: 'Motivo', text: 'Debe {{saldo_total}}.' },
        ],
      }),
    );
    await expect(startTestServer(join(dir, 'server.sqlite'), { resourcesDir })).rejects.toThrow(/guion-temprana\.json[\s\S]*no tiene paso de verificación de identidad/);
  });
});
