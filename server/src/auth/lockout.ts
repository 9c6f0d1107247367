/**
 * Lockout after repeated failed logins, counted per username and per remote address. Unknown
 * usernames are counted like known ones, so a lock never reveals whether an account exists.
 *
 * NOTE: the counters live in this process's memory. Several server nodes each keep their own, so
 * behind a load balancer an attacker gets up to `maxFailures` tries per node, and a restart
 * clears every lock.
 */
import { createHash } from 'node:crypto';
import { formatDateTime, toBogotaIso } from '@gestiona/core/format';
import { assertNever } from '@gestiona/core/result';
import { monotonicNow, type MonotonicClock } from '../limits.ts';

export interface LockoutPolicy {
  /** Failed logins within `windowMs` that lock the username or address. */
  maxFailures: number;
  /** Length of the sliding window in which failures are counted, in ms. */
  windowMs: number;
  /** How long the lock lasts, in ms. */
  lockMs: number;
}

export interface LockoutSettings {
  perUsername: LockoutPolicy;
  /**
   * Higher than the username's, because a branch office shares one address and agents mistype.
   * It stops one address from guessing across many usernames.
   */
  perAddress: LockoutPolicy;
}

const FIFTEEN_MINUTES_MS = 15 * 60 * 1000;

export const DEFAULT_LOCKOUT: LockoutSettings = {
  perUsername: { maxFailures: 5, windowMs: FIFTEEN_MINUTES_MS, lockMs: FIFTEEN_MINUTES_MS },
  perAddress: { maxFailures: 50, windowMs: FIFTEEN_MINUTES_MS, lockMs: FIFTEEN_MINUTES_MS },
};

export type LockScope = 'username' | 'address';

export interface Lock {
  scope: LockScope;
  retryAfterMs: number;
}

interface Counter {
  /** Monotonic times of the failures still inside the window, oldest first. */
  failures: number[];
  lockedUntilMs: number;
}

/** Above this many tracked usernames or addresses, entries with nothing left to remember are dropped. */
const DEFAULT_MAX_KEYS = 10_000;

class FailureCounter {
  private readonly counters = new Map<string, Counter>();
  private readonly policy: LockoutPolicy;
  private readonly maxKeys: number;

  constructor(policy: LockoutPolicy, maxKeys: number) {
    this.policy = policy;
    this.maxKeys = maxKeys;
  }

  lockedFor(key: string, now: number): number {
    const counter = this.counters.get(key);
    return counter && counter.lockedUntilMs > now ? counter.lockedUntilMs - now : 0;
  }

  /** Counts a failure and returns the lock it starts, in ms, or 0. */
  fail(key: string, now: number): number {
    const counter = this.counters.get(key) ?? this.add(key, now);
    counter.failures = counter.failures.filter((at) => now - at < this.policy.windowMs);
    counter.failures.push(now);
    if (counter.failures.length < this.policy.maxFailures) return 0;

    counter.failures = [];
    counter.lockedUntilMs = now + this.policy.lockMs;
    return this.policy.lockMs;
  }

  forget(key: string): void {
    this.counters.delete(key);
  }

  get size(): number {
    return this.counters.size;
  }

  private add(key: string, now: number): Counter {
    if (this.counters.size >= this.maxKeys) this.prune(now);
    const counter: Counter = { failures: [], lockedUntilMs: 0 };
    this.counters.set(key, counter);
    return counter;
  }

  /**
   * Drops entries that are neither locked nor have a failure inside the window. When a flood of
   * distinct names keeps every entry alive, unlocked entries go next, oldest first, so their owners
   * lose only their failure count. Locked entries go last, and only when locks alone exceed the bound.
   */
  private prune(now: number): void {
    for (const [key, counter] of this.counters) {
      const recent = counter.failures.some((at) => now - at < this.policy.windowMs);
      if (!recent && counter.lockedUntilMs <= now) this.counters.delete(key);
    }
    for (const [key, counter] of this.counters) {
      if (this.counters.size < this.maxKeys) break;
      if (counter.lockedUntilMs <= now) this.counters.delete(key);
    }
    for (const key of this.counters.keys()) {
      if (this.counters.size < this.maxKeys) break;
      this.counters.delete(key);
    }
  }
}

