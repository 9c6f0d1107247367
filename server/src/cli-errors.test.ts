import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, describeArgumentError, describeStartError } from './cli-errors.ts';
import { tempDir } from './fixtures/server.ts';
import { createLogger } from './logger.ts';
import { DatabaseTooNewError } from './store/schema-version.ts';
import { openStore, StoreNotFoundError } from './store/open-store.ts';

const SERVE_OPTIONS = { port: { type: 'string' }, 'seed-demo': { type: 'boolean' } } as const;

/** Returns what `util.parseArgs` raises for these arguments of serve. */
function parseFailure(args: string[]): unknown {
  try {
    parseArgs({ args, options: SERVE_OPTIONS });
  } catch (error) {
    return error;
  }
  throw new Error(`parseArgs accepted ${args.join(' ')}`);
}

/** Builds an error shaped as Node and `pg` raise them, with `code` and the other fields set. */
function errorWith(message: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(message), fields);
}

describe('describeArgumentError', () => {
  it.each([
    { args: ['--prot', '4780'], line: 'Opción desconocida para serve: "--prot". Use npm run server -- --help para ver las opciones.' },
    { args: ['-p'], line: 'Opción desconocida para serve: "-p". Use npm run server -- --help para ver las opciones.' },
    { args: ['--port'], line: 'Falta el valor de --port en serve. Use npm run server -- --help para ver las opciones.' },
    { args: ['--seed-demo=si'], line: 'La opción --seed-demo de serve no lleva valor: quite "=…" después de ella. Use npm run server -- --help para ver las opciones.' },
    { args: ['ahora'], line: 'Argumento inesperado para serve: "ahora". Use npm run server -- --help para ver las opciones.' },
  ])('words $args', ({ args, line }) => {
    expect(describeArgumentError(parseFailure(args), 'serve')).toBe(line);
  });

  it('ignores other errors', () => {
    expect(describeArgumentError(new Error('boom'), 'serve')).toBeNull();
    expect(describeArgumentError('boom', 'serve')).toBeNull();
  });
});

