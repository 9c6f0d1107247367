/**
 * Checks whether the central server can be reached while the agent works without server tokens
 * (signed in offline, or the renewal was refused). Nothing syncs without tokens, so when
 * `GET /api/health` responds, the session notice asks the agent for the password.
 */
import type { Logger } from '../logger.ts';
import type { ServerFetch } from '../net/server-fetch.ts';

export interface ServerProbeOptions {
  serverUrl: string;
  serverFetch: ServerFetch;
  logger: Logger;
  /** First delay after a failed check, in ms; doubled after each failure up to `maxDelayMs`. */
  minDelayMs: number;
  maxDelayMs: number;
  /** Called when `reachable()` changes. */
  onChange: (reachable: boolean) => void;
}

/** A health check that hangs longer than this counts as a failure. */
const HEALTH_TIMEOUT_MS = 10_000;

export class ServerProbe {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private lastReachable = false;
  private failures = 0;
  /** Bumped by every start and stop, so that a check still in flight after a stop changes nothing. */
  private generation = 0;

  constructor(private readonly options: ServerProbeOptions) {
    if (!(options.minDelayMs > 0) || !(options.maxDelayMs >= options.minDelayMs)) {
      throw new Error(`ServerProbe delays must satisfy 0 < minDelayMs <= maxDelayMs, got ${options.minDelayMs} and ${options.maxDelayMs}`);
    }
  }

  /** Returns whether the last check reached the server while probing; false when stopped. */
  reachable(): boolean {
    return this.running && this.lastReachable;
  }

  /** Starts checking at once; a second start while running does nothing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.generation += 1;
    this.options.logger.info({ serverUrl: this.options.serverUrl }, 'probe server: started');
    this.schedule(0);
  }

  stop(): void {
    if (!this.running) return;
    const wasReachable = this.reachable();
    this.running = false;
    this.lastReachable = false;
    this.generation += 1;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.options.logger.info({}, 'probe server: stopped');
    if (wasReachable) this.options.onChange(false);
  }

  private schedule(delayMs: number): void {
    const generation = this.generation;
    this.timer = setTimeout(() => void this.check(generation), delayMs);
    this.timer.unref();
  }

  private async check(generation: number): Promise<void> {
    const reachable = await this.ping();
    if (generation !== this.generation) return;

    // While reachable it checks again at the longest delay, so that the notice goes away if the server does.
    this.failures = reachable ? 0 : this.failures + 1;
    const delay = reachable ? this.options.maxDelayMs : Math.min(this.options.maxDelayMs, this.options.minDelayMs * 2 ** Math.min(this.failures - 1, 20));
    if (reachable !== this.lastReachable) {
      this.lastReachable = reachable;
      this.options.logger.info({ serverUrl: this.options.serverUrl, reachable }, reachable ? 'probe server: reachable' : 'probe server: unreachable again');
      this.options.onChange(reachable);
    }
    this.schedule(delay);
  }

  private async ping(): Promise<boolean> {
    try {
      const response = await this.options.serverFetch(new URL('/api/health', this.options.serverUrl), {
        method: 'GET',
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      });
      return response.ok;
    } catch (error) {
      // Expected while the network is down; each failure is not worth a log line, only the state change is.
      this.options.logger.debug({ err: error, failures: this.failures + 1 }, 'probe server: unreachable');
      return false;
    }
  }
}
