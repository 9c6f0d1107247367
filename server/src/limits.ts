/**
 * Request-rate limits per remote address, for socket.io handshakes and for `POST /api/auth/login`.
 * Each address gets a token bucket: `burst` requests at once, refilled at `perMinute`. A request
 * beyond the limit is rejected before it reaches authentication or the store.
 *
 * NOTE: the buckets live in this process's memory. Several server nodes each keep their own, so
 * an address spread over N nodes by a load balancer gets up to N times the limit.
 */
import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import { MAX_PUSH_BATCH } from '@gestiona/core/sync';
import type { Logger } from './logger.ts';
import type { GroupCommitLimits } from './store/types.ts';

export interface RateLimit {
  /** Requests accepted at once from one address before the refill rate applies. */
  burst: number;
  /** Sustained requests per minute accepted from one address. */
  perMinute: number;
}

/** Bounds on the push batches one server node ingests at a time (`sync/ingest-gate.ts`). */
export interface IngestLimits {
  /**
   * Events of the running batches, which the group committer has in its groups or ready for the
   * next ones. A batch larger than this runs alone once nothing else runs.
   */
  maxRunningEvents: number;
  /** Batches in memory at once, running and waiting. One more is turned away with `retryAfterMs`. */
  maxHeldBatches: number;
  /**
   * Longest expected wait in the queue, in ms, from the events ahead and the measured time per
   * event. A batch that would wait longer is turned away even when the node could hold it, because
   * its acknowledgement would arrive after the client's timeout (15 s), and the client would send
   * the batch again.
   */
  maxQueueWaitMs: number;
  /** Range of the wait sent to a turned-away client, in ms, before the client's jitter. */
  minRetryAfterMs: number;
  maxRetryAfterMs: number;
}

/** The ingest limits that do not depend on the store; `ingestLimitsFor` adds the running events. */
export type IngestQueueLimits = Omit<IngestLimits, 'maxRunningEvents'>;

export interface ServerLimits {
  loginRequests: RateLimit;
  socketConnections: RateLimit;
  ingest: IngestQueueLimits;
}

/**
 * Defaults sized by estimate, not by measurement of a real office.
 *
 * Handshakes: a branch office can put several hundred workstations behind one NAT address, and
 * all of them reconnect within a few seconds of a server restart (first retry after 0.5 to 1.5 s).
 * The burst lets 600 of them in at once, and the refill of 10 a second lets a second wave in
 * within a minute, so an office is not locked out of sync after a restart. A handshake without a
 * valid session token costs the server one indexed lookup, so this rate is cheap to grant.
 * `scripts/bench-storm.ts` counts the handshakes this limit rejects when 500 workstations
 * reconnect from one address.
 *
 * Logins: an attacker gets at most one login attempt per second per address once the burst is
 * spent, because each attempt costs an scrypt hash and guesses a password.
 *
 * Ingest: the running events are sized from the store's group commit (`ingestLimitsFor`). Each
 * group the store runs at once gets one full push batch (200 events), because a batch larger than
 * a group runs as parts, one group after another. At least 8 full batches run, as the earlier gate
 * of 8 batches at once allowed, so 1,600 events on SQLite with its one group at a time. With one
 * full batch at a time instead, restart storms on SQLite (`scripts/bench-storm.ts --workstations
 * 100`, load average 12 to 15 on 2 cores) drained in 58 to 61 s, against 20 and 37 s with the
 * earlier gate. More workstations were turned away (82 to 243 against 29 to 48), and each waited
 * out its growing backoff (docs/benchmarks.md, "Ingest gate by events"). One-event batches from many workstations share full groups,
 * where a gate of 8 batches made groups of at most 8 events. The transactions at once, and so the
 * pooled PostgreSQL connections that ingest takes, are bounded by the group committer
 * (`groupsAtOnce`), not by this limit.
 *
 * A batch waits at most about 5 s in the queue, a third of the client's acknowledgement timeout,
 * so that the time of the running events still fits. The node keeps at most 128 batches, running
 * and waiting, which bounds their memory: 128 full batches of typical events are about 17 MB of
 * JSON, and 128 messages at socket.io's 4 MiB limit are 512 MiB. A node that stalls (a slow disk)
 * turns away the pushes beyond those 128 with a wait, instead of holding one per workstation of a
 * large office.
 */
export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  loginRequests: { burst: 60, perMinute: 60 },
  socketConnections: { burst: 600, perMinute: 600 },
  ingest: { maxHeldBatches: 128, maxQueueWaitMs: 5_000, minRetryAfterMs: 1_000, maxRetryAfterMs: 30_000 },
};

/** Full push batches that run at once even when the store runs fewer groups at once (see the ingest defaults above). */
const MIN_RUNNING_FULL_BATCHES = 8;

/**
 * Returns the ingest limits for a store: every group the store runs at once can work on one full
 * push batch, or on several smaller ones that fill it, and at least 8 full batches run.
 */
export function ingestLimitsFor(groupCommit: GroupCommitLimits, queue: IngestQueueLimits = DEFAULT_SERVER_LIMITS.ingest): IngestLimits {
  const fullBatches = Math.max(MIN_RUNNING_FULL_BATCHES, groupCommit.groupsAtOnce);
  return { ...queue, maxRunningEvents: fullBatches * Math.max(groupCommit.maxGroupEvents, MAX_PUSH_BATCH) };
}