describe('describeStartError', () => {
  const pgUrl = 'postgres://cobros:secreta@db.interna:6543/gestiona';

  it.each([
    {
      name: 'a refused PostgreSQL connection',
      error: errorWith('connect ECONNREFUSED 10.0.0.5:6543', { code: 'ECONNREFUSED', syscall: 'connect' }),
      context: { databaseUrl: pgUrl },
      line: 'No se pudo conectar con PostgreSQL en postgres://cobros:***@db.interna:6543/gestiona (conexión rechazada). Revise que PostgreSQL esté en marcha en db.interna:6543, o corrija --database-url (o GESTIONA_DATABASE_URL).',
    },
    {
      name: 'an unknown PostgreSQL host',
      error: errorWith('getaddrinfo ENOTFOUND db.interna', { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'db.interna' }),
      context: { databaseUrl: pgUrl, host: '127.0.0.1' },
      line: 'No se pudo conectar con PostgreSQL en postgres://cobros:***@db.interna:6543/gestiona (no se encontró el nombre del equipo). Revise que PostgreSQL esté en marcha en db.interna:6543, o corrija --database-url (o GESTIONA_DATABASE_URL).',
    },
    {
      name: 'a missing PostgreSQL database',
      error: errorWith('database "gestiona" does not exist', { code: '3D000' }),
      context: { databaseUrl: pgUrl },
      line: 'No existe la base de datos "gestiona" en PostgreSQL (postgres://cobros:***@db.interna:6543/gestiona). Créela con createdb -h db.interna -p 6543 -U cobros gestiona y repita el comando, o corrija --database-url (o GESTIONA_DATABASE_URL).',
    },
    {
      name: 'a wrong PostgreSQL password',
      error: errorWith('password authentication failed for user "cobros"', { code: '28P01' }),
      context: { databaseUrl: pgUrl },
      line: 'PostgreSQL rechazó la clave del usuario "cobros" (postgres://cobros:***@db.interna:6543/gestiona). Revise el usuario y la clave y corrija --database-url (o GESTIONA_DATABASE_URL).',
    },
    {
      name: 'a PostgreSQL user not let in',
      error: errorWith('role "cobros" does not exist', { code: '28000' }),
      context: { databaseUrl: pgUrl },
      line: 'PostgreSQL no dejó entrar al usuario "cobros" (postgres://cobros:***@db.interna:6543/gestiona): revise que el usuario exista y que pg_hba.conf le permita conectarse desde este equipo, o corrija --database-url (o GESTIONA_DATABASE_URL).',
    },
    {
      name: 'an unreachable Redis',
      error: new Error('Redis at redis://:***@10.0.0.7:6379 is unreachable (connect ETIMEDOUT 10.0.0.7:6379). Start Redis there or correct the Redis URL.'),
      context: { dbPath: '/srv/gestiona.sqlite', redisUrl: 'redis://:secreta@10.0.0.7:6379' },
      line: 'No se pudo conectar con Redis en redis://:***@10.0.0.7:6379 (se agotó el tiempo de espera). Inicie Redis en esa dirección o corrija --redis-url (o GESTIONA_REDIS_URL).',
    },
    {
      name: 'an invalid Redis key prefix',
      error: new Error('Invalid Redis key prefix "a b": use 1 to 100 letters, digits, ".", ":", "_" or "-".'),
      context: { redisUrl: 'redis://127.0.0.1:6379' },
      line: 'Prefijo de Redis inválido: "a b". Use de 1 a 100 letras, dígitos, ".", ":", "_" o "-" en --redis-key-prefix.',
    },
    {
      name: 'a busy port',
      error: errorWith('listen EADDRINUSE: address already in use 127.0.0.1:4780', { code: 'EADDRINUSE', syscall: 'listen' }),
      context: { dbPath: '/srv/gestiona.sqlite', host: '127.0.0.1', port: 4780 },
      line: 'El puerto 4780 ya está en uso en 127.0.0.1. Detenga el proceso que lo usa o elija otro con --port.',
    },
    {
      name: 'a privileged port',
      error: errorWith('listen EACCES: permission denied 0.0.0.0:443', { code: 'EACCES', syscall: 'listen' }),
      context: { host: '0.0.0.0', port: 443 },
      line: 'No hay permiso para escuchar en 0.0.0.0:443. Use un puerto mayor que 1023 con --port.',
    },
    {
      name: 'a foreign address',
      error: errorWith('listen EADDRNOTAVAIL: address not available 10.9.9.9:4780', { code: 'EADDRNOTAVAIL', syscall: 'listen' }),
      context: { host: '10.9.9.9', port: 4780 },
      line: 'La dirección 10.9.9.9 no pertenece a este equipo. Revise --host.',
    },
    {
      name: 'a mistyped host',
      error: errorWith('getaddrinfo ENOTFOUND localhots', { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: 'localhots' }),
      context: { dbPath: '/srv/gestiona.sqlite', host: 'localhots', port: 4780 },
      line: 'No se encontró la dirección "localhots". Revise --host.',
    },
    {
      name: 'a database from a newer server',
      error: new DatabaseTooNewError('/srv/gestiona.sqlite', 25, 19),
      context: { dbPath: '/srv/gestiona.sqlite' },
      line: 'La base de datos /srv/gestiona.sqlite tiene la versión de esquema 25, pero este servidor solo conoce hasta la 19. Use un servidor al menos tan nuevo como el último que la escribió.',
    },
    {
      name: 'a PostgreSQL database without tables',
      error: new StoreNotFoundError('postgres://cobros:***@db.interna:6543/gestiona', 'no-schema', 'postgres'),
      context: { databaseUrl: pgUrl },
      line: 'La base de datos PostgreSQL postgres://cobros:***@db.interna:6543/gestiona no tiene las tablas de Gestiona. Revise --database-url (o GESTIONA_DATABASE_URL), o inicie el servidor una vez con npm run server -- serve para crearlas.',
    },
    {
      name: 'a worded error',
      error: new CliError('Ya dicho.'),
      context: {},
      line: 'Ya dicho.',
    },
  ])('words $name', ({ error, context, line }) => {
    expect(describeStartError(error, context)).toBe(line);
  });

  it.each([
    { name: 'a network error without a database URL', error: errorWith('connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED', syscall: 'connect' }), context: { dbPath: '/srv/x.sqlite' } },
    { name: 'a programming error', error: new TypeError('x is not a function'), context: { dbPath: '/srv/x.sqlite', redisUrl: 'redis://127.0.0.1:6379' } },
    { name: 'a thrown string', error: 'boom', context: {} },
  ])('leaves $name unworded', ({ error, context }) => {
    expect(describeStartError(error, context)).toBeNull();
  });
});

describe('openStore without creating', () => {
  const logger = createLogger({ level: 'silent' });
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());

  async function openFailure(dbPath: string): Promise<unknown> {
    return openStore({ dbPath, logger, createIfMissing: false }).then(
      async (store) => {
        await store.close();
        return null;
      },
      (error: unknown) => error,
    );
  }

  it.each([
    { name: 'a missing file', file: 'falta.sqlite', content: null, reason: 'missing-file', line: 'No existe la base de datos {path}. Revise --db, o inicie el servidor una vez con npm run server -- serve --db {path} para crearla.' },
    { name: 'an empty file', file: 'vacio.sqlite', content: '', reason: 'no-schema', line: '{path} no tiene las tablas de Gestiona. Revise --db, o inicie el servidor una vez con npm run server -- serve --db {path} para crearlas.' },
    { name: 'a text file', file: 'notas.txt', content: 'cartera de diciembre\n'.repeat(200), reason: 'not-a-database', line: '{path} no es una base de datos SQLite. Revise --db.' },
  ])('rejects $name', async ({ file, content, reason, line }) => {
    const path = join(dir.path, file);
    if (content !== null) writeFileSync(path, content);
    const error = await openFailure(path);

    expect(error).toBeInstanceOf(StoreNotFoundError);
    expect((error as StoreNotFoundError).reason).toBe(reason);
    expect(describeStartError(error, { dbPath: path })).toBe(line.replaceAll('{path}', path));
  });

  it('opens a database that has the schema', async () => {
    const path = join(dir.path, 'creada.sqlite');
    const created = await openStore({ dbPath: path, logger });
    await created.close();

    expect(await openFailure(path)).toBeNull();
  });
});
