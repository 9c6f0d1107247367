/**
 * Starts the central server: the store, the content published to every workstation, the HTTP
 * routes and the socket.io sync endpoint on one port, and the periodic lease expiry. One node
 * runs on a SQLite file; several nodes share one PostgreSQL database and, through Redis, their
 * socket.io rooms.
 */
import type { AddressInfo } from 'node:net';
import { anyChannelEnabled, type ChannelsConfig } from './channels/channel-config.ts';
import { startChannelScheduler, type ChannelScheduler } from './channels/scheduler.ts';
import { watchContent } from './content/content-watch.ts';
import { loadResources } from './content/load-resources.ts';
import { buildHttpApp } from './http.ts';
import { childLogger, createLogger, type Logger } from './logger.ts';
import { DEFAULT_RESOURCES_DIR } from './paths.ts';
import { connectRedisAdapter, type RedisAdapterHandle } from './redis-adapter.ts';
import { attachSocketServer } from './socket.ts';
import { registerBoardActionRoutes } from './reassign/board-actions-routes.ts';
import { resolveOfflineAlertMinutes } from './reassign/offline-alerts.ts';
import { openStore } from './store/open-store.ts';
import { NODE_REPORT_INTERVAL_MS } from './store/sql-store.ts';
import type { ServerStore } from './store/types.ts';
import { logTransportSecurity, type TlsMaterial } from './tls.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4780;

/** Interval of the sweep that judges promises whose grace days ended and purges expired sessions. */
const HOURLY_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Interval of the sweep that closes expired leases and sends each holder a `debtor.remove`. */
const LEASE_SWEEP_INTERVAL_MS = 60_000;

/** Set exactly one of `dbPath` and `databaseUrl`. */
export interface ServerOptions {
  /** SQLite database file, for a single node. */
  dbPath?: string;
  /** PostgreSQL URL (`postgres://user:password@host:port/database`), which several nodes can share. */
  databaseUrl?: string;
  /** Redis URL (`redis://host:port`) through which nodes share socket.io rooms; unset for a single node. */
  redisUrl?: string;
  /** Prefix of the Redis pub/sub channels (default `gestiona`); nodes that share it reach each other's sockets. */
  redisKeyPrefix?: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** Certificate and key for HTTPS and WSS on the same port; plain HTTP when absent. */
  tls?: TlsMaterial;
  /** Default 4780; 0 picks a free port. */
  port?: number;
  logger?: Logger;
  /** Server clock; tests pass a fixed one. */
  now?: () => Date;
  /** Lease length in days (default 7). */
  leaseDays?: number;
  /** Folder with catalog.json, rule-pack.json and scripts/ (default the repository's resources/). */
  resourcesDir?: string;
  /** Interval between reads of the rule pack, catalog and script heads, which the command line may publish, in ms (default `CONTENT_POLL_MS`). */
  contentPollMs?: number;
  /** Lifetime of each renewal token in ms (default 7 days): how long a workstation may stay away and still renew its session. */
  renewalLifetimeMs?: number;
  /** Minutes without connection after which the board alerts about a workstation (default `GESTIONA_OFFLINE_ALERT_MINUTES`, else 15). */
  offlineAlertMinutes?: number;
  /** Adapters and templates of the strategy's SMS, e-mail, WhatsApp, letter and visit sends; no scheduler runs when every channel is off (the default). */
  channels?: ChannelsConfig;
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:4780`, or `https://…` with `tls`. */
  url: string;
  port: number;
  store: ServerStore;
  /** The channel dispatcher's scheduler, or null when no channel is configured. */
  channels: ChannelScheduler | null;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const now = options.now ?? (() => new Date());
  const host = options.host ?? DEFAULT_HOST;

