/**
 * The server's command line run as a child process: commands that only read or change an existing
 * database never create one, and start-up failures end with one Spanish line and no stack trace.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPostgresUrl, useTestBackend } from './fixtures/backends.ts';
import { tempDir } from './fixtures/server.ts';
import { openDatabase } from './store/database.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const SAMPLE_PORTFOLIO = join(REPO_ROOT, 'resources', 'sample-portfolio.csv');

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], environment: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, GESTIONA_LOG_LEVEL: 'silent', ...environment };
    delete env.GESTIONA_DATABASE_URL;
    delete env.GESTIONA_REDIS_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Returns a port on 127.0.0.1 that nothing listens on: bound once by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Checks the failure contract: exit code 1 and exactly the expected line on stderr, with no stack trace anywhere. */
function expectOneLineFailure(result: CliResult, line: string): void {
  expect(result.stderr).toBe(`${line}\n`);
  expect(result.code).toBe(1);
  expect(result.stdout).not.toMatch(/^\s+at /m);
}

describe('commands on a missing SQLite file', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());

  // One command per way of reaching the store: withStore in cli.ts, and the context of the subcommand modules.
  it.each([
    { name: 'alarms', args: ['alarms'] },
    { name: 'holds list', args: ['holds', 'list'] },
    { name: 'users disable', args: ['users', 'disable', 'agente1'] },
    { name: 'evidence', args: ['evidence', 'CC-1020304050', '--out', 'evidencia'] },
  ])('$name fails without creating the file', async ({ args }) => {
    const dbPath = join(dir.path, 'mal escrito', 'sever.sqlite');
    const result = await runCli([...args, '--db', dbPath]);

    expectOneLineFailure(
      result,
      `No existe la base de datos "${dbPath}". Revise --db, o inicie el servidor una vez con npm run server -- serve --db "${dbPath}" para crearla.`,
    );
    expect(result.stdout).toBe('');
    expect(existsSync(join(dir.path, 'mal escrito'))).toBe(false);
  });

  it('names a folder given as --db', async () => {
    const result = await runCli(['alarms', '--db', dir.path]);

    expectOneLineFailure(result, `${dir.path} es una carpeta, no una base de datos. Indique el archivo SQLite con --db.`);
  });

  it('still reads an existing database', async () => {
    const dbPath = join(dir.path, 'existente.sqlite');
    openDatabase(dbPath).db.close();
    const result = await runCli(['alarms', '--db', dbPath]);

    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('No hay alarmas.\n');
    expect(result.code).toBe(0);
  });
});

describe('commands that set up a server', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());

  it('users add creates the first database and says so', async () => {
    const dbPath = join(dir.path, 'nueva', 'server.sqlite');
    const result = await runCli(['users', 'add', '--username', 'admin', '--name', 'Admin Báez', '--role', 'admin', '--password', 'clave-segura-1', '--db', dbPath]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`Se creó la base de datos nueva ${dbPath}.`);
    expect(existsSync(dbPath)).toBe(true);

    const again = await runCli(['users', 'add', '--username', 'agente1', '--name', 'Ana Peña', '--role', 'agent', '--password', 'clave-segura-1', '--db', dbPath]);
    expect(again.stdout).not.toContain('Se creó');
  });

  it('import creates the database it loads', async () => {
    const dbPath = join(dir.path, 'cartera.sqlite');
    const result = await runCli(['import', SAMPLE_PORTFOLIO, '--db', dbPath]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(`Se creó la base de datos nueva ${dbPath}.`);
    expect(result.stdout).toContain('Cartera importada: sample-portfolio.csv');
  });
});

describe('serve start-up failures', () => {
  let dir: ReturnType<typeof tempDir>;
  let busy: Server;
  let busyPort: number;
  beforeAll(async () => {
    dir = tempDir();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    dir.remove();
  });

  it.each([
    { name: 'a mistyped option', args: ['--prot', '4780'], line: 'Opción desconocida para serve: "--prot". Use npm run server -- --help para ver las opciones.' },
    { name: 'an invalid database URL', args: ['--database-url', 'mysql://root:secreta@127.0.0.1/gestiona'], line: 'URL de PostgreSQL inválida: mysql://root:***@127.0.0.1/gestiona. Use postgres://usuario:clave@host:puerto/base.' },
  ])('rejects $name', async ({ args, line }) => {
    const result = await runCli(['serve', ...args]);

    expectOneLineFailure(result, line);
  });

  it('names an unreachable Redis without its password', async () => {
    const port = await closedPort();
    const result = await runCli(['serve', '--db', join(dir.path, 'redis.sqlite'), '--port', '0', '--redis-url', `redis://gestiona:secreta@127.0.0.1:${port}`]);

    expectOneLineFailure(
      result,
      `No se pudo conectar con Redis en redis://gestiona:***@127.0.0.1:${port} (conexión rechazada). Inicie Redis en esa dirección o corrija --redis-url (o GESTIONA_REDIS_URL).`,
    );
    expect(result.stdout).not.toContain('secreta');
  });

  it('names an unreachable PostgreSQL without its password', async () => {
    const port = await closedPort();
    const result = await runCli(['serve', '--port', '0', '--database-url', `postgres://gestiona:secreta@127.0.0.1:${port}/gestiona`]);

    expectOneLineFailure(
      result,
      `No se pudo conectar con PostgreSQL en postgres://gestiona:***@127.0.0.1:${port}/gestiona (conexión rechazada). ` +
        `Revise que PostgreSQL esté en marcha en 127.0.0.1:${port}, o corrija --database-url (o GESTIONA_DATABASE_URL).`,
    );
  });

  it('names a port already in use', async () => {
    const result = await runCli(['serve', '--db', join(dir.path, 'puerto.sqlite'), '--port', String(busyPort)]);

    expectOneLineFailure(result, `El puerto ${busyPort} ya está en uso en 127.0.0.1. Detenga el proceso que lo usa o elija otro con --port.`);
  });
});

describe('commands on PostgreSQL', () => {
  const backend = useTestBackend('postgres');

  it('names a database that does not exist and how to create it', async () => {
    const url = new URL(testPostgresUrl());
    url.pathname = '/gestiona_h8_no_existe';
    const result = await runCli(['alarms', '--database-url', url.toString()]);

    const user = decodeURIComponent(url.username) || 'postgres';
    expectOneLineFailure(
      result,
      `No existe la base de datos "gestiona_h8_no_existe" en PostgreSQL (${url.toString()}). ` +
        `Créela con createdb -h ${url.hostname} -p ${url.port || '5432'} -U ${user} gestiona_h8_no_existe y repita el comando, ` +
        'o corrija --database-url (o GESTIONA_DATABASE_URL).',
    );
  });

  it('leaves a database without tables untouched', async () => {
    const location = await backend.createDatabase();
    const result = await runCli(['alarms', '--database-url', location.databaseUrl!]);

    expectOneLineFailure(
      result,
      `La base de datos PostgreSQL ${location.databaseUrl} no tiene las tablas de Gestiona. ` +
        'Revise --database-url (o GESTIONA_DATABASE_URL), o inicie el servidor una vez con npm run server -- serve para crearlas.',
    );
    // Had the first run migrated the database, the second would list no alarms and succeed.
    const again = await runCli(['alarms', '--database-url', location.databaseUrl!]);
    expect(again.code).toBe(1);
  });
});