export class LoginLockout {
  private readonly byUsername: FailureCounter;
  private readonly byAddress: FailureCounter;
  private readonly clock: MonotonicClock;

  constructor(settings: LockoutSettings = DEFAULT_LOCKOUT, clock: MonotonicClock = monotonicNow, maxKeys = DEFAULT_MAX_KEYS) {
    for (const [scope, policy] of Object.entries(settings)) {
      if (!(policy.maxFailures >= 1) || !(policy.windowMs > 0) || !(policy.lockMs > 0)) {
        throw new Error(`Invalid lockout policy for ${scope} ${JSON.stringify(policy)}: maxFailures must be at least 1, windowMs and lockMs above 0`);
      }
    }
    this.byUsername = new FailureCounter(settings.perUsername, maxKeys);
    this.byAddress = new FailureCounter(settings.perAddress, maxKeys);
    this.clock = clock;
  }

  /** Returns the lock that rejects a login right now, or null. The username's lock is reported first. */
  check(username: string, address: string): Lock | null {
    const now = this.clock();
    const usernameMs = this.byUsername.lockedFor(usernameKey(username), now);
    if (usernameMs > 0) return { scope: 'username', retryAfterMs: usernameMs };
    const addressMs = this.byAddress.lockedFor(address, now);
    return addressMs > 0 ? { scope: 'address', retryAfterMs: addressMs } : null;
  }

  /** Counts a failed login and returns the lock it starts, or null. */
  recordFailure(username: string, address: string): Lock | null {
    const now = this.clock();
    const usernameMs = this.byUsername.fail(usernameKey(username), now);
    const addressMs = this.byAddress.fail(address, now);
    if (usernameMs > 0) return { scope: 'username', retryAfterMs: usernameMs };
    return addressMs > 0 ? { scope: 'address', retryAfterMs: addressMs } : null;
  }

  /**
   * Clears the username's failures. The address keeps its count, because otherwise an attacker
   * holding one valid account could log in between guesses and never reach the address limit.
   */
  recordSuccess(username: string): void {
    this.byUsername.forget(usernameKey(username));
  }

  /** Tracked usernames and addresses; for tests of the memory bound. */
  get size(): { usernames: number; addresses: number } {
    return { usernames: this.byUsername.size, addresses: this.byAddress.size };
  }
}

/** Case and Unicode form do not make a new username, so `Agente1` and `agente1` share a count. */
function usernameKey(username: string): string {
  return username.trim().normalize('NFC').toLowerCase();
}

/**
 * Returns a short hash of the username for log lines. Agents sometimes type their password into the
 * username field, so a failed login never logs the username itself.
 */
export function usernameLogId(username: string): string {
  return createHash('sha256').update(usernameKey(username)).digest('hex').slice(0, 12);
}

/** Spanish text for a rejected login: who is locked, until when (Bogotá time) and what to do. */
export function lockedMessage(lock: Lock, now: Date): string {
  const minutes = Math.max(1, Math.ceil(lock.retryAfterMs / 60_000));
  const until = formatDateTime(toBogotaIso(now.getTime() + lock.retryAfterMs));
  const [date, time] = until.split(' ') as [string, string];
  const wait = `hasta las ${time} del ${date} (${minutes} minuto${minutes === 1 ? '' : 's'})`;

  switch (lock.scope) {
    case 'username':
      return `Demasiados intentos fallidos con este usuario. Por seguridad, el inicio de sesión queda bloqueado ${wait}. Si olvidó la contraseña, pida a su supervisor que la restablezca.`;
    case 'address':
      return `Demasiados intentos fallidos desde esta dirección de red. Por seguridad, el inicio de sesión desde aquí queda bloqueado ${wait}.`;
    default:
      return assertNever(lock.scope, 'lock scope');
  }
}
