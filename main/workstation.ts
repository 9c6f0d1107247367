/**
 * Composition root of the workstation's main-process services. Electron and browser mode both
 * build one `Workstation` and reach it only through `dispatch` and `onPush`.
 */
import type { PushMessage, SyncStatus } from '@gestiona/core/ipc';
import type { Result } from '@gestiona/core/result';
import type { DialerAdapterName } from '@gestiona/core/sync';
import { TrustedClock, type Clock } from './clock.ts';
import { FileDatabaseKeyStore } from './db/encryption-key-file.ts';
import { openWorkstationDatabase } from './db/open.ts';
import { DEFAULT_RULE_PACK } from './default-rule-pack.ts';
import type { DialerAdapter } from './dialer/adapter.ts';
import { ManualDialer } from './dialer/manual.ts';
import { SoftphoneDialer, type SoftphoneScheme } from './dialer/softphone.ts';
import { createDispatch } from './ipc/dispatch.ts';
import { createLogger, subsystemLogger, type Logger } from './logger.ts';
import { createServerFetch } from './net/server-fetch.ts';
import { createServerTrustAgent, type ServerTrustConfig } from './net/server-trust.ts';
import type { SecretStore } from './secret-store.ts';
import { renewSession } from './services/auth.ts';
import { ClockMonitor } from './services/clock-monitor.ts';
import { clockReportFields } from './services/clock-state.ts';
import { agentStateReport, applyRemotePause } from './services/agent-state.ts';
import type { ServiceContext } from './services/context.ts';
import { ServerProbe } from './services/server-probe.ts';
import { SessionService } from './services/session.ts';
import { purgeExpiredLeases } from './services/worklist.ts';
import { LocalStore } from './store/local-store.ts';
import { OfflineSignIn } from './store/offline-credential.ts';
import { DEFAULT_SYNC_TUNING, SyncClient, type SyncTuning } from './sync/client.ts';

export interface WorkstationOptions {
  dataDir: string;
  /** Base URL of the central server, e.g. `http://127.0.0.1:4780` or `https://gestiona.example.co`. */
  serverUrl: string;
  /** Extra CA and certificate pins for an `https:` server; Node's bundled root CAs alone when absent. */
  serverTrust?: ServerTrustConfig;
  /** The trusted clock; tests and browser mode's test clock pass a `SettableClock`. */
  clock?: Clock;
  /**
   * Maximum |trusted − local| in ms at which dials are still allowed; 5 minutes when absent. It
   * applies to the clock the workstation builds: a `clock` passed in keeps its own maximum.
   */
  maxClockOffsetMs?: number;
  dialer: DialerAdapterName;
  softphoneScheme?: SoftphoneScheme;
  /** Hands a `tel:`/`sip:` URI to the desktop; used by the softphone adapter only. */
  openUri: (uri: string) => Promise<void>;
  secretStore: SecretStore;
  /** Where the database key is kept; a sealed file beside the database, under the user's config-folder key, when absent. */
  databaseKeyStore?: SecretStore;
  logger?: Logger;
  /** Path of a better-sqlite3 addon built for Electron's ABI. */
  nativeBinding?: string;
  /** Sync timing; tests shorten the delays. */
  syncTuning?: Partial<SyncTuning>;
  /** How long after the last online sign-in an offline sign-in is allowed, in ms; `DEFAULT_OFFLINE_ALLOWANCE_MS` (72 h) when absent. */
  offlineAllowanceMs?: number;
}

export interface Workstation {
  dispatch(channel: string, rawArgs: unknown): Promise<Result<unknown>>;
  onPush(listener: (message: PushMessage) => void): () => void;
  close(): Promise<void>;
  sync: { flushNow(): Promise<void>; status(): SyncStatus };
}

/** How often expired leases are purged while the workstation runs, in ms. */
const LEASE_PURGE_INTERVAL_MS = 60_000;

