/**
 * The socket.io Redis adapter, which lets several server nodes share rooms: a `feed:hint` that one
 * node emits to `agent:<id>` or `workstation:<id>` reaches the sockets connected to every node.
 * It needs two Redis connections, because a connection in subscribe mode cannot publish.
 */
import type { EventEmitter } from 'node:events';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Logger } from './logger.ts';
import { redactUrl } from './redact-url.ts';

/** Prefix of the adapter's pub/sub channels; nodes must share it to reach each other's sockets. */
export const DEFAULT_REDIS_KEY_PREFIX = 'gestiona';

/** Also used in the Redis client name, which cannot contain spaces. */
const KEY_PREFIX_PATTERN = /^[\w.:-]{1,100}$/;

/** Time allowed for each connection attempt, in milliseconds. */
const CONNECT_TIMEOUT_MS = 5_000;

/** Upper bound of the wait between reconnection attempts after a lost connection, in milliseconds. */
const MAX_RECONNECT_DELAY_MS = 5_000;

/** Minimum time between two logged connection errors, so that an outage logs a line per interval, not per attempt. */
const ERROR_LOG_INTERVAL_MS = 30_000;

export interface RedisAdapterOptions {
  /** `redis://[user:password@]host:port[/db]`. */
  url: string;
  /** Default `gestiona`. */
  keyPrefix?: string;
  logger: Logger;
}

export interface RedisAdapterHandle {
  /** The value for socket.io's `adapter` option. */
  adapter: ReturnType<typeof createAdapter>;
  /** Closes both Redis connections. */
  close(): Promise<void>;
}

/**
 * Connects the publish and subscribe clients. Rejects, naming the URL without its password, when
 * Redis cannot be reached at start. A connection lost later is retried for as long as the server
 * runs. Hints published while the publisher is down wait in its queue, but those published while
 * another node's subscriber is down do not reach that node's sockets.
 */
export async function connectRedisAdapter(options: RedisAdapterOptions): Promise<RedisAdapterHandle> {
  const location = redactUrl(options.url);
  const logger = options.logger.child({ redis: location });
  let started = false;

  const keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  if (!KEY_PREFIX_PATTERN.test(keyPrefix)) {
    throw new Error(`Invalid Redis key prefix "${keyPrefix}": use 1 to 100 letters, digits, ".", ":", "_" or "-".`);
  }
  const publisher = createClient({
    url: options.url,
    // Named after the prefix, so that CLIENT LIST shows which deployment a connection belongs to.
    name: `gestiona:${keyPrefix}`,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // At start, fail fast so a wrong URL stops the server; once running, keep trying.
      reconnectStrategy: (retries, cause) => (started ? Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS) : cause),
    },
  });
  const subscriber = publisher.duplicate();
  watchConnection(publisher, 'publish', logger);
  watchConnection(subscriber, 'subscribe', logger);

  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.destroy();
    subscriber.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Redis at ${location} is unreachable (${reason}). Start Redis there or correct the Redis URL.`);
  }
  started = true;
  logger.info('connect to redis: ready');

  return {
    adapter: createAdapter(publisher, subscriber, { key: keyPrefix }),
    close: async () => {
      await Promise.allSettled([publisher.close(), subscriber.close()]);
      logger.info('close redis connections: done');
    },
  };
}

/** Logs connection errors at most once per interval with the count of those left out, and each reconnection. */
function watchConnection(client: EventEmitter, role: 'publish' | 'subscribe', logger: Logger): void {
  let lastLoggedAt = 0;
  let suppressed = 0;
  // Without an 'error' listener, a failed Redis connection would crash the process.
  client.on('error', (error: unknown) => {
    const now = Date.now();
    if (now - lastLoggedAt < ERROR_LOG_INTERVAL_MS) {
      suppressed += 1;
      return;
    }
    logger.error({ err: error, role, suppressed }, 'redis connection: failed');
    lastLoggedAt = now;
    suppressed = 0;
  });
  client.on('reconnecting', () => logger.debug({ role }, 'redis connection: reconnecting'));
}
