/**
 * Dependencies of every IPC handler: the store, the trusted clock, the session, the sync client and
 * the dialer, plus the notifications that tell the renderer something changed.
 */
import type { RulePack } from '@gestiona/core/compliance/types';
import type { DialerAdapterName } from '@gestiona/core/sync';
import type { DialResult, SyncStatus } from '@gestiona/core/ipc';
import type { Clock } from '../clock.ts';
import type { DialerAdapter } from '../dialer/adapter.ts';
import type { Logger } from '../logger.ts';
import type { ServerFetch } from '../net/server-fetch.ts';
import type { SecretStore } from '../secret-store.ts';
import type { LocalStore } from '../store/local-store.ts';
import type { SessionService } from './session.ts';

/** The part of the sync client that services use. */
export interface SyncControl {
  start(token: string): void;
  stop(): void;
  /** A new outbox event exists: push it as soon as the connection allows. */
  requestPush(): void;
  /** Measures the clock against the server as soon as the connection allows. */
  requestClockMeasure(): void;
  /** Sends the workstation's state (`state:report`) as soon as the connection allows. */
  requestReport(): void;
  flushNow(): Promise<void>;
  status(): SyncStatus;
}

export interface ServiceContext {
  store: LocalStore;
  clock: Clock;
  session: SessionService;
  sync: SyncControl;
  dialer: DialerAdapter;
  dialerName: DialerAdapterName;
  serverUrl: string;
  /** HTTP requests to the central server, with the same certificate check as the sync socket. */
  serverFetch: ServerFetch;
  secretStore: SecretStore;
  logger: { gate: Logger; session: Logger; dialer: Logger; store: Logger };
  notify: { session(): void; worklistChanged(): void };
  /** The stored rule pack, or the shipped default before the first sync. */
  rulePack(): RulePack;
  /** Dials in flight by request id, so a double click waits for the first call instead of placing a second. */
  dialsInFlight: Map<string, Promise<DialResult>>;
}
