/**
 * Turns the errors the command line meets at start (a database or Redis that cannot be reached, a
 * mistyped option, a busy port) into one Spanish line that names the value and the fix. Passwords
 * in URLs are always redacted. Errors not listed here return null, so the caller reports them as
 * unexpected.
 */
import { redactUrl } from './redact-url.ts';
import { DatabaseTooNewError } from './store/schema-version.ts';
import { StoreNotFoundError } from './store/open-store.ts';
import { DATABASE_URL_VARIABLE, REDIS_URL_VARIABLE } from './config.ts';

/** An error already worded for the person at the terminal; `cause` keeps the original for the log. */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** Locations and address the command uses, so that a message can name them. */
export interface StartContext {
  dbPath?: string;
  databaseUrl?: string;
  redisUrl?: string;
  host?: string;
  port?: number;
}

/** Network error codes of Node and their wording in a message. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'conexión rechazada',
  ECONNRESET: 'conexión cerrada por el otro lado',
  ENOTFOUND: 'no se encontró el nombre del equipo',
  EAI_AGAIN: 'no se pudo resolver el nombre del equipo',
  ETIMEDOUT: 'se agotó el tiempo de espera',
  EHOSTUNREACH: 'equipo inalcanzable',
  ENETUNREACH: 'red inalcanzable',
};

const SERVER_COMMAND = 'npm run server --';

/** Returns the Spanish line for a known start-up error, or null when the error is not one of them. */
export function describeStartError(error: unknown, context: StartContext): string | null {
  if (error instanceof CliError) return error.message;
  if (error instanceof StoreNotFoundError) return describeMissingStore(error);
  if (error instanceof DatabaseTooNewError) {
    return (
      `La base de datos ${quoteLocation(error.path)} tiene la versión de esquema ${error.databaseVersion}, pero este servidor ` +
      `solo conoce hasta la ${error.supportedVersion}. Use un servidor al menos tan nuevo como el último que la escribió.`
    );
  }
  if (!(error instanceof Error)) return null;
  const code = (error as NodeJS.ErrnoException).code;

  if (context.redisUrl !== undefined) {
    const redis = describeRedisError(error, context.redisUrl);
    if (redis !== null) return redis;
  }
  if (context.databaseUrl !== undefined) {
    const postgres = describePostgresError(error, context.databaseUrl);
    if (postgres !== null) return postgres;
  }
  if ((error as NodeJS.ErrnoException).syscall === 'listen' || (code === 'ENOTFOUND' && (error as { hostname?: string }).hostname === context.host)) {
    return describeListenError(error, context);
  }
  return null;
}

/** Returns the Spanish line for an error of `util.parseArgs`, or null for any other error. */
export function describeArgumentError(error: unknown, command: string): string | null {
  if (!(error instanceof Error)) return null;
  const code = (error as NodeJS.ErrnoException).code;
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? '';
  const help = `Use ${SERVER_COMMAND} --help para ver las opciones.`;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Opción desconocida para ${command}: "${quoted}". ${help}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Argumento inesperado para ${command}: "${quoted}". ${help}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // Node words this as "Option '--port <value>' argument missing" or "Option '--seed-demo' does not take an argument".
      const option = quoted.split(' ')[0] ?? quoted;
      return error.message.includes('does not take')
        ? `La opción ${option} de ${command} no lleva valor: quite "=…" después de ella. ${help}`
        : `Falta el valor de ${option} en ${command}. ${help}`;
    }
    default:
      return null;
  }
}

function describeMissingStore(error: StoreNotFoundError): string {
  const where = quoteLocation(error.location);
  if (error.dialect === 'postgres') {
    return (
      `La base de datos PostgreSQL ${where} no tiene las tablas de Gestiona. Revise --database-url (o ${DATABASE_URL_VARIABLE}), ` +
      `o inicie el servidor una vez con ${SERVER_COMMAND} serve para crearlas.`
    );
  }
  switch (error.reason) {
    case 'directory':
      return `${where} es una carpeta, no una base de datos. Indique el archivo SQLite con --db.`;
    case 'not-a-database':
      return `${where} no es una base de datos SQLite. Revise --db.`;
    case 'no-schema':
      return `${where} no tiene las tablas de Gestiona. Revise --db, o inicie el servidor una vez con ${SERVER_COMMAND} serve --db ${where} para crearlas.`;
    case 'missing-file':
      return `No existe la base de datos ${where}. Revise --db, o inicie el servidor una vez con ${SERVER_COMMAND} serve --db ${where} para crearla.`;
  }
}

