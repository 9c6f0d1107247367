import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { makeTestCertificates, type TestCertificate, type TestCertificates } from '../test-support/certificates.ts';
import { createServerFetch } from './server-fetch.ts';
import { parseServerPin, type ServerPin } from './server-pins.ts';
import { createServerTrustAgent, findUntrustedCertificateError, fingerprintsOf, type ServerTrustConfig } from './server-trust.ts';

const silent = pino({ level: 'silent' });

interface TestServer {
  url: URL;
  /** Requests that reached the handler: a rejected certificate must leave this at 0. */
  requests: number;
  server: Server;
}

function startHttps(certificate: TestCertificate): Promise<TestServer> {
  const state = { requests: 0 } as TestServer;
  const server = createServer({ cert: certificate.certPem, key: certificate.keyPem }, (_request, response) => {
    state.requests += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ ok: true }));
  });
  state.server = server;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      state.url = new URL(`https://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`);
      resolve(state);
    });
  });
}

function spkiPin(certificate: TestCertificate): ServerPin {
  return parseServerPin(`sha256/${certificate.fingerprints.spkiSha256}`)!;
}

function certificatePin(certificate: TestCertificate): ServerPin {
  return parseServerPin(certificate.fingerprints.certificateSha256)!;
}

describe('server certificate trust over HTTPS', () => {
  let dir: string;
  let certificates: TestCertificates;
  const servers = new Map<string, TestServer>();

  beforeAll(async () => {
    dir = makeTempDir('gestiona-trust-');
    certificates = makeTestCertificates(dir);
    for (const name of ['caSigned', 'caSignedOtherName', 'selfSigned', 'otherSelfSigned'] as const) {
      servers.set(name, await startHttps(certificates[name]));
    }
  });

  afterAll(async () => {
    for (const { server } of servers.values()) await new Promise((resolve) => server.close(resolve));
    removeDir(dir);
  });

  type ServerName = 'caSigned' | 'caSignedOtherName' | 'selfSigned' | 'otherSelfSigned';
  const cases: [string, ServerName, (c: TestCertificates) => ServerTrustConfig, string | null][] = [
    ['CA-signed with the CA configured', 'caSigned', (c) => ({ caPem: c.caPem }), null],
    ['CA-signed without the CA', 'caSigned', () => ({}), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['CA-signed for another host name', 'caSignedOtherName', (c) => ({ caPem: c.caPem }), 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['self-signed without a pin', 'selfSigned', () => ({}), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['self-signed with the CA of others', 'selfSigned', (c) => ({ caPem: c.caPem }), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['self-signed pinned by public key', 'selfSigned', (c) => ({ pins: [spkiPin(c.selfSigned)] }), null],
    ['self-signed pinned by certificate', 'selfSigned', (c) => ({ pins: [certificatePin(c.selfSigned)] }), null],
    ['self-signed, one of two pins', 'selfSigned', (c) => ({ pins: [spkiPin(c.otherSelfSigned), certificatePin(c.selfSigned)] }), null],
    ['self-signed pinned to another key', 'selfSigned', (c) => ({ pins: [spkiPin(c.otherSelfSigned)] }), 'PIN_MISMATCH'],
    ['CA-signed pinned to another certificate', 'caSigned', (c) => ({ caPem: c.caPem, pins: [certificatePin(c.selfSigned)] }), 'PIN_MISMATCH'],
    ['CA-signed pinned to itself', 'caSigned', (c) => ({ caPem: c.caPem, pins: [spkiPin(c.caSigned)] }), null],
    ['CA-signed pinned to the CA key only', 'caSigned', (c) => ({ caPem: c.caPem, pins: [parseServerPin(`sha256/${spkiOfPem(c.caPem)}`)!] }), 'PIN_MISMATCH'],
  ];

  it.each(cases)('%s', async (_name, serverName, trust, expectedReason) => {
    const target = servers.get(serverName)!;
    const before = target.requests;
    const agent = createServerTrustAgent(trust(certificates), silent);
    const serverFetch = createServerFetch(agent);
    try {
      const outcome = await serverFetch(target.url, { method: 'GET' }).then(
        (response) => ({ status: response.status, error: null }),
        (error: unknown) => ({ status: null, error }),
      );
      if (expectedReason === null) {
        expect(outcome.status).toBe(200);
        expect(target.requests).toBe(before + 1);
      } else {
        expect(outcome.status).toBeNull();
        expect(findUntrustedCertificateError(outcome.error)?.reason).toBe(expectedReason);
        // The request never left the workstation.
        expect(target.requests).toBe(before);
      }
    } finally {
      agent.destroy();
    }
  });

  it('rejection carries the fingerprints seen', async () => {
    const agent = createServerTrustAgent({ pins: [spkiPin(certificates.otherSelfSigned)] }, silent);
    try {
      const error = await createServerFetch(agent)(servers.get('selfSigned')!.url, { method: 'GET' }).catch((caught: unknown) => caught);
      expect(findUntrustedCertificateError(error)?.seen).toEqual(certificates.selfSigned.fingerprints);
    } finally {
      agent.destroy();
    }
  });

  it('logs seen and expected fingerprints', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const pin = spkiPin(certificates.otherSelfSigned);
    const agent = createServerTrustAgent({ pins: [pin] }, logger);
    try {
      await createServerFetch(agent)(servers.get('selfSigned')!.url, { method: 'GET' }).catch(() => undefined);
    } finally {
      agent.destroy();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'verify server certificate: rejected',
      reason: 'PIN_MISMATCH',
      seenSpkiSha256: certificates.selfSigned.fingerprints.spkiSha256,
      seenCertificateSha256: certificates.selfSigned.fingerprints.certificateSha256,
      expectedPins: [pin.text],
    });
  });

  it('times out a silent handshake', async () => {
    const accepted: Socket[] = [];
    const silentServer = createTcpServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => silentServer.listen(0, '127.0.0.1', resolve));
    const agent = createServerTrustAgent({}, silent, 200);
    try {
      const url = new URL(`https://127.0.0.1:${(silentServer.address() as AddressInfo).port}/`);
      await expect(createServerFetch(agent)(url, { method: 'GET' })).rejects.toThrow(/TLS handshake with 127\.0\.0\.1 timed out after 200 ms/);
    } finally {
      agent.destroy();
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => silentServer.close(resolve));
    }
  });

  it('plain http needs no certificate', async () => {
    const server = createHttpServer((_request, response) => response.end('{"ok":true}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = createServerTrustAgent({}, silent);
    try {
      const response = await createServerFetch(agent)(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), { method: 'GET' });
      expect(await response.json()).toEqual({ ok: true });
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

function spkiOfPem(pem: string): string {
  return fingerprintsOf(Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64')).spkiSha256;
}
