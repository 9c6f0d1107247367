/**
 * Command line of the central server (`npm run server -- <command>`): serve, import a portfolio,
 * add users, lease debtors. Output for people is Spanish; the server's own log is pino JSON.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SEGMENTS } from '@gestiona/core/domain';
import { AppError } from '@gestiona/core/result';
import { roleSchema } from '@gestiona/core/sync';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from './app.ts';
import { seedDemo } from './demo-seed.ts';
import { PortfolioImportError } from './import/problems.ts';
import { childLogger, createLogger } from './logger.ts';
import { DEFAULT_DB_PATH, SAMPLE_PORTFOLIO_FILE } from './paths.ts';
import { openServerStore } from './store/sqlite-store.ts';
import type { ServerStore } from './store/types.ts';

const SEGMENT_LABELS = { preventiva: 'Preventiva', temprana: 'Temprana', media: 'Media', tardia: 'Tardía', castigada: 'Castigada' } as const;

const HELP = `Gestiona: servidor central

Uso: npm run server -- <comando> [opciones]

Comandos:
  serve [--db ARCHIVO] [--host H] [--port N] [--seed-demo]
      Inicia el servidor (HTTP y socket.io en el mismo puerto).
      --db ARCHIVO   base de datos SQLite (por defecto ${DEFAULT_DB_PATH})
      --host H       dirección en la que escucha (por defecto ${DEFAULT_HOST})
      --port N       puerto TCP (por defecto ${DEFAULT_PORT}; 0 = uno libre)
      --seed-demo    si la base está vacía, crea los usuarios de demostración, importa la
                     cartera de ejemplo, asigna los deudores e imprime las credenciales

  import ARCHIVO [--db ARCHIVO] [--creditor NOMBRE]
      Importa una cartera (CSV con punto y coma o XLSX). Todo o nada: si hay errores los
      lista todos, sale con código 1 y no guarda nada.
      --creditor NOMBRE  entidad para las filas sin columna "entidad"

  users add --username U --name NOMBRE --role agent|team-lead|admin [--password P] [--db ARCHIVO]
      Crea un usuario. Sin --password se genera una contraseña y se imprime una sola vez.

  lease [--db ARCHIVO]
      Cierra las asignaciones vencidas y asigna los deudores sin agente, repartidos por igual
      entre los agentes activos, en orden de prioridad (cada asignación dura 7 días).

  --help   muestra esta ayuda
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return command === undefined ? 1 : 0;
  }

  switch (command) {
    case 'serve':
      return serve(rest);
    case 'import':
      return importFile(rest);
    case 'users':
      return users(rest);
    case 'lease':
      return lease(rest);
    default:
      console.error(`Comando desconocido: "${command}". Use --help para ver los comandos.`);
      return 1;
  }
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, 'seed-demo': { type: 'boolean' }, help: { type: 'boolean' } },
  });
  if (values.help) return printHelp();

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Puerto inválido: "${values.port}". Use un número de 0 a 65535.`);
    return 1;
  }

  const logger = createLogger();
  const server = await startServer({ dbPath: resolve(values.db ?? DEFAULT_DB_PATH), host: values.host ?? DEFAULT_HOST, port, logger });

  if (values['seed-demo']) {
    if ((await server.store.countDebtors()) > 0 && (await server.store.listUsers()).length > 0) {
      console.log('La base ya tiene datos: no se sembró la demostración. Use una base vacía con --db.');
    } else {
      const { users: demoUsers } = await seedDemo(server.store, { portfolioFile: SAMPLE_PORTFOLIO_FILE, now: new Date() });
      console.log('Usuarios de demostración (solo para pruebas):');
      for (const user of demoUsers) console.log(`  ${user.username.padEnd(12)} ${user.password.padEnd(18)} ${user.role.padEnd(10)} ${user.fullName}`);
    }
  }
  console.log(`Servidor escuchando en ${server.url}`);

  await new Promise<void>((resolveStop) => {
    const stop = (signal: NodeJS.Signals) => {
      childLogger(logger, 'cli').info({ signal }, 'stop server: signal received');
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

async function importFile(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: 'string' }, creditor: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return printHelp();
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    console.error('Indique un solo archivo: npm run server -- import ARCHIVO [--creditor NOMBRE].');
    return 1;
  }

  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    console.error(`No se pudo leer "${file}": ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }

  return withStore(values.db, async (store) => {
    try {
      const summary = await store.importPortfolio({
        fileName: basename(file),
        bytes,
        creditor: values.creditor ?? null,
        importedBy: `cli:${userInfo().username}`,
        now: new Date(),
      });
      console.log(`Cartera importada: ${summary.fileName} (${summary.encoding})`);
      console.log(`  Deudores:     ${summary.debtors} (${summary.debtorsCreated} nuevos)`);
      console.log(`  Obligaciones: ${summary.obligations} (${summary.obligationsCreated} nuevas)`);
      console.log('  Por segmento:');
      for (const segment of SEGMENTS) console.log(`    ${SEGMENT_LABELS[segment].padEnd(11)} ${summary.bySegment[segment]}`);
      console.log('Asigne los deudores nuevos con: npm run server -- lease');
      return 0;
    } catch (error) {
      if (!(error instanceof PortfolioImportError)) throw error;
      console.error(`No se importó "${file}": ${error.total === 1 ? '1 error' : `${error.total} errores`}. No se guardó nada.`);
      for (const line of error.lines()) console.error(`  ${line}`);
      return 1;
    }
  });
}

async function users(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand !== 'add') {
    console.error('Use: npm run server -- users add --username U --name NOMBRE --role agent|team-lead|admin [--password P].');
    return 1;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: 'string' },
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return printHelp();

  const role = roleSchema.safeParse(values.role);
  if (!values.username || !values.name || !role.success) {
    console.error('Faltan datos: indique --username, --name y --role (agent, team-lead o admin).');
    return 1;
  }
  const generated = values.password === undefined;
  const password = values.password ?? generatePassword();

  return withStore(values.db, async (store) => {
    const user = await store.createUser({ username: values.username!, fullName: values.name!, role: role.data, password });
    console.log(`Usuario creado: ${user.username} (${user.role}) — ${user.fullName}`);
    if (generated) console.log(`Contraseña generada (no se volverá a mostrar): ${password}`);
    return 0;
  });
}

async function lease(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { db: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return printHelp();

  return withStore(values.db, async (store) => {
    const summary = await store.leaseUnassigned(new Date());
    const agents = new Map((await store.listUsers()).map((user) => [user.id, user.username]));
    console.log(`Asignaciones vencidas cerradas: ${summary.expired}. Deudores asignados: ${summary.granted}.`);
    if (Object.keys(summary.perAgent).length === 0) console.log('No hay agentes activos: cree uno con "users add --role agent".');
    for (const [agentId, count] of Object.entries(summary.perAgent)) console.log(`  ${agents.get(agentId) ?? agentId}: ${count} deudores`);
    return 0;
  });
}

async function withStore(dbOption: string | undefined, work: (store: ServerStore) => Promise<number>): Promise<number> {
  const logger = createLogger({ level: process.env.GESTIONA_LOG_LEVEL ?? 'warn' });
  const store = await openServerStore({ dbPath: resolve(dbOption ?? DEFAULT_DB_PATH), logger: childLogger(logger, 'store') });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function generatePassword(): string {
  return `g-${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

function printHelp(): number {
  console.log(HELP);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof AppError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