/** A clock in milliseconds that only moves forward; tests pass their own. */
export type MonotonicClock = () => number;

export const monotonicNow: MonotonicClock = () => performance.now();

export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number; rejections: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
  /** Rejections since the last accepted request, so that callers can log a streak once. */
  rejections: number;
}

/** Above this many tracked addresses, buckets that are full again are dropped. */
const DEFAULT_MAX_KEYS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly limit: RateLimit;
  private readonly clock: MonotonicClock;
  private readonly maxKeys: number;

  constructor(limit: RateLimit, clock: MonotonicClock = monotonicNow, maxKeys = DEFAULT_MAX_KEYS) {
    if (!(limit.burst >= 1) || !(limit.perMinute > 0)) {
      throw new Error(`Invalid rate limit ${JSON.stringify(limit)}: burst must be at least 1 and perMinute above 0`);
    }
    this.limit = limit;
    this.clock = clock;
    this.maxKeys = maxKeys;
  }

  /** Takes one request from `key`'s bucket, or returns how long to wait for the next one. */
  take(key: string): RateDecision {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? this.newBucket(key, now);
    this.refill(bucket, now);

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.rejections = 0;
      return { allowed: true };
    }
    bucket.rejections += 1;
    const retryAfterMs = Math.ceil(((1 - bucket.tokens) * 60_000) / this.limit.perMinute);
    return { allowed: false, retryAfterMs, rejections: bucket.rejections };
  }

  /** Number of addresses tracked; for tests of the memory bound. */
  get size(): number {
    return this.buckets.size;
  }

  private newBucket(key: string, now: number): Bucket {
    if (this.buckets.size >= this.maxKeys) this.prune(now);
    const bucket: Bucket = { tokens: this.limit.burst, updatedMs: now, rejections: 0 };
    this.buckets.set(key, bucket);
    return bucket;
  }

  private refill(bucket: Bucket, now: number): void {
    // An injected clock may step back. Refill then waits until the clock is past the last update
    // again, so stepping back and forth cannot mint tokens.
    if (now <= bucket.updatedMs) return;
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.updatedMs) * this.limit.perMinute) / 60_000);
    bucket.updatedMs = now;
  }

  /**
   * Drops buckets that have refilled completely, because a full bucket behaves like a missing one.
   * When every bucket is still in use (a flood from many addresses), the oldest ones go, which
   * lets those addresses start again with a full burst.
   */
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.tokens >= this.limit.burst) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}

/**
 * Returns the key that identifies a client address: IPv4 as is (also when it arrives IPv4-mapped,
 * `::ffff:10.0.0.5`), and IPv6 reduced to its /64 prefix, because one host usually controls a
 * whole /64 and could otherwise rotate through it.
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;

  const hextets = expandIPv6(address.split('%')[0]!);
  return `${hextets.slice(0, 4).join(':')}::/64`;
}

/** Expands `::` and embedded IPv4 so that an IPv6 address always has eight hextets. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  const embedded = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (embedded) {
    const [a, b, c, d] = embedded.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, embedded.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }

  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = tail === null || tail === '' ? [] : tail.split(':');
  const zeros = tail === null ? [] : new Array<string>(8 - headParts.length - tailParts.length).fill('0');
  return [...headParts, ...zeros, ...tailParts].map((part) => part.replace(/^0+(?=.)/, ''));
}

/** Spanish text for a rejected burst, with the wait rounded up to whole seconds. */
export function rateLimitedMessage(what: 'conexiones' | 'solicitudes de inicio de sesión', retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `Demasiadas ${what} desde esta dirección de red. Intente de nuevo en ${seconds} segundo${seconds === 1 ? '' : 's'}.`;
}

/** Logs the first rejection of a streak and then one line per hundred, so a flood does not flood the log. */
export function shouldLogRejection(rejections: number): boolean {
  return rejections === 1 || rejections % 100 === 0;
}

export interface SocketConnectionRate {
  limit: RateLimit;
  clock?: MonotonicClock;
}

type AllowRequest = (request: IncomingMessage, callback: (message: string | null | undefined, success: boolean) => void) => void;

/**
 * Returns engine.io's `allowRequest` hook, which runs once per handshake before socket.io's own
 * middleware. A rejected handshake gets an HTTP error (403 for polling, 400 for WebSocket) with
 * the Spanish message as its body. The socket.io client treats it as a transport error and keeps
 * retrying with its backoff, which is what a rate limit needs. A middleware error would instead
 * stop the client's reconnection for good.
 */
export function socketConnectionGate(settings: SocketConnectionRate | undefined, logger: Logger): AllowRequest {
  const limiter = new RateLimiter(settings?.limit ?? DEFAULT_SERVER_LIMITS.socketConnections, settings?.clock);

  return (request, callback) => {
    const address = addressKey(request.socket.remoteAddress);
    const decision = limiter.take(address);
    if (decision.allowed) {
      callback(null, true);
      return;
    }
    if (shouldLogRejection(decision.rejections)) {
      logger.warn({ address, rejections: decision.rejections, retryAfterMs: decision.retryAfterMs }, 'limit socket connections: handshake rejected');
    }
    callback(rateLimitedMessage('conexiones', decision.retryAfterMs), false);
  };
}
