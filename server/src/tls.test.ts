import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './app.ts';
import { createLogger, type Logger } from './logger.ts';
import { isLoopbackHost, loadTlsMaterial, logTransportSecurity } from './tls.ts';

/** Makes a self-signed certificate for 127.0.0.1 (`name.pem`, `name.key`) made with the machine's openssl. */
function selfSigned(dir: string, name: string, days = 2): { certFile: string; keyFile: string } {
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', String(days), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return { certFile, keyFile };
}

function capture(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

describe('server TLS', () => {
  let dir: string;
  let server: { certFile: string; keyFile: string };
  let other: { certFile: string; keyFile: string };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gestiona-server-tls-'));
    server = selfSigned(dir, 'server');
    other = selfSigned(dir, 'other');
    writeFileSync(path.join(dir, 'not-pem.txt'), 'hola');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a certificate, its key and a chain', async () => {
    const loaded = await loadTlsMaterial({ ...server, caFile: other.certFile });
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.value.cert.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  const failures: [string, () => Parameters<typeof loadTlsMaterial>[0], RegExp][] = [
    ['a missing certificate', () => ({ certFile: path.join(dir, 'none.pem'), keyFile: server.keyFile }), /No se pudo leer el certificado \(--tls-cert\) ".*none\.pem"/],
    ['a missing key', () => ({ certFile: server.certFile, keyFile: path.join(dir, 'none.key') }), /No se pudo leer la clave privada \(--tls-key\)/],
    ['a certificate that is not PEM', () => ({ certFile: path.join(dir, 'not-pem.txt'), keyFile: server.keyFile }), /not-pem\.txt" no es un certificado PEM/],
    ['a chain that is not PEM', () => ({ ...server, caFile: path.join(dir, 'not-pem.txt') }), /not-pem\.txt" no contiene certificados PEM/],
    ['the key of another certificate', () => ({ certFile: server.certFile, keyFile: other.keyFile }), /no se pueden usar juntos/],
  ];

  it.each(failures)('rejects %s', async (_name, files, message) => {
    const loaded = await loadTlsMaterial(files());
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toMatch(message);
  });

  it('serves https on the same port', async () => {
    const loaded = await loadTlsMaterial(server);
    if (!loaded.ok) throw new Error(loaded.message);
    const running = await startServer({ dbPath: path.join(dir, 'server.sqlite'), port: 0, tls: loaded.value, logger: pino({ level: 'silent' }) });
    try {
      expect(running.url).toBe(`https://127.0.0.1:${running.port}`);
      const body = await new Promise<string>((resolve, reject) => {
        const outgoing = request(`${running.url}/api/health`, { ca: loaded.value.cert }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve(text));
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
      expect(JSON.parse(body)).toMatchObject({ ok: true });
    } finally {
      await running.close();
    }
  });

  it('logs the certificate when TLS is on', async () => {
    const loaded = await loadTlsMaterial(server);
    if (!loaded.ok) throw new Error(loaded.message);
    const { logger, lines } = capture();
    logTransportSecurity(logger, '0.0.0.0', loaded.value, new Date());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'start server: TLS enabled' });
    expect((lines[0]!.certificate as { fingerprint256: string }).fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('warns about an expired certificate', async () => {
    const loaded = await loadTlsMaterial(server);
    if (!loaded.ok) throw new Error(loaded.message);
    const { logger, lines } = capture();
    logTransportSecurity(logger, '127.0.0.1', loaded.value, new Date(Date.now() + 3 * 24 * 60 * 60 * 1000));
    expect(lines[0]).toMatchObject({ level: 40, certificate: { outsideValidity: true } });
  });

  const hosts: [string, boolean][] = [
    ['127.0.0.1', false],
    ['127.1.2.3', false],
    ['localhost', false],
    ['::1', false],
    ['0.0.0.0', true],
    ['::', true],
    ['192.168.1.20', true],
  ];

  it.each(hosts)('plain HTTP on %s warns: %s', (host, warns) => {
    expect(isLoopbackHost(host)).toBe(!warns);
    const { logger, lines } = capture();
    logTransportSecurity(logger, host, undefined, new Date());
    expect(lines.filter((line) => line.level === 40)).toHaveLength(warns ? 1 : 0);
  });
});