export async function createWorkstation(options: WorkstationOptions): Promise<Workstation> {
  const serverUrl = checkServerUrl(options.serverUrl, options.serverTrust);
  const rootLogger = options.logger ?? createLogger();
  const logger = {
    store: subsystemLogger(rootLogger, 'store'),
    sync: subsystemLogger(rootLogger, 'sync'),
    gate: subsystemLogger(rootLogger, 'gate'),
    ipc: subsystemLogger(rootLogger, 'ipc'),
    session: subsystemLogger(rootLogger, 'session'),
    dialer: subsystemLogger(rootLogger, 'dialer'),
  };

  // One agent for the socket and the HTTP calls, so that both apply the same certificate check.
  const serverAgent = createServerTrustAgent(options.serverTrust ?? {}, logger.sync);
  const db = await openWorkstationDatabase({
    dataDir: options.dataDir,
    logger: logger.store,
    nativeBinding: options.nativeBinding,
    keyStore: options.databaseKeyStore ?? new FileDatabaseKeyStore(options.dataDir, { logger: logger.store }),
  });
  const store = new LocalStore(db);
  const workstationId = store.meta.workstationId();
  const clock = options.clock ?? new TrustedClock({ maxOffsetMs: options.maxClockOffsetMs });
  const dialer: DialerAdapter =
    options.dialer === 'manual' ? new ManualDialer() : new SoftphoneDialer({ scheme: options.softphoneScheme ?? 'tel', openUri: options.openUri });

  const listeners = new Set<(message: PushMessage) => void>();
  const push = (message: PushMessage): void => {
    for (const listener of listeners) {
      try {
        listener(message);
      } catch (error) {
        logger.ipc.error({ err: error, type: message.type }, 'push: listener failed');
      }
    }
  };

  const offline = new OfflineSignIn(db, options.offlineAllowanceMs);
  const serverFetch = createServerFetch(serverAgent);
  // The same backoff as the socket's reconnection, so the health checks load the server no more than reconnects would.
  const tuning = { ...DEFAULT_SYNC_TUNING, ...options.syncTuning };
  const probe = new ServerProbe({
    serverUrl,
    serverFetch,
    logger: logger.session,
    minDelayMs: tuning.reconnectionDelayMs,
    maxDelayMs: tuning.reconnectionDelayMaxMs,
    onChange: () => notify.session(),
  });
  const session = new SessionService({ store, secretStore: options.secretStore, clock, serverUrl, dialerName: dialer.name, offline, probe });
  const notify = {
    session: () => push({ type: 'session', state: session.state(sync.status()) }),
    worklistChanged: () => push({ type: 'worklist-changed' }),
  };
  const sync: SyncClient = new SyncClient({
    serverUrl,
    httpsAgent: serverAgent,
    workstationId,
    store,
    clock,
    logger: logger.sync,
    tuning: options.syncTuning,
    onStatus: () => notify.session(),
    onFeedApplied: (batch) => {
      const purged = purgeExpiredLeases(ctx, clock.now());
      if (batch.debtorsChanged.length > 0 && purged.length === 0) notify.worklistChanged();
    },
    stateReport: () => {
      const status: SyncStatus = sync.status();
      const chainHead = store.decisionChain.head();
      monitor.check();
      return {
        agentId: session.user()?.id ?? null,
        // agentState, agentStateSince and pauseReason: the desk state the board shows, with its start.
        ...agentStateReport(ctx),
        pending: status.pending,
        oldestPendingAt: status.oldestPendingAt,
        lastSyncAt: status.lastSyncAt,
        rejected: store.outbox.rejectedCount(),
        dialer: dialer.name,
        ...clockReportFields(monitor.state(), store.clockJumps.count()),
        // The head lets the server see decisions missing at the end of the chain it received.
        decisionChainIndex: chainHead?.index ?? null,
        decisionChainHash: chainHead?.hash ?? null,
      };
    },
    onClockMeasured: () => monitor.check(),
    renewSession: () => renewSession(ctx),
    // The board is read from the server on demand, so the renderer fetches it again at once.
    onAlarmHint: () => push({ type: 'board-changed' }),
    onRemotePause: (request) => applyRemotePause(ctx, request),
  });
  const monitor = new ClockMonitor({
    clock,
    store,
    logger: logger.sync,
    requestMeasure: () => sync.requestClockMeasure(),
    onChange: (next, previous) => {
      notify.session();
      if (next.trusted !== previous.trusted) {
        // Worklist statuses and the team lead's board both show whether dials are possible.
        notify.worklistChanged();
        sync.requestReport();
      }
    },
  });

  const ctx: ServiceContext = {
    store,
    clock,
    session,
    sync,
    dialer,
    dialerName: dialer.name,
    serverUrl,
    serverFetch,
    secretStore: options.secretStore,
    logger,
    notify,
    rulePack: () => store.referenceData.rulePack() ?? DEFAULT_RULE_PACK,
    dialsInFlight: new Map(),
  };
  const dispatch = createDispatch(ctx, logger.ipc);

  monitor.start();
  const token = await session.restore();
  if (token !== null) sync.start(token);
  const purgeTimer = setInterval(() => purgeExpiredLeases(ctx, clock.now()), LEASE_PURGE_INTERVAL_MS);
  purgeTimer.unref();
  logger.session.info({ workstationId, restored: token !== null, dialer: dialer.name }, 'start workstation: ready');

  let closed = false;
  return {
    dispatch: async (channel, rawArgs) => {
      if (closed) return { ok: false, error: { code: 'internal', message: 'La estación se está cerrando. Vuelva a abrir Gestiona.' } };
      return dispatch(channel, rawArgs);
    },
    onPush: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      listeners.clear();
      clearInterval(purgeTimer);
      monitor.stop();
      session.close();
      await sync.close();
      // Lets a dial in flight record its outcome before the database closes.
      await Promise.allSettled([...ctx.dialsInFlight.values()]);
      store.close();
      serverAgent.destroy();
      logger.session.info({ workstationId }, 'close workstation: done');
    },
    sync: { flushNow: () => sync.flushNow(), status: () => sync.status() },
  };
}

function checkServerUrl(raw: string, trust: ServerTrustConfig | undefined): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Invalid server URL "${raw}": expected e.g. http://127.0.0.1:4780`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Invalid server URL "${raw}": only http and https are supported`);
  }
  if (url.protocol === 'http:' && ((trust?.pins?.length ?? 0) > 0 || trust?.caPem !== undefined)) {
    // Plain HTTP has no certificate to check, so the admin's pins would silently do nothing.
    throw new Error(`Server URL "${raw}" is http, but certificate pins or a CA are configured: use an https URL`);
  }
  return url.origin;
}