function describePostgresError(error: Error, databaseUrl: string): string | null {
  const code = (error as NodeJS.ErrnoException).code;
  const url = redactUrl(databaseUrl);
  const target = postgresTarget(databaseUrl);
  const fix = `corrija --database-url (o ${DATABASE_URL_VARIABLE})`;

  if (code === '3D000') {
    return (
      `No existe la base de datos "${target.database}" en PostgreSQL (${url}). Créela con ` +
      `createdb -h ${target.host} -p ${target.port} -U ${target.user} ${target.database} y repita el comando, o ${fix}.`
    );
  }
  if (code === '28P01') return `PostgreSQL rechazó la clave del usuario "${target.user}" (${url}). Revise el usuario y la clave y ${fix}.`;
  if (code === '28000') {
    return `PostgreSQL no dejó entrar al usuario "${target.user}" (${url}): revise que el usuario exista y que pg_hba.conf le permita conectarse desde este equipo, o ${fix}.`;
  }
  const reason = code === undefined ? undefined : NETWORK_REASONS[code];
  if (reason !== undefined) {
    return `No se pudo conectar con PostgreSQL en ${url} (${reason}). Revise que PostgreSQL esté en marcha en ${target.host}:${target.port}, o ${fix}.`;
  }
  return null;
}

/**
 * Recognizes the Redis adapter's errors by their English wording, "Redis at URL is unreachable (REASON)…"
 * and "Invalid Redis key prefix", because they carry no code. cli-start-errors.test.ts fails if that wording changes.
 */
function describeRedisError(error: Error, redisUrl: string): string | null {
  const url = redactUrl(redisUrl);
  const fix = `corrija --redis-url (o ${REDIS_URL_VARIABLE})`;
  if (error.message.startsWith('Invalid Redis key prefix')) {
    const prefix = /"([^"]*)"/.exec(error.message)?.[1] ?? '';
    return `Prefijo de Redis inválido: "${prefix}". Use de 1 a 100 letras, dígitos, ".", ":", "_" o "-" en --redis-key-prefix.`;
  }
  if (!error.message.startsWith('Redis at ')) return null;
  const code = /\b(E[A-Z_]{3,})\b/.exec(error.message)?.[1];
  const reason = (code === undefined ? undefined : NETWORK_REASONS[code]) ?? 'no responde';
  return `No se pudo conectar con Redis en ${url} (${reason}). Inicie Redis en esa dirección o ${fix}.`;
}

function describeListenError(error: Error, context: StartContext): string | null {
  const code = (error as NodeJS.ErrnoException).code;
  const address = `${context.host ?? '?'}:${context.port ?? '?'}`;
  switch (code) {
    case 'EADDRINUSE':
      return `El puerto ${context.port} ya está en uso en ${context.host}. Detenga el proceso que lo usa o elija otro con --port.`;
    case 'EACCES':
      return `No hay permiso para escuchar en ${address}. Use un puerto mayor que 1023 con --port.`;
    case 'EADDRNOTAVAIL':
      return `La dirección ${context.host} no pertenece a este equipo. Revise --host.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `No se encontró la dirección "${context.host}". Revise --host.`;
    default:
      return null;
  }
}

/** Host, port, user and database of a PostgreSQL URL, with the defaults of libpq for the parts left out. */
function postgresTarget(databaseUrl: string): { host: string; port: string; user: string; database: string } {
  try {
    const url = new URL(databaseUrl);
    // node-postgres falls back to PGUSER, then to the operating-system user, like libpq.
    const user = decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || 'postgres';
    return {
      host: url.hostname || 'localhost',
      port: url.port || '5432',
      user,
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || user,
    };
  } catch {
    return { host: 'localhost', port: '5432', user: 'postgres', database: '?' };
  }
}

/** Paths with spaces are quoted so that the command in the message can be copied as is. */
function quoteLocation(location: string): string {
  return /\s/.test(location) ? `"${location}"` : location;
}
