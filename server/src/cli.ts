/**
 * Command line of the central server (`npm run server -- <command>`): serve, import a portfolio,
 * add users, lease debtors, list compliance alarms, export a debtor's evidence, view and correct
 * the rule pack. Output for people is Spanish; the server's own log is pino JSON.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { normalizeDebtorId } from '@gestiona/core/debtor-id';
import { AppError } from '@gestiona/core/result';
import { roleSchema } from '@gestiona/core/sync';
import { RULE_PACK_HELP, rulePackCommand } from './admin/rule-pack-cli.ts';
import { STRATEGY_HELP, strategyCommand } from './strategy/strategy-cli.ts';
import { CHANNELS_HELP, channelsCommand } from './channels/channels-cli.ts';
import { CATALOG_HELP, catalogCommand } from './catalog/catalog-cli.ts';
import { SCRIPTS_HELP, scriptsCommand } from './scripts/script-cli.ts';
import { AUDIT_HELP, auditCommand } from './admin/view-audit-cli.ts';
import { TEAMS_HELP, teamsCommand } from './admin/teams-cli.ts';
import { DEFAULT_HOST, DEFAULT_PORT, startServer, type RunningServer } from './app.ts';
import { DEFAULT_ALARM_LIMIT } from './compliance/alarm-routes.ts';
import { alarmCsv } from './compliance/alarm-csv.ts';
import { alarmLines, parseSince } from './compliance/alarm-text.ts';
import { writeEvidenceFiles } from './evidence/write-files.ts';
import {
  DATABASE_URL_VARIABLE,
  REDIS_URL_VARIABLE,
  resolveRedisUrl,
  resolveTlsFiles,
  resolveChannelsConfig,
  TLS_CA_VARIABLE,
  TLS_CERT_VARIABLE,
  TLS_KEY_VARIABLE,
} from './config.ts';
import { seedDemo } from './demo-seed.ts';
import { LEASE_HELP, leaseCommand } from './leases/lease-cli.ts';
import { PortfolioImportError } from './import/problems.ts';
import { OBLIGATION_TERMS_HELP, OBLIGATION_TERMS_USAGE, termsSummaryLines } from './obligation-terms/cli-command.ts';
import { PAYMENTS_HELP, paymentsCommand } from './payments/cli-command.ts';
import { childLogger, createLogger } from './logger.ts';
import { CliError, describeArgumentError } from './cli-errors.ts';
import { commandLogger, DATABASE_OPTIONS, startFailure, storeLocation, withStore } from './cli-store.ts';
import { DEFAULT_DB_PATH, SAMPLE_PORTFOLIO_FILE } from './paths.ts';
import { DEFAULT_REDIS_KEY_PREFIX } from './redis-adapter.ts';
import { DEFAULT_TEAM_NAME } from './store/teams.ts';
import { ALARM_KINDS, type ServerStore } from './store/types.ts';
import { loadTlsMaterial } from './tls.ts';

const SEGMENT_LABELS = { preventiva: 'Preventiva', temprana: 'Temprana', media: 'Media', tardia: 'Tardía', castigada: 'Castigada' } as const;

const HELP = `Gestiona: servidor central

Uso: npm run server -- <comando> [opciones]

Base de datos (todos los comandos):
  --db ARCHIVO          base de datos SQLite, para un solo servidor
                        (por defecto ${DEFAULT_DB_PATH})
  --database-url URL    base de datos PostgreSQL, postgres://usuario:clave@host:puerto/base,
                        que varios servidores pueden compartir; también se toma de la
                        variable ${DATABASE_URL_VARIABLE} cuando no se indica --db
  No se pueden indicar --db y --database-url a la vez.
  Solo serve, import y users add crean el archivo SQLite cuando no existe; los demás comandos
  fallan y nombran la ruta. La base PostgreSQL debe existir (créela con createdb) y serve crea
  sus tablas; los demás comandos fallan si no las tiene.

Comandos:
  serve [--host H] [--port N] [--tls-cert ARCHIVO --tls-key ARCHIVO [--tls-ca ARCHIVO]]
        [--redis-url URL] [--redis-key-prefix P] [--seed-demo] [--channels-config ARCHIVO]
      Inicia el servidor (HTTP y socket.io en el mismo puerto; HTTPS y WSS con --tls-cert).
      --host H               dirección en la que escucha (por defecto ${DEFAULT_HOST})
      --port N               puerto TCP (por defecto ${DEFAULT_PORT}; 0 = uno libre)
      --tls-cert ARCHIVO     certificado del servidor en PEM; activa HTTPS y WSS. También se toma
                             de la variable ${TLS_CERT_VARIABLE}
      --tls-key ARCHIVO      clave privada del certificado en PEM, sin contraseña
                             (o la variable ${TLS_KEY_VARIABLE})
      --tls-ca ARCHIVO       certificados intermedios en PEM que se envían con el certificado
                             (o la variable ${TLS_CA_VARIABLE})
                             Sin certificado el servidor habla HTTP sin cifrar: fuera de 127.0.0.1
                             ponga delante un balanceador o proxy que termine TLS.
      --redis-url URL        Redis por el que varios servidores comparten los avisos a las
                             estaciones, redis://host:puerto; también se toma de la variable
                             ${REDIS_URL_VARIABLE}. Sin Redis, cada servidor avisa solo a sus estaciones.
      --redis-key-prefix P   prefijo de los canales en Redis (por defecto ${DEFAULT_REDIS_KEY_PREFIX});
                             los servidores que se avisan entre sí deben usar el mismo
      --seed-demo            si la base está vacía, crea los usuarios de demostración, importa la
                             cartera de ejemplo, asigna los deudores e imprime las credenciales
      --channels-config ARCHIVO  JSON con los canales de la estrategia (SMTP, pasarelas de SMS y
                             WhatsApp, cartas, visitas); también GESTIONA_CHANNELS_CONFIG. Sin él,
                             el servidor no envía nada por esos canales

  import ARCHIVO [--creditor NOMBRE]
      Importa una cartera (CSV con punto y coma o XLSX). Todo o nada: si hay errores los
      lista todos, sale con código 1 y no guarda nada.
      --creditor NOMBRE  entidad para las filas sin columna "entidad"

${OBLIGATION_TERMS_HELP}${PAYMENTS_HELP}
  schedule-requests import ARCHIVO
      Importa las solicitudes de horario de contacto (R9) de titulares y codeudores ya cargados
      (CSV con punto y coma o XLSX). Todo o nada. Cada solicitud reemplaza la anterior de la
      persona, que queda en el historial.

  users add --username U --name NOMBRE --role agent|team-lead|admin [--password P] [--team EQUIPO]
      Crea un usuario. Sin --password se genera una contraseña y se imprime una sola vez.
      --team EQUIPO   el equipo al que pertenece el agente o que dirige el supervisor
                      (por defecto "General"); no se usa con un administrador

  users disable USUARIO
      Deshabilita un usuario: ya no puede iniciar sesión ni renovarla, sus sesiones abiertas
      terminan y sus estaciones lo desconectan y borran su acceso sin conexión en la próxima
      conexión con el servidor.

  users enable USUARIO
      Vuelve a habilitar un usuario deshabilitado; debe iniciar sesión de nuevo.

${TEAMS_HELP}

  alarms [--kind TIPO] [--since FECHA] [--limit N] [--csv ARCHIVO]
      Lista las alarmas de cumplimiento, de la más reciente a la más antigua, con horas de Bogotá.
      --kind TIPO     solo un tipo: ${ALARM_KINDS.join(', ')}
      --since FECHA   solo desde esa fecha (dd/mm/aaaa, desde las 00:00 de Bogotá) o instante ISO-8601
      --limit N       cuántas alarmas como máximo (por defecto 100)
      --csv ARCHIVO   las escribe en ARCHIVO para Excel (CSV con punto y coma, UTF-8) en vez de
                      listarlas; reemplaza el archivo si existe

  evidence DEUDOR --out CARPETA
      Exporta la evidencia de cumplimiento de un deudor (para una queja ante la SFC o la SIC) en
      CARPETA: evidencia-DEUDOR.json y evidencia-DEUDOR.pdf.

${AUDIT_HELP}

${RULE_PACK_HELP}
${STRATEGY_HELP}
${CHANNELS_HELP}
${CATALOG_HELP}
${SCRIPTS_HELP}

${LEASE_HELP}

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
    case 'schedule-requests':
      return scheduleRequests(rest);
    case 'users':
      return users(rest);
    case 'teams':
      return teamsCommand(rest, CONSOLE_CONTEXT);
    case 'lease':
      return leaseCommand(rest, CONSOLE_CONTEXT);
    case 'alarms':
      return alarms(rest);
    case 'evidence':
      return evidence(rest);
    case 'catalog':
    case 'holds':
      return catalogCommand(command, rest, CONSOLE_CONTEXT);
    case 'strategy':
      return strategyCommand(rest, CONSOLE_CONTEXT);
    case 'scripts':
      return scriptsCommand(rest, CONSOLE_CONTEXT);
    case 'rule-pack':
      return rulePackCommand(rest, CONSOLE_CONTEXT);
    case 'obligation-terms':
      return obligationTerms(rest);
    case 'channels':
      return channelsCommand(rest, {
        ...CONSOLE_CONTEXT,
        loadConfig: (flag) => {
          const config = resolveChannelsConfig(flag);
          if (config.ok) return config.value;
          console.error(config.message);
          return null;
        },
        logger: createLogger({ level: process.env.GESTIONA_LOG_LEVEL ?? 'warn' }).child({ subsystem: 'channels' }),
      });
    case 'payments':
    case 'promises':
      return paymentsCommand(command, rest, CONSOLE_CONTEXT);
    case 'audit':
      return auditCommand(rest, CONSOLE_CONTEXT);
    default:
      console.error(`Comando desconocido: "${command}". Use --help para ver los comandos.`);
      return 1;
  }
}

async function obligationTerms(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { ...DATABASE_OPTIONS, creditor: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return printHelp();
  const file = positionals[0];
  if (subcommand !== 'import' || !file || positionals.length > 1) {
    console.error(`Use: ${OBLIGATION_TERMS_USAGE}.`);
    return 1;
  }
  const location = storeLocation(values);

  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    console.error(`No se pudo leer "${file}": ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }

  return withStore(location, async (store) => {
    try {
      const summary = await store.importObligationTerms({
        fileName: basename(file),
        bytes,
        creditor: values.creditor ?? null,
        importedBy: `cli:${userInfo().username}`,
        now: new Date(),
      });
      for (const line of termsSummaryLines(summary)) console.log(line);
      return 0;
    } catch (error) {
      if (!(error instanceof PortfolioImportError)) throw error;
      console.error(`No se importó "${file}": ${error.total === 1 ? '1 error' : `${error.total} errores`}. No se guardó nada.`);
      for (const line of error.lines()) console.error(`  ${line}`);
      return 1;
    }
  });
}

async function serve(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...DATABASE_OPTIONS,
      host: { type: 'string' },
      port: { type: 'string' },
      'redis-url': { type: 'string' },
      'redis-key-prefix': { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-ca': { type: 'string' },
      'seed-demo': { type: 'boolean' },
      'channels-config': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return printHelp();
  const location = storeLocation(values);
  const channels = resolveChannelsConfig(values['channels-config']);
  if (!channels.ok) {
    console.error(channels.message);
    return 1;
  }

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Puerto inválido: "${values.port}". Use un número de 0 a 65535.`);
    return 1;
  }
  const tlsFiles = resolveTlsFiles({ tlsCert: values['tls-cert'], tlsKey: values['tls-key'], tlsCa: values['tls-ca'] });
  if (!tlsFiles.ok) {
    console.error(tlsFiles.message);
    return 1;
  }
  const tls = tlsFiles.value === undefined ? undefined : await loadTlsMaterial(tlsFiles.value);
  if (tls !== undefined && !tls.ok) {
    console.error(tls.message);
    return 1;
  }

  const logger = createLogger();
  const host = values.host ?? DEFAULT_HOST;
  const redisUrl = resolveRedisUrl(values['redis-url']);
  const isNewFile = location.dbPath !== undefined && !existsSync(location.dbPath);
  let server: RunningServer;
  try {
    server = await startServer({ ...location, host, port, logger, redisUrl, redisKeyPrefix: values['redis-key-prefix'], tls: tls?.value, channels: channels.value });
  } catch (error) {
    throw startFailure(error, { ...location, redisUrl, host, port }, logger);
  }
  // Printed so that a mistyped --db is noticed before workstations start writing to it.
  if (isNewFile) console.log(`Se creó la base de datos nueva ${location.dbPath}.`);

  if (values['seed-demo']) {
    if ((await server.store.countDebtors()) > 0 && (await server.store.listUsers()).length > 0) {
      console.log('La base ya tiene datos: no se sembró la demostración. Use una base vacía con --db o --database-url.');
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
    options: { ...DATABASE_OPTIONS, creditor: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return printHelp();
  const location = storeLocation(values);
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

  return withStore(location, async (store) => {
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
      for (const [segment, count] of Object.entries(summary.bySegment)) {
        console.log(`    ${(SEGMENT_LABELS[segment as keyof typeof SEGMENT_LABELS] ?? segment).padEnd(11)} ${count}`);
      }
      console.log('Asigne los deudores nuevos con: npm run server -- lease');
      return 0;
    } catch (error) {
      if (!(error instanceof PortfolioImportError)) throw error;
      console.error(`No se importó "${file}": ${error.total === 1 ? '1 error' : `${error.total} errores`}. No se guardó nada.`);
      for (const line of error.lines()) console.error(`  ${line}`);
      return 1;
    }
  }, { create: true, out: (line) => console.log(line) });
}

async function scheduleRequests(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { ...DATABASE_OPTIONS, help: { type: 'boolean' } } });
  if (values.help) return printHelp();
  const file = positionals[0];
  if (subcommand !== 'import' || !file || positionals.length > 1) {
    console.error('Use: npm run server -- schedule-requests import ARCHIVO.');
    return 1;
  }
  const location = storeLocation(values);

  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    console.error(`No se pudo leer "${file}": ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }

  return withStore(location, async (store) => {
    try {
      const summary = await store.importScheduleRequests({ fileName: basename(file), bytes, importedBy: `cli:${userInfo().username}`, now: new Date() });
      console.log(`Solicitudes de horario importadas: ${summary.fileName} (${summary.encoding})`);
      console.log(`  Solicitudes: ${summary.requests} (${summary.replaced} reemplazan una anterior)`);
      console.log(`  Deudores enviados de nuevo a su agente: ${summary.debtorsUpdated}`);
      return 0;
    } catch (error) {
      if (!(error instanceof PortfolioImportError)) throw error;
      console.error(`No se importó "${file}": ${error.total === 1 ? '1 error' : `${error.total} errores`}. No se guardó nada.`);
      for (const line of error.lines()) console.error(`  ${line}`);
      return 1;
    }
  });
}

const USERS_USAGE =
  'Use: npm run server -- users add --username U --name NOMBRE --role agent|team-lead|admin [--password P] [--team EQUIPO], users disable USUARIO o users enable USUARIO.';

async function users(args: string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === 'disable' || subcommand === 'enable') return setUserActive(subcommand, rest);
  if (subcommand !== 'add') {
    console.error(USERS_USAGE);
    return 1;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      ...DATABASE_OPTIONS,
      username: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      team: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return printHelp();
  const location = storeLocation(values);

  const role = roleSchema.safeParse(values.role);
  if (!values.username || !values.name || !role.success) {
    console.error('Faltan datos: indique --username, --name y --role (agent, team-lead o admin).');
    return 1;
  }
  const generated = values.password === undefined;
  const password = values.password ?? generatePassword();

  return withStore(location, async (store) => {
    const user = await store.createUser({ username: values.username!, fullName: values.name!, role: role.data, password, team: values.team });
    console.log(`Usuario creado: ${user.username} (${user.role}) — ${user.fullName}`);
    if (user.role === 'agent') console.log(`  Equipo: ${values.team ?? DEFAULT_TEAM_NAME}`);
    if (user.role === 'team-lead') console.log(`  Dirige el equipo: ${values.team ?? DEFAULT_TEAM_NAME}`);
    if (generated) console.log(`Contraseña generada (no se volverá a mostrar): ${password}`);
    return 0;
  }, { create: true, out: (line) => console.log(line) });
}

async function setUserActive(subcommand: 'disable' | 'enable', args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DATABASE_OPTIONS, help: { type: 'boolean' } } });
  if (values.help) return printHelp();
  const location = storeLocation(values);
  const username = positionals.length === 1 ? positionals[0]!.trim() : '';
  if (username === '') {
    console.error(`Indique un solo usuario: npm run server -- users ${subcommand} USUARIO.`);
    return 1;
  }

  return withStore(location, async (store) => {
    if (subcommand === 'enable') {
      if (!(await store.setUserActive(username, true))) return unknownUser(username);
      console.log(`Usuario habilitado: ${username.toLowerCase()}. Debe iniciar sesión de nuevo con su contraseña.`);
      return 0;
    }

    const disabled = await store.disableUser(username, new Date());
    if (!disabled) return unknownUser(username);
    console.log(`Usuario deshabilitado: ${disabled.user.username} (${disabled.user.role}) — ${disabled.user.fullName}`);
    console.log(`  Sesiones terminadas: ${disabled.endedSessions}; cadenas de renovación revocadas: ${disabled.revokedChains}`);
    if (disabled.workstationIds.length > 0) {
      console.log(`  Estaciones con sesión: ${disabled.workstationIds.join(', ')}`);
      // The command writes to the database directly, so a running server does not close the sockets it already holds.
      console.log(
        '  Un servidor en marcha no cierra las conexiones ya abiertas: esas estaciones siguen conectadas hasta su próxima reconexión. ' +
          'Para cerrarlas de inmediato, use POST /api/admin/users/USUARIO/disable con una sesión de administrador.',
      );
    }
    return 0;
  });
}

function unknownUser(username: string): number {
  console.error(`No existe el usuario "${username}". Revise el nombre de usuario.`);
  return 1;
}

async function alarms(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...DATABASE_OPTIONS, kind: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, csv: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return printHelp();
  const location = storeLocation(values);

  const kind = ALARM_KINDS.find((candidate) => candidate === values.kind);
  if (values.kind !== undefined && kind === undefined) {
    console.error(`Tipo de alarma inválido: "${values.kind}". Use uno de: ${ALARM_KINDS.join(', ')}.`);
    return 1;
  }
  const since = values.since === undefined ? undefined : parseSince(values.since);
  if (since === null) {
    console.error(`Fecha inválida: "${values.since}". Use dd/mm/aaaa o un instante ISO-8601 con zona, p. ej. 2026-12-04T08:00:00-05:00.`);
    return 1;
  }
  const limit = values.limit === undefined ? DEFAULT_ALARM_LIMIT : Number(values.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) {
    console.error(`Límite inválido: "${values.limit}". Use un número entero mayor que 0.`);
    return 1;
  }

  return withStore(location, async (store) => {
    const found = await store.listAlarms({ kind, since, limit });
    const names = new Map((await store.listUsers()).map((user) => [user.id, user.fullName]));
    if (values.csv !== undefined) return writeAlarmCsv(values.csv, alarmCsv(found, names), found.length);
    if (found.length === 0) {
      console.log('No hay alarmas.');
      return 0;
    }
    console.log(`${found.length === 1 ? '1 alarma' : `${found.length} alarmas`} (horas de Bogotá):`);
    for (const alarm of found) for (const line of alarmLines(alarm, names.get(alarm.agentId))) console.log(line);
    return 0;
  });
}

async function writeAlarmCsv(file: string, text: string, count: number): Promise<number> {
  try {
    await writeFile(file, text, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`No se pudo escribir "${file}" (${reason}). Revise que la carpeta exista y que tenga permiso de escritura.`);
    return 1;
  }
  console.log(`${count === 1 ? '1 alarma exportada' : `${count} alarmas exportadas`} a ${file}.`);
  return 0;
}

async function evidence(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ...DATABASE_OPTIONS, out: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return printHelp();
  const location = storeLocation(values);
  const debtorId = positionals[0] === undefined ? undefined : normalizeDebtorId(positionals[0]);
  if (!debtorId || positionals.length > 1 || !values.out) {
    console.error('Indique un deudor y la carpeta de salida: npm run server -- evidence DEUDOR --out CARPETA.');
    return 1;
  }

  return withStore(location, async (store) => {
    const files = await writeEvidenceFiles(store, debtorId, values.out!, new Date());
    if (files === null) {
      console.error(`El deudor "${debtorId}" no existe. Use el identificador TIPO-NÚMERO, p. ej. CC-1020304050.`);
      return 1;
    }
    console.log('Evidencia exportada:');
    console.log(`  ${files.json}`);
    console.log(`  ${files.pdf}`);
    return 0;
  });
}

/** The context the subcommand modules run in: the store that --db or --database-url names, and the console. */
const CONSOLE_CONTEXT = {
  withStore: (values: { db?: string; 'database-url'?: string }, work: (store: ServerStore) => Promise<number>): Promise<number> => withStore(storeLocation(values), work),
  out: (line: string) => console.log(line),
  err: (line: string) => console.error(line),
  now: () => new Date(),
};

function generatePassword(): string {
  return `g-${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
}

function printHelp(): number {
  console.log(HELP);
  return 0;
}

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = 1;
    if (error instanceof AppError || error instanceof CliError) {
      console.error(error.message);
      return;
    }
    const argumentMessage = describeArgumentError(error, argv[0] ?? '');
    if (argumentMessage !== null) {
      console.error(argumentMessage);
      return;
    }
    // A failure no message above covers is a defect: its stack goes to the JSON log for the report.
    childLogger(commandLogger(), 'cli').error({ err: error, command: argv[0] }, 'run command: failed');
    console.error(`Error inesperado en ${argv[0]}: ${error instanceof Error ? error.message : String(error)}. El detalle quedó en el registro JSON.`);
  },
);
