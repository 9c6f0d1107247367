/** Builds real workstations on temporary data dirs for tests: real SQLite, real services. */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Result } from '@gestiona/core/result';
import type { User } from '@gestiona/core/sync';
import { SettableClock, type Clock } from '../clock.ts';
import { applyDatabaseKey } from '../db/encryption.ts';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import type { SecretStore } from '../secret-store.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { LocalStore } from '../store/local-store.ts';
import { createWorkstation, type Workstation, type WorkstationOptions } from '../workstation.ts';
import { seedEntries } from './fixtures.ts';
import type { DebtorSnapshot } from '@gestiona/core/domain';

export const TEST_AGENT: User = { id: 'agent-1', username: 'agente1', fullName: 'Laura Gómez', role: 'agent' };

/** The database key of every test workstation, so that `withStore` opens what `openWorkstation` wrote. */
export const TEST_DATABASE_KEY = Buffer.alloc(32, 0x5a);

/** Opens a workstation file under the test key without the start-up checks, for tests that tamper with it. */
export function openTestDatabaseFile(file: string): Database.Database {
  const db = new Database(file);
  applyDatabaseKey(db, TEST_DATABASE_KEY);
  return db;
}

export class MemorySecretStore implements SecretStore {
  token: string | null;

  constructor(token: string | null = null) {
    this.token = token;
  }

  async get(): Promise<string | null> {
    return this.token;
  }

  async set(token: string): Promise<void> {
    this.token = token;
  }

  async clear(): Promise<void> {
    this.token = null;
  }
}

export function makeTempDir(prefix = 'gestiona-ws-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Returns a 127.0.0.1 port that nothing listens on: the OS binds it, then it is released. */
export async function closedLocalPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** Opens the data dir's store directly, for seeding and for checking what a workstation wrote. */
export function withStore<T>(dataDir: string, work: (store: LocalStore) => T): T {
  const store = new LocalStore(openDatabase({ dataDir, logger: createLogger({ level: 'silent' }), key: TEST_DATABASE_KEY }));
  try {
    return work(store);
  } finally {
    store.close();
  }
}

/** Seeds a data dir as if the agent had signed in and pulled the feed once. */
export function seedDataDir(dataDir: string, debtors: readonly DebtorSnapshot[], agent: User = TEST_AGENT): void {
  withStore(dataDir, (store) => {
    store.meta.setAgent(agent);
    const entries = seedEntries(debtors);
    applyFeedBatch(store, entries, entries.length);
  });
}

export interface OpenedWorkstation {
  workstation: Workstation;
  dialed: string[];
  secretStore: MemorySecretStore;
  call<T = unknown>(channel: string, args: unknown): Promise<Result<T>>;
}

/**
 * Opens a workstation signed in as `TEST_AGENT` through a stored token, with a softphone that
 * records the URIs it is asked to open. Its server URL is a closed local port unless given.
 */
export async function openWorkstation(
  dataDir: string,
  options: { clock?: Clock; serverUrl?: string; token?: string | null; secretStore?: MemorySecretStore; openUri?: (uri: string) => Promise<void> } & Partial<
    Pick<WorkstationOptions, 'syncTuning' | 'maxClockOffsetMs' | 'serverTrust'>
  > = {},
): Promise<OpenedWorkstation> {
  const dialed: string[] = [];
  const secretStore = options.secretStore ?? new MemorySecretStore(options.token === undefined ? 'test-token-0123456789abcdef' : options.token);
  const serverUrl = options.serverUrl ?? `http://127.0.0.1:${await closedLocalPort()}`;
  const workstation = await createWorkstation({
    dataDir,
    serverUrl,
    clock: options.clock ?? new SettableClock('2026-03-03T10:00:00-05:00'),
    dialer: 'softphone',
    softphoneScheme: 'tel',
    openUri:
      options.openUri ??
      (async (uri) => {
        dialed.push(uri);
      }),
    secretStore,
    databaseKeyStore: new MemorySecretStore(TEST_DATABASE_KEY.toString('hex')),
    maxClockOffsetMs: options.maxClockOffsetMs,
    serverTrust: options.serverTrust,
    syncTuning: { reconnectionDelayMs: 50, reconnectionDelayMaxMs: 200, retryDelayMs: 100, ackTimeoutMs: 2_000, ...options.syncTuning },
  });
  return {
    workstation,
    dialed,
    secretStore,
    call: <T>(channel: string, args: unknown) => workstation.dispatch(channel, args) as Promise<Result<T>>,
  };
}