  const store = await openStore({
    dbPath: options.dbPath,
    databaseUrl: options.databaseUrl,
    logger: childLogger(logger, 'store'),
    leaseDays: options.leaseDays,
  });
  let redis: RedisAdapterHandle | null = null;
  try {
    const content = await loadResources(options.resourcesDir ?? DEFAULT_RESOURCES_DIR);
    const published = await store.publishContent(content, now());
    if (published.length > 0) childLogger(logger, 'content').info({ published }, 'publish content: done');
    await store.recordNodeAlive(now());

    if (options.redisUrl !== undefined) {
      redis = await connectRedisAdapter({ url: options.redisUrl, keyPrefix: options.redisKeyPrefix, logger: childLogger(logger, 'socket') });
    }

    // The sockets attach to the HTTP app's server, so a revocation reaches them through this holder.
    let disconnectWorkstation: ((workstationId: string) => void) | null = null;
    const http = buildHttpApp({
      store,
      logger: childLogger(logger, 'http'),
      now,
      renewalLifetimeMs: options.renewalLifetimeMs,
      onSessionRevoked: ({ workstationId }) => disconnectWorkstation?.(workstationId),
      tls: options.tls,
    });
    const sockets = attachSocketServer({ httpServer: http.server, store, logger: childLogger(logger, 'socket'), now, adapter: redis?.adapter });
    disconnectWorkstation = sockets.disconnectWorkstation;
    registerBoardActionRoutes(http, {
      store,
      io: sockets.io,
      logger: childLogger(logger, 'http'),
      now,
      offlineAlertMinutes: resolveOfflineAlertMinutes(options.offlineAlertMinutes),
    });
    const contentWatch = watchContent({ store, io: sockets.io, logger: childLogger(logger, 'content'), intervalMs: options.contentPollMs });
    await http.listen({ host, port: options.port ?? DEFAULT_PORT });

    const leasesLogger = childLogger(logger, 'leases');
    const sweep = setInterval(() => {
      store.expireLeases(now()).then(
        (expired) => {
          if (expired > 0) leasesLogger.info({ expired }, 'expire leases: done');
        },
        (error: unknown) => leasesLogger.error({ err: error }, 'expire leases: failed'),
      );
    }, LEASE_SWEEP_INTERVAL_MS);
    sweep.unref();

    // Promises whose grace days ended are judged once the Bogotá day turns, and expired sessions
    // only need to go eventually, so hourly is soon enough for both.
    const housekeepingLogger = childLogger(logger, 'store');
    const sweepHourly = () => {
      store.sweepPromises(now()).then(
        (summary) => {
          if (summary.debtorsChanged.length > 0) housekeepingLogger.info({ debtors: summary.debtorsChanged.length, ...summary.changed }, 'sweep promises: done');
        },
        (error: unknown) => housekeepingLogger.error({ err: error }, 'sweep promises: failed'),
      );
      store.purgeExpiredSessions(now()).then(
        (purged) => {
          if (purged.sessions + purged.renewalTokens + purged.chains > 0) housekeepingLogger.info(purged, 'purge expired sessions: done');
        },
        (error: unknown) => housekeepingLogger.error({ err: error }, 'purge expired sessions: failed'),
      );
    };
    // The first sweep waits a minute, so a server that stops right after starting leaves it out.
    const firstHourlySweep = setTimeout(sweepHourly, 60 * 1000);
    firstHourlySweep.unref();
    const hourlySweep = setInterval(sweepHourly, HOURLY_SWEEP_INTERVAL_MS);
    hourlySweep.unref();

    const storeLogger = childLogger(logger, 'store');
    const nodeReport = setInterval(() => {
      store.recordNodeAlive(now()).catch((error: unknown) => storeLogger.error({ err: error, nodeId: store.nodeId }, 'record server node alive: failed'));
    }, NODE_REPORT_INTERVAL_MS);
    nodeReport.unref();

    const channels = options.channels !== undefined && anyChannelEnabled(options.channels) ? startChannelScheduler(store, options.channels, logger.child({ subsystem: 'channels' }), now) : null;

    const port = (http.server.address() as AddressInfo).port;
    const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ url, database: store.path, nodeId: store.nodeId, redis: redis !== null, tls: options.tls !== undefined }, 'start server: listening');
    logTransportSecurity(logger, host, options.tls, now());

    let closing: Promise<void> | null = null;
    return {
      url,
      port,
      store,
      channels,
      close: () => {
        closing ??= (async () => {
          clearInterval(sweep);
          clearTimeout(firstHourlySweep);
          clearInterval(hourlySweep);
          clearInterval(nodeReport);
          contentWatch.stop();
          await channels?.stop();
          await sockets.close();
          await http.close();
          await redis?.close();
          // Other nodes drop this node's socket counts after its silence anyway, so a failure here only delays that.
          await store.removeNode().catch((error: unknown) => storeLogger.error({ err: error, nodeId: store.nodeId }, 'remove server node: failed'));
          await store.close();
          logger.info({ url }, 'stop server: done');
        })();
        return closing;
      },
    };
  } catch (error) {
    await redis?.close();
    await store.close();
    throw error;
  }
}
