import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '@gestiona/core/result';
import { parseServerPin, serverPinListSchema } from './server-pins.ts';
import { serverTrustFromEnvironment } from './trust-config.ts';

const SPKI = 'jBvEI7BHdWqUmKzJgVDmm8Tu1mlWvWMQ5Ny7Ec6lhdA=';
const HEX = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const COLON_HEX = HEX.toUpperCase().match(/../g)!.join(':');

describe('parseServerPin', () => {
  const valid: [string, string, 'spki' | 'certificate', string][] = [
    ['public key, one slash', `sha256/${SPKI}`, 'spki', SPKI],
    ['public key, curl form', `sha256//${SPKI}`, 'spki', SPKI],
    ['public key, spaces around', `  sha256/${SPKI} `, 'spki', SPKI],
    ['certificate, bare hex', HEX, 'certificate', COLON_HEX],
    ['certificate, colons', COLON_HEX.toLowerCase(), 'certificate', COLON_HEX],
    ['certificate, openssl line', `sha256 Fingerprint=${COLON_HEX}`, 'certificate', COLON_HEX],
  ];

  it.each(valid)('reads %s', (_name, raw, kind, value) => {
    expect(parseServerPin(raw)).toMatchObject({ kind, value });
  });

  const invalid: [string, string][] = [
    ['empty', ''],
    ['public key without prefix', SPKI],
    ['short base64', 'sha256/jBvEI7BHdWqUmKzJgVDmm8Tu1mlWvWMQ='],
    ['SHA-1 fingerprint', 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01'],
    ['hex with a non-hex digit', `${HEX.slice(0, 63)}g`],
    ['other algorithm', `sha384/${SPKI}`],
  ];

  it.each(invalid)('rejects %s', (_name, raw) => {
    expect(parseServerPin(raw)).toBeNull();
  });

  it('normalises any SHA-256 in both forms', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const digest = Buffer.from(bytes);
        const colonHex = digest.toString('hex').toUpperCase().match(/../g)!.join(':');
        expect(parseServerPin(`sha256/${digest.toString('base64')}`)?.value).toBe(digest.toString('base64'));
        expect(parseServerPin(digest.toString('hex'))?.value).toBe(colonHex);
        expect(parseServerPin(colonHex.toLowerCase())?.value).toBe(colonHex);
      }),
    );
  });
});

describe('serverPinListSchema', () => {
  it('splits on commas and line breaks', () => {
    const parsed = serverPinListSchema.parse(`sha256/${SPKI},\n${HEX}\n`);
    expect(parsed.map((pin) => pin.kind)).toEqual(['spki', 'certificate']);
  });

  it('names the invalid pin', () => {
    const parsed = serverPinListSchema.safeParse(`sha256/${SPKI},nope`);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('"nope"');
  });
});

describe('serverTrustFromEnvironment', () => {
  it('is empty without variables', () => {
    expect(serverTrustFromEnvironment({})).toEqual({});
  });

  it('reads pins and the CA file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gestiona-trust-env-'));
    try {
      const caFile = path.join(dir, 'ca.pem');
      writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
      const config = serverTrustFromEnvironment({ GESTIONA_SERVER_PINS: `sha256/${SPKI}`, GESTIONA_SERVER_CA_FILE: caFile });
      expect(config.pins?.map((pin) => pin.value)).toEqual([SPKI]);
      expect(config.caPem).toContain('BEGIN CERTIFICATE');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const failures: [string, Record<string, string>, RegExp][] = [
    ['an invalid pin', { GESTIONA_SERVER_PINS: 'abc' }, /GESTIONA_SERVER_PINS no es válida: .*"abc"/],
    ['a missing CA file', { GESTIONA_SERVER_CA_FILE: '/no/such/ca.pem' }, /No se pudo leer GESTIONA_SERVER_CA_FILE "\/no\/such\/ca.pem"/],
    ['a CA file without PEM', { GESTIONA_SERVER_CA_FILE: '/dev/null' }, /no contiene certificados PEM/],
  ];

  it.each(failures)('rejects %s in Spanish', (_name, environment, message) => {
    let caught: unknown;
    try {
      serverTrustFromEnvironment(environment);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).message).toMatch(message);
  });
});
