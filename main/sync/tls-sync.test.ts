import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcContract, type DialResult } from '@gestiona/core/ipc';
import { startServer, type RunningServer } from '../../server/src/app.ts';
import { seedDemo } from '../../server/src/demo-seed.ts';
import type { TlsMaterial } from '../../server/src/tls.ts';
import { SettableClock } from '../clock.ts';
import { parseServerPin } from '../net/server-pins.ts';
import type { ServerTrustConfig } from '../net/server-trust.ts';
import { makeTestCertificates, type TestCertificate, type TestCertificates } from '../test-support/certificates.ts';
import { AGENT_1, SERVER_NOW, writePortfolio } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 15_000, interval: 50 };
const HOUR = 60 * 60 * 1000;
const UNTRUSTED = /El certificado del servidor no es de confianza/;

function tlsOf(certificate: TestCertificate): TlsMaterial {
  return { cert: certificate.certPem, key: certificate.keyPem };
}

function pinOf(certificate: TestCertificate) {
  return parseServerPin(`sha256/${certificate.fingerprints.spkiSha256}`)!;
}

describe('sync over HTTPS and WSS', () => {
  let certificates: TestCertificates;
  let certificateDir: string;
  let root: string;
  let serverDir: string;
  let dataDir: string;
  let server: RunningServer | null = null;
  let serverNow: Date;
  const opened: OpenedWorkstation[] = [];

  beforeAll(() => {
    certificateDir = makeTempDir('gestiona-tls-certs-');
    certificates = makeTestCertificates(certificateDir);
  });

  afterAll(() => removeDir(certificateDir));

  async function start(tls: TlsMaterial, port = 0, seed = false): Promise<RunningServer> {
    server = await startServer({
      dbPath: path.join(serverDir, 'server.sqlite'),
      port,
      now: () => serverNow,
      tls,
      logger: pino({ level: process.env.GESTIONA_LOG_LEVEL ?? 'silent' }),
    });
    if (seed) await seedDemo(server.store, { portfolioFile: writePortfolio(serverDir), now: SERVER_NOW });
    return server;
  }

  async function open(serverTrust: ServerTrustConfig, secretStore = new MemorySecretStore(null)): Promise<OpenedWorkstation> {
    const ws = await openWorkstation(dataDir, {
      clock: new SettableClock('2026-03-03T10:00:00-05:00'),
      serverUrl: server!.url,
      secretStore,
      serverTrust,
    });
    opened.push(ws);
    return ws;
  }

  async function login(ws: OpenedWorkstation) {
    return ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
  }

  /** Dials and typifies `count` contactable debtors; returns their ids. */
  async function typify(ws: OpenedWorkstation, count: number): Promise<string[]> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    const items = ipcContract['worklist:list'].result.parse(list.value).items.filter((item) => item.legalStatus === 'contactable').slice(0, count);
    if (items.length < count) throw new Error(`only ${items.length} contactable debtors, ${count} needed`);
    for (const item of items) {
      const view = await ws.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', { debtorId: item.debtorId });
      if (!view.ok) throw new Error(view.error.message);
      const point = view.value.persons.find((person) => person.role === 'debtor')!.contactPoints.find((candidate) => candidate.dialable)!;
      const dialed = await ws.call<DialResult>('contact:dial', { debtorId: item.debtorId, contactPointId: point.id, requestId: randomUUID() });
      if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error(`the call to ${item.debtorId} was not placed`);
      const saved = await ws.call('wrapup:save', { attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
      if (!saved.ok) throw new Error(saved.error.message);
    }
    return items.map((item) => item.debtorId);
  }

  async function worklistSize(ws: OpenedWorkstation): Promise<number> {
    const list = await ws.call('worklist:list', { offset: 0, limit: 50 });
    if (!list.ok) throw new Error(list.error.message);
    return ipcContract['worklist:list'].result.parse(list.value).items.length;
  }

  function setUp(): void {
    root = makeTempDir('gestiona-tls-');
    serverDir = path.join(root, 'server');
    dataDir = path.join(root, 'workstation');
    mkdirSync(serverDir);
    serverNow = SERVER_NOW;
  }

  afterEach(async () => {
    for (const ws of opened.splice(0)) await ws.workstation.close();
    await server?.close();
    server = null;
    removeDir(root);
  });

  it('serves https and wss with a CA the workstation trusts', async () => {
    setUp();
    await start(tlsOf(certificates.caSigned), 0, true);
    expect(server!.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    const ws = await open({ caPem: certificates.caPem });
    const result = await login(ws);
    expect(result.ok).toBe(true);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('online'), WAIT);
    await ws.workstation.sync.flushNow();
    expect(await worklistSize(ws)).toBeGreaterThan(0);
  });

  it('rejects an unpinned self-signed server at login', async () => {
    setUp();
    await start(tlsOf(certificates.selfSigned), 0, true);
    const ws = await open({});

    const result = await login(ws);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(UNTRUSTED);
    // No offline fallback: this workstation never signed in online, and the message is the certificate's.
    expect(result.error.code).toBe('not-authenticated');
  });

  it('rejects a CA-signed server that differs from the pin', async () => {
    setUp();
    await start(tlsOf(certificates.caSigned), 0, true);
    const ws = await open({ caPem: certificates.caPem, pins: [pinOf(certificates.selfSigned)] });

    const result = await login(ws);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(UNTRUSTED);
  });

  it('pinned server: sync, rejection, renewal', async () => {
    setUp();
    await start(tlsOf(certificates.selfSigned), 0, true);
    const secretStore = new MemorySecretStore(null);
    const pinned = { pins: [pinOf(certificates.selfSigned)] };
    let ws = await open(pinned, secretStore);

    // Login over HTTPS, pull over WSS.
    expect((await login(ws)).ok).toBe(true);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('online'), WAIT);
    await ws.workstation.sync.flushNow();
    expect(await worklistSize(ws)).toBeGreaterThan(0);

    // Push over WSS: each typification sends the debtor's view, a decision and an interaction.
    const first = await typify(ws, 1);
    await vi.waitFor(() => expect(ws.workstation.sync.status()).toMatchObject({ pending: 0, lastError: null }), WAIT);
    expect(await server!.store.countEvents()).toBe(3);

    // The server comes back with another certificate: the pinned workstation refuses it and keeps its outbox.
    const port = server!.port;
    await server!.close();
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).toBe('offline'), WAIT);
    const queued = await typify(ws, 1);
    await start(tlsOf(certificates.otherSelfSigned), port);
    await vi.waitFor(() => expect(ws.workstation.sync.status().lastError).toMatch(UNTRUSTED), WAIT);
    expect(ws.workstation.sync.status()).toMatchObject({ connection: 'offline', pending: 3 });
    expect(await server!.store.countEvents()).toBe(3);
    await server!.close();

    // The same data folder without the pin rejects the self-signed certificate too.
    await ws.workstation.close();
    opened.splice(opened.indexOf(ws), 1);
    await start(tlsOf(certificates.selfSigned), port);
    ws = await open({}, secretStore);
    await vi.waitFor(() => expect(ws.workstation.sync.status().lastError).toMatch(UNTRUSTED), WAIT);
    expect(ws.workstation.sync.status()).toMatchObject({ connection: 'offline', pending: 3 });
    expect(await server!.store.countEvents()).toBe(3);
    await ws.workstation.close();
    opened.splice(opened.indexOf(ws), 1);
    await server!.close();

    // Pinned again, after the session token expired: renewal over HTTPS, then the queue goes out once.
    const tokensBeforeRenewal = secretStore.token;
    serverNow = new Date(serverNow.getTime() + 13 * HOUR);
    await start(tlsOf(certificates.selfSigned), port);
    ws = await open(pinned, secretStore);
    await vi.waitFor(() => expect(ws.workstation.sync.status()).toMatchObject({ connection: 'online', pending: 0, lastError: null }), WAIT);
    expect(secretStore.token).not.toBe(tokensBeforeRenewal);
    expect(await server!.store.countEvents()).toBe(6);
    for (const debtorId of [...first, ...queued]) {
      expect((await server!.store.findInteractions(debtorId)).map((interaction) => interaction.code)).toEqual(['NC']);
    }
  });
});
