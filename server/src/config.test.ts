import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRedisUrl, resolveStoreLocation, resolveTlsFiles } from './config.ts';
import { DEFAULT_DB_PATH } from './paths.ts';

const PG_URL = 'postgres://gestiona@127.0.0.1:5432/gestiona';

describe('resolveStoreLocation', () => {
  const cases: [string, { db?: string; databaseUrl?: string }, Record<string, string>, object][] = [
    ['the default file with nothing set', {}, {}, { dbPath: DEFAULT_DB_PATH }],
    ['the default file with an empty variable', {}, { GESTIONA_DATABASE_URL: '' }, { dbPath: DEFAULT_DB_PATH }],
    ['PostgreSQL from the variable', {}, { GESTIONA_DATABASE_URL: PG_URL }, { databaseUrl: PG_URL }],
    ['PostgreSQL from the flag over the variable', { databaseUrl: PG_URL }, { GESTIONA_DATABASE_URL: 'postgres://otro/x' }, { databaseUrl: PG_URL }],
    ['SQLite from --db over the variable', { db: 'datos/s.sqlite' }, { GESTIONA_DATABASE_URL: PG_URL }, { dbPath: resolve('datos/s.sqlite') }],
  ];

  it.each(cases)('chooses %s', (_case, flags, environment, expected) => {
    expect(resolveStoreLocation(flags, environment)).toEqual({ ok: true, value: expected });
  });

  it('rejects --db together with --database-url', () => {
    expect(resolveStoreLocation({ db: 's.sqlite', databaseUrl: PG_URL }, {})).toEqual({
      ok: false,
      message: 'Indique --db (archivo SQLite) o --database-url (PostgreSQL), no ambos.',
    });
  });
});

describe('resolveRedisUrl', () => {
  const cases: [string, string | undefined, Record<string, string>, string | undefined][] = [
    ['none with nothing set', undefined, {}, undefined],
    ['none with an empty variable', undefined, { GESTIONA_REDIS_URL: '' }, undefined],
    ['the variable', undefined, { GESTIONA_REDIS_URL: 'redis://127.0.0.1:6379' }, 'redis://127.0.0.1:6379'],
    ['the flag over the variable', 'redis://127.0.0.1:6380', { GESTIONA_REDIS_URL: 'redis://127.0.0.1:6379' }, 'redis://127.0.0.1:6380'],
  ];

  it.each(cases)('returns %s', (_case, flag, environment, expected) => {
    expect(resolveRedisUrl(flag, environment)).toBe(expected);
  });
});

describe('resolveTlsFiles', () => {
  const cases: [string, { tlsCert?: string; tlsKey?: string; tlsCa?: string }, Record<string, string>, object | undefined][] = [
    ['plain HTTP with nothing set', {}, {}, undefined],
    ['plain HTTP with empty variables', {}, { GESTIONA_TLS_CERT: '', GESTIONA_TLS_KEY: '' }, undefined],
    ['the flags', { tlsCert: 'c.pem', tlsKey: 'k.pem' }, {}, { certFile: resolve('c.pem'), keyFile: resolve('k.pem') }],
    ['the variables', {}, { GESTIONA_TLS_CERT: 'c.pem', GESTIONA_TLS_KEY: 'k.pem', GESTIONA_TLS_CA: 'i.pem' }, { certFile: resolve('c.pem'), keyFile: resolve('k.pem'), caFile: resolve('i.pem') }],
    ['a flag over its variable', { tlsCert: 'otro.pem' }, { GESTIONA_TLS_CERT: 'c.pem', GESTIONA_TLS_KEY: 'k.pem' }, { certFile: resolve('otro.pem'), keyFile: resolve('k.pem') }],
  ];

  it.each(cases)('chooses %s', (_case, flags, environment, expected) => {
    expect(resolveTlsFiles(flags, environment)).toEqual({ ok: true, value: expected });
  });

  const failures: [string, { tlsCert?: string; tlsKey?: string; tlsCa?: string }, RegExp][] = [
    ['a certificate without its key', { tlsCert: 'c.pem' }, /Falta la clave privada: indique --tls-key/],
    ['a key without its certificate', { tlsKey: 'k.pem' }, /Falta el certificado: indique --tls-cert/],
    ['intermediates alone', { tlsCa: 'i.pem' }, /--tls-ca \(GESTIONA_TLS_CA\) necesita también --tls-cert y --tls-key/],
  ];

  it.each(failures)('rejects %s', (_case, flags, message) => {
    const result = resolveTlsFiles(flags, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });
});
