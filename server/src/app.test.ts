import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend } from './fixtures/backends.ts';
import { startTestServer, tempDir } from './fixtures/server.ts';
import { DEFAULT_RESOURCES_DIR } from './paths.ts';
import { DatabaseTooNewError } from './store/database.ts';
import { MIGRATIONS } from './store/migrations/index.ts';
import { PG_MIGRATIONS } from './store/pg/migrations/index.ts';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove();
});
function newDir(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir.path;
}

describe.each(BACKEND_NAMES)('startServer on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const latestVersion = backendName === 'sqlite' ? MIGRATIONS.length : PG_MIGRATIONS.length;

  it('listens on 127.0.0.1 and publishes the content once', async () => {
    const location = await backend.createDatabase();
    const server = await startTestServer(location);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    expect(await server.store.countChanges()).toBe(8);
    expect(await server.store.schemaVersion()).toBe(latestVersion);
    await server.close();

    const again = await startTestServer(location);
    expect(await again.store.countChanges()).toBe(8);
    await again.close();
  });

  it('refuses a database written by a newer server', async () => {
    const location = await backend.createDatabase();
    await backend.markSchemaVersion(location, latestVersion + 5);
    await expect(startTestServer(location)).rejects.toThrow(DatabaseTooNewError);
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
    await expect(startTestServer(await backend.createDatabase(), { resourcesDir })).rejects.toThrow(
      /guion-temprana\.json[\s\S]*no tiene paso de verificación de identidad/,
    );
  });
});

describe('startServer options', () => {
  it('rejects both a SQLite file and a PostgreSQL URL', async () => {
    const dbPath = join(newDir(), 'server.sqlite');
    await expect(startTestServer({ dbPath, databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres' })).rejects.toThrow(/Both dbPath and databaseUrl/);
  });

  it('rejects a missing database', async () => {
    await expect(startTestServer({})).rejects.toThrow(/No database configured/);
  });

  it('rejects a database URL that is not PostgreSQL, without showing its password', async () => {
    const error = await startTestServer({ databaseUrl: 'mysql://root:secreto@127.0.0.1/gestiona' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Invalid database URL mysql:\/\/root:\*\*\*@127\.0\.0\.1\/gestiona/);
    expect((error as Error).message).not.toContain('secreto');
  });

  it('names an unreachable Redis without its password and leaves nothing open', async () => {
    const dbPath = join(newDir(), 'server.sqlite');
    const error = await startTestServer({ dbPath }, { redisUrl: 'redis://:clave@127.0.0.1:1' }).catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 is unreachable/);

    // The store was closed on the way out, so the same file opens again.
    const server = await startTestServer({ dbPath });
    expect(await server.store.countChanges()).toBe(8);
    await server.close();
  });
});
