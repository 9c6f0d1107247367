/**
 * Selection of the command line's database, Redis and TLS files: flags first, then environment variables,
 * then the default SQLite file. Error messages are in Spanish because the command line prints them.
 */
import { resolve } from 'node:path';
import { CHANNELS_CONFIG_VARIABLE, DISABLED_CHANNELS, loadChannelsConfigFile, type ChannelsConfig } from './channels/channel-config.ts';
import { DEFAULT_DB_PATH } from './paths.ts';
import type { StoreLocation } from './store/open-store.ts';

export const DATABASE_URL_VARIABLE = 'GESTIONA_DATABASE_URL';
export const REDIS_URL_VARIABLE = 'GESTIONA_REDIS_URL';

export type ConfigResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * `--db FILE` selects SQLite and `--database-url URL` PostgreSQL; giving both is an error. With
 * neither, a non-empty GESTIONA_DATABASE_URL selects PostgreSQL, and otherwise the default SQLite
 * file is used.
 */
export function resolveStoreLocation(
  flags: { db?: string; databaseUrl?: string },
  environment: Record<string, string | undefined> = process.env,
): ConfigResult<StoreLocation> {
  if (flags.db !== undefined && flags.databaseUrl !== undefined) {
    return { ok: false, message: 'Indique --db (archivo SQLite) o --database-url (PostgreSQL), no ambos.' };
  }
  if (flags.databaseUrl !== undefined) return { ok: true, value: { databaseUrl: flags.databaseUrl } };
  if (flags.db !== undefined) return { ok: true, value: { dbPath: resolve(flags.db) } };

  const fromEnvironment = environment[DATABASE_URL_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return { ok: true, value: { databaseUrl: fromEnvironment } };
  return { ok: true, value: { dbPath: DEFAULT_DB_PATH } };
}

/** `--redis-url URL`, else a non-empty GESTIONA_REDIS_URL, else none (a single node). */
export function resolveRedisUrl(flag: string | undefined, environment: Record<string, string | undefined> = process.env): string | undefined {
  if (flag !== undefined) return flag;
  const fromEnvironment = environment[REDIS_URL_VARIABLE];
  return fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment;
}

export const TLS_CERT_VARIABLE = 'GESTIONA_TLS_CERT';
export const TLS_KEY_VARIABLE = 'GESTIONA_TLS_KEY';
export const TLS_CA_VARIABLE = 'GESTIONA_TLS_CA';

/** PEM files of the server's certificate; `caFile` contains the intermediate certificates sent along with it. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile?: string;
}

/**
 * `--tls-cert`, `--tls-key` and `--tls-ca`, each flag over its non-empty variable
 * (GESTIONA_TLS_CERT, GESTIONA_TLS_KEY, GESTIONA_TLS_CA). None set means plain HTTP. A certificate
 * without its key, or the reverse, or an intermediate file without both, is an error.
 */
export function resolveTlsFiles(
  flags: { tlsCert?: string; tlsKey?: string; tlsCa?: string },
  environment: Record<string, string | undefined> = process.env,
): ConfigResult<TlsFiles | undefined> {
  const pick = (flag: string | undefined, variable: string): string | undefined => {
    if (flag !== undefined) return flag;
    const fromEnvironment = environment[variable];
    return fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment;
  };
  const certFile = pick(flags.tlsCert, TLS_CERT_VARIABLE);
  const keyFile = pick(flags.tlsKey, TLS_KEY_VARIABLE);
  const caFile = pick(flags.tlsCa, TLS_CA_VARIABLE);

  if (certFile === undefined && keyFile === undefined) {
    if (caFile === undefined) return { ok: true, value: undefined };
    return { ok: false, message: `--tls-ca (${TLS_CA_VARIABLE}) necesita también --tls-cert y --tls-key: indique el certificado del servidor y su clave.` };
  }
  if (certFile === undefined) {
    return { ok: false, message: `Falta el certificado: indique --tls-cert ARCHIVO (o ${TLS_CERT_VARIABLE}) junto con --tls-key.` };
  }
  if (keyFile === undefined) {
    return { ok: false, message: `Falta la clave privada: indique --tls-key ARCHIVO (o ${TLS_KEY_VARIABLE}) junto con --tls-cert.` };
  }
  const files: TlsFiles = { certFile: resolve(certFile), keyFile: resolve(keyFile) };
  if (caFile !== undefined) files.caFile = resolve(caFile);
  return { ok: true, value: files };
}

/**
 * `--channels-config ARCHIVO`, else a non-empty GESTIONA_CHANNELS_CONFIG: the JSON file of the
 * channel dispatcher (`server/src/channels/channel-config.ts`). With neither, every channel is off.
 */
export function resolveChannelsConfig(flag: string | undefined, environment: Record<string, string | undefined> = process.env): ConfigResult<ChannelsConfig> {
  const fromEnvironment = environment[CHANNELS_CONFIG_VARIABLE];
  const path = flag ?? (fromEnvironment === undefined || fromEnvironment === '' ? undefined : fromEnvironment);
  if (path === undefined) return { ok: true, value: DISABLED_CHANNELS };
  try {
    return { ok: true, value: loadChannelsConfigFile(resolve(path)) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
