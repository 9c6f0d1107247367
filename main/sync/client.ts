/**
 * The sync client: a socket.io connection to the central server that, on every connect, measures
 * the clock, pulls the change feed after the stored cursor and pushes the outbox.
 *
 * The outbox table is the only queue. Events are emitted only while the socket is connected, so
 * socket.io's in-memory send buffer never contains one: that buffer is lost on restart and re-sent
 * on reconnect. A row is deleted only once the server acknowledged it.
 */
import type { Agent } from 'node:https';
import { io, type Socket } from 'socket.io-client';
import { DEFAULT_BACKLOG_LIMITS, type BacklogLimits, type SyncStatus } from '@gestiona/core/ipc';
import {
  MAX_PULL_LIMIT,
  MAX_PUSH_BATCH,
  SOCKET_EVENTS,
  clockAckSchema,
  pullAckSchema,
  pushAckSchema,
  remotePauseRequestSchema,
  type RemotePauseAck,
  type RemotePauseRequest,
} from '@gestiona/core/sync';
import { toBogotaIso } from '@gestiona/core/format';
import { BOARD_HINT_EVENT } from '@gestiona/core/board';
import { AppError } from '@gestiona/core/result';
import { TrustedClock, type Clock, type ClockSample } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { findUntrustedCertificateError, UNTRUSTED_CERTIFICATE_MESSAGE } from '../net/server-trust.ts';
import type { SyncControl } from '../services/context.ts';
import { applyFeedBatch, InvalidFeedEntryError, type AppliedBatch } from '../store/feed.ts';
import type { LocalStore } from '../store/local-store.ts';
import { isAckTimeout, ServerRefusedError, SyncProtocolError } from './errors.ts';
import { SYNC_MESSAGES, sameStatus } from './status.ts';

export interface SyncTuning {
  /** Time to wait for each acknowledgement before leaving the work for the next try, in ms. */
  ackTimeoutMs: number;
  /** First reconnection delay in ms; socket.io doubles it per failed attempt up to the maximum. */
  reconnectionDelayMs: number;
  reconnectionDelayMaxMs: number;
  /** Jitter of each reconnection delay (0–1), so a whole office does not reconnect in step. */
  randomizationFactor: number;
  /** Period of clock measurements while connected, in ms. */
  clockIntervalMs: number;
  /** Delay before retrying a step that failed while connected, in ms, spread by `randomizationFactor`. */
  retryDelayMs: number;
  /** Clock pings per measurement; the one with the smallest round trip sets the offset. */
  clockSamples: number;
  /**
   * Acknowledgement timeouts in a row after which the connection counts as dead and is reopened.
   * A half-open link (a router dropped its state) otherwise stays "connected" until socket.io's
   * ping timeout, about 45 s with the server's default ping settings.
   */
  ackTimeoutsBeforeReconnect: number;
  /** When the agent's status bar warns about unsent events. */
  backlogLimits: BacklogLimits;
  /**
   * Minimum time between two state reports sent in the middle of a push or a pull, in ms. The
   * backlog changes with every batch, and each report is a database write on the server.
   */
  reportIntervalMs: number;
}

export const DEFAULT_SYNC_TUNING: SyncTuning = {
  ackTimeoutMs: 15_000,
  reconnectionDelayMs: 1_000,
  reconnectionDelayMaxMs: 60_000,
  randomizationFactor: 0.5,
  clockIntervalMs: 10 * 60_000,
  retryDelayMs: 10_000,
  clockSamples: 3,
  ackTimeoutsBeforeReconnect: 2,
  backlogLimits: DEFAULT_BACKLOG_LIMITS,
  reportIntervalMs: 1_000,
};

/**
 * Outcome of a session renewal. `retry`: the server could not be asked (unreachable, rate limit,
 * server error), so the handshake is tried again after the retry delay. Otherwise the refusal is
 * final until the next sign-in, and `message` is the Spanish text for the status bar.
 */
export type RenewalResult = { ok: true; token: string } | { ok: false; retry: boolean; message: string };

/** A flat object, as the server's `state:report` handler accepts it. */
export type WorkstationStateReport = Record<string, string | number | boolean | null>;

export interface SyncClientOptions {
  serverUrl: string;
  /** Agent of `https:` connections, which applies the workstation's certificate check (`net/server-trust.ts`). */
  httpsAgent?: Agent;
  workstationId: string;
  store: LocalStore;
  clock: Clock;
  logger: Logger;
  onStatus(status: SyncStatus): void;
  onFeedApplied(batch: AppliedBatch): void;
  stateReport(): WorkstationStateReport;
  /** Called after each successful clock measurement, so the clock's state can be published. */
  onClockMeasured?(): void;
  /** Exchanges the stored renewal token for a new session token; absent, a refused token waits for the next login. */
  renewSession?(): Promise<RenewalResult>;
  /** Called when the server hints that new compliance alarms exist; only team leads' and admins' sockets receive the hint. */
  onAlarmHint?(): void;
  /** Applies a team lead's pause or resume of the signed-in agent. Without it, the workstation rejects the request. */
  onRemotePause?(request: RemotePauseRequest): RemotePauseAck;
  tuning?: Partial<SyncTuning> | undefined;
}

type Work = 'clock' | 'pull' | 'push' | 'report';
/**
 * The report goes before the pull and the push, so after an outage the team lead's board shows the
 * backlog the push is about to drain instead of the count from before the outage. The push
 * changes the count, so another report follows it.
 */
const WORK_ORDER: readonly Work[] = ['clock', 'report', 'pull', 'push'];

export class SyncClient implements SyncControl {
  private readonly options: SyncClientOptions;
  private readonly tuning: SyncTuning;
  private readonly logger: Logger;
  private socket: Socket | null = null;
  private readonly wanted = new Set<Work>();
  private draining: Promise<void> | null = null;
  private busy = false;
  /** Spanish reason the server rejected the session for good, shown until the next login because nothing syncs before it. */
  private sessionError: string | null = null;
  /** A renewal is in flight; refusals meanwhile wait for its outcome. */
  private renewing = false;
  /** The token came from a renewal and has not connected yet, so its refusal ends the session instead of renewing again. */
  private tokenFromRenewal = false;
  /** An invalid feed entry; shown until a pull succeeds, because the feed stays stuck until then. */
  private feedError: string | null = null;
  /** A failed step that the next successful step clears (timeouts, refusals, a closed socket). */
  private transientError: string | null = null;
  private published: SyncStatus | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private readonly retryWork = new Set<Work>();
  private clockTimer: NodeJS.Timeout | null = null;
  private connectFailures = 0;
  private ackTimeoutsInRow = 0;
  /** Busy acknowledgements of push in a row. The wait before the next push grows with their count. */
  private serverBusyInRow = 0;
  private pushBusyTimer: NodeJS.Timeout | null = null;
  /** True while schedule() runs drain() up to its first await. */
  private startingDrain = false;
  /** performance.now() of the last state report sent, for the spacing of the reports in the middle of a batch loop. */
  private lastReportAt = Number.NEGATIVE_INFINITY;

  constructor(options: SyncClientOptions) {
    this.options = options;
    this.tuning = { ...DEFAULT_SYNC_TUNING, ...options.tuning };
    this.logger = options.logger;
  }

  /** Connects with the agent's token; a previous connection is closed first. */
  start(token: string): void {
    this.stop();
    this.sessionError = null;
    this.tokenFromRenewal = false;
    this.transientError = null;

    const socket = io(this.options.serverUrl, {
      auth: { token, workstationId: this.options.workstationId },
      transports: ['websocket'],
      forceNew: true,
      reconnection: true,
      reconnectionDelay: this.tuning.reconnectionDelayMs,
      reconnectionDelayMax: this.tuning.reconnectionDelayMaxMs,
      randomizationFactor: this.tuning.randomizationFactor,
      // engine.io-client types `agent` as string | boolean, but under Node it hands the value to `ws`,
      // which opens the WebSocket through it with https.request.
      ...(this.options.httpsAgent && this.options.serverUrl.startsWith('https:') ? { agent: this.options.httpsAgent as unknown as string } : {}),
    });
    socket.on('connect', () => this.handleConnect());
    socket.on('disconnect', (reason) => this.handleDisconnect(reason));
    socket.on('connect_error', (error) => this.handleConnectError(error));
    socket.on(SOCKET_EVENTS.feedHint, () => this.schedule('pull'));
    socket.on(SOCKET_EVENTS.alarmHint, () => this.options.onAlarmHint?.());
    // An agent's row of the board changed: the board is out of date, as after an alarm.
    socket.on(BOARD_HINT_EVENT, () => this.options.onAlarmHint?.());
    socket.on(SOCKET_EVENTS.remotePause, (payload: unknown, ack: unknown) => this.handleRemotePause(payload, ack));
    this.socket = socket;

    this.clockTimer = setInterval(() => this.schedule('clock'), this.tuning.clockIntervalMs);
    this.clockTimer.unref();
    this.logger.info({ serverUrl: this.options.serverUrl, workstationId: this.options.workstationId }, 'sync: connecting');
    this.publishStatus();
  }

  /** Disconnects and keeps everything queued; nothing is sent until `start` is called again. */
  stop(): void {
    if (this.clockTimer) clearInterval(this.clockTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.clockTimer = null;
    this.retryTimer = null;
    this.retryWork.clear();
    this.wanted.clear();

    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.removeAllListeners();
      socket.disconnect();
      this.logger.info({ workstationId: this.options.workstationId }, 'sync: stopped');
    }
    this.publishStatus();
  }

  /** Stops like `stop` and resolves once the step in progress has finished, so the store can close after it. */
  async close(): Promise<void> {
    this.stop();
    await this.draining;
  }

  requestPush(): void {
    this.publishStatus();
    this.schedule('push');
  }

  /** Measures the clock against the server as soon as the connection allows, e.g. after a clock jump. */
  requestClockMeasure(): void {
    this.schedule('clock');
  }

  /** Sends the workstation's state to the server as soon as the connection allows. */
  requestReport(): void {
    this.schedule('report');
  }

  /** Pulls and pushes now and resolves when done; returns at once when offline. */
  async flushNow(): Promise<void> {
    const socket = this.socket;
    if (socket && !socket.connected && this.sessionError === null) {
      // Skips the wait of the current backoff step; socket.io ignores this while a reconnection runs.
      socket.connect();
    }
    this.schedule('pull', 'push', 'report');
    await this.draining;
  }

  status(): SyncStatus {
    const { pending, oldestPendingAt } = this.options.store.outbox.stats();
    const rejected = this.options.store.outbox.rejectedCount();
    let connection: SyncStatus['connection'] = 'offline';
    if (this.socket?.connected) connection = this.busy ? 'syncing' : 'online';
    return {
      connection,
      pending,
      oldestPendingAt,
      lastSyncAt: this.options.store.meta.get('last_sync_at'),
      lastError: this.sessionError ?? this.feedError ?? this.transientError ?? (rejected > 0 ? SYNC_MESSAGES.rejectedEvents(rejected) : null),
      backlogLimits: this.tuning.backlogLimits,
    };
  }

  /** Validates a `desk:remote-pause` request, applies it and acknowledges the outcome. A request without an acknowledgement callback is ignored. */
  private handleRemotePause(payload: unknown, ack: unknown): void {
    if (typeof ack !== 'function') {
      this.logger.warn({ workstationId: this.options.workstationId }, 'sync: remote pause without acknowledgement ignored');
      return;
    }
    const reply = ack as (response: RemotePauseAck) => void;
    const request = remotePauseRequestSchema.safeParse(payload);
    if (!request.success || !this.options.onRemotePause) {
      this.logger.warn({ workstationId: this.options.workstationId, valid: request.success }, 'sync: remote pause rejected');
      reply({ ok: false, error: 'La estación no pudo aplicar la pausa: solicitud inválida o no admitida.' });
      return;
    }
    try {
      reply(this.options.onRemotePause(request.data));
    } catch (error) {
      const message = error instanceof AppError ? error.message : 'La estación no pudo aplicar la pausa por un error interno.';
      this.logger.error({ err: error, workstationId: this.options.workstationId }, 'sync: remote pause failed');
      reply({ ok: false, error: message });
    }
  }

  private schedule(...works: Work[]): void {
    for (const work of works) this.wanted.add(work);
    // drain() publishes its status before its first await, and a status listener may schedule more
    // work there. Such a call only adds to `wanted`, which this drain takes, instead of starting a
    // second drain that flushNow() would not wait for.
    if (this.socket?.connected && !this.draining && !this.startingDrain) {
      this.startingDrain = true;
      try {
        this.draining = this.drain();
      } finally {
        this.startingDrain = false;
      }
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.socket?.connected && this.wanted.size > 0) {
        const work = WORK_ORDER.find((candidate) => this.wanted.has(candidate))!;
        this.wanted.delete(work);
        this.busy = true;
        this.publishStatus();
        try {
          await this.run(work);
          this.ackTimeoutsInRow = 0;
        } catch (error) {
          this.handleFailure(work, error);
        }
      }
    } finally {
      // Cleared before publishing, so a listener that schedules more work starts a new drain.
      this.draining = null;
      this.busy = false;
      this.publishStatus();
    }
  }

  private async run(work: Work): Promise<void> {
    switch (work) {
      case 'clock':
        return this.measureClock();
      case 'pull':
        return this.pullFeed();
      case 'push':
        return this.pushOutbox();
      case 'report':
        return this.reportState();
    }
  }

  private async measureClock(): Promise<void> {
    const clock = this.options.clock;
    // A test clock is the trusted time itself; only the production clock takes server samples.
    if (!(clock instanceof TrustedClock)) return;

    const samples: ClockSample[] = [];
    for (let index = 0; index < this.tuning.clockSamples; index += 1) {
      const socket = this.connectedSocket();
      if (!socket) return;
      const sentAt = clock.monotonicNow();
      const raw: unknown = await socket.timeout(this.tuning.ackTimeoutMs).emitWithAck(SOCKET_EVENTS.clockPing, {});
      const receivedAt = clock.monotonicNow();
      const ack = clockAckSchema.safeParse(raw);
      if (!ack.success) throw new SyncProtocolError(SOCKET_EVENTS.clockPing, ack.error.message);
      samples.push({ sentAt, receivedAt, serverTime: Date.parse(ack.data.serverTime) });
    }

    const offsetMs = clock.applySamples(samples);
    const roundTripMs = Math.min(...samples.map((sample) => sample.receivedAt - sample.sentAt));
    if (offsetMs === null) {
      this.logger.warn({ samples: samples.length }, 'measure clock: no valid sample, offset unchanged');
      return;
    }
    const { distrust } = clock.reading();
    if (distrust === null) this.logger.info({ offsetMs, roundTripMs }, 'measure clock: offset updated');
    else this.logger.warn({ offsetMs, roundTripMs, distrust: distrust.kind }, 'measure clock: offset updated, clock still not trusted');
    this.options.onClockMeasured?.();
  }

  private async pullFeed(): Promise<void> {
    const { store } = this.options;
    for (;;) {
      const socket = this.connectedSocket();
      if (!socket) return;

      const after = store.meta.feedCursor();
      const raw: unknown = await socket
        .timeout(this.tuning.ackTimeoutMs)
        .emitWithAck(SOCKET_EVENTS.pullFeed, { after, limit: MAX_PULL_LIMIT });
      const ack = pullAckSchema.safeParse(raw);
      if (!ack.success) throw new SyncProtocolError(SOCKET_EVENTS.pullFeed, ack.error.message);
      if (!ack.data.ok) throw new ServerRefusedError(SOCKET_EVENTS.pullFeed, ack.data.error);

      const batch = applyFeedBatch(store, ack.data.entries, ack.data.cursor, this.nowIso());
      this.logger.info({ after, cursor: ack.data.cursor, applied: batch.applied, hasMore: ack.data.hasMore }, 'pull feed: batch applied');
      if (batch.applied > 0) this.options.onFeedApplied(batch);

      const progressed = ack.data.entries.length > 0 || ack.data.cursor !== after;
      if (!ack.data.hasMore || !progressed) break;
      this.reportBetweenBatches();
    }
    this.feedError = null;
    this.markSynced();
  }

  private async pushOutbox(): Promise<void> {
    // The server replied busy, so the timer pushes when the wait is over, and new events wait too.
    if (this.pushBusyTimer) return;
    const { store, workstationId } = this.options;
    for (;;) {
      const socket = this.connectedSocket();
      if (!socket) return;

      const { events, invalid } = store.outbox.oldest(MAX_PUSH_BATCH, workstationId);
      for (const bad of invalid) {
        store.outbox.reject(bad.id, `invalid before sending: ${bad.error}`, this.nowIso());
        this.logger.error({ eventId: bad.id, error: bad.error }, 'push outbox: invalid event set aside');
      }
      if (events.length === 0) {
        if (invalid.length > 0) continue;
        break;
      }

      const raw: unknown = await socket.timeout(this.tuning.ackTimeoutMs).emitWithAck(SOCKET_EVENTS.pushEvents, { events });
      const ack = pushAckSchema.safeParse(raw);
      if (!ack.success) throw new SyncProtocolError(SOCKET_EVENTS.pushEvents, ack.error.message);
      if (!ack.data.ok && ack.data.retryAfterMs !== undefined) {
        this.pushWhenServerFree(ack.data.retryAfterMs, events.length);
        return;
      }
      if (!ack.data.ok) throw new ServerRefusedError(SOCKET_EVENTS.pushEvents, ack.data.error);
      this.serverBusyInRow = 0;

      const sent = new Set(events.map((event) => event.id));
      const results = ack.data.results.filter((result) => sent.has(result.id));
      const acknowledged = results.filter((result) => result.status !== 'rejected').map((result) => result.id);
      const rejected = results.filter((result) => result.status === 'rejected');

      const rejectedAt = this.nowIso();
      store.transaction(() => {
        store.outbox.acknowledge(acknowledged);
        for (const result of rejected) store.outbox.reject(result.id, result.error ?? 'rejected without a reason', rejectedAt);
      });
      for (const result of rejected) {
        this.logger.error({ eventId: result.id, reason: result.error ?? null }, 'push outbox: event rejected by the server');
      }
      this.logger.info(
        { sent: events.length, acknowledged: acknowledged.length, rejected: rejected.length, firstSeq: events[0]!.seq, lastSeq: events.at(-1)!.seq },
        'push outbox: batch acknowledged',
      );
      this.publishStatus();

      if (acknowledged.length + rejected.length === 0) {
        throw new ServerRefusedError(SOCKET_EVENTS.pushEvents, 'no event of the batch was acknowledged');
      }
      this.reportBetweenBatches();
    }
    this.markSynced();
  }

  /**
   * Schedules the push again after the server replied busy. This is not a failure of the link:
   * no error is shown and the acknowledgement-timeout count is not touched. The wait doubles with
   * each busy answer in a row, up to `reconnectionDelayMaxMs`, and is spread by
   * `randomizationFactor` either way (never below the server's wait), so the workstations that a
   * full server turned away do not come back in step.
   */
  private pushWhenServerFree(retryAfterMs: number, batchSize: number): void {
    this.serverBusyInRow += 1;
    const backoff = Math.min(this.tuning.reconnectionDelayMaxMs, retryAfterMs * 2 ** Math.min(this.serverBusyInRow - 1, 6));
    const spread = 1 + this.tuning.randomizationFactor * (2 * Math.random() - 1);
    const delayMs = Math.max(retryAfterMs, Math.round(backoff * spread));
    this.logger.info({ retryAfterMs, delayMs, busyInRow: this.serverBusyInRow, batchSize }, 'push outbox: server busy, will push again later');

    if (this.pushBusyTimer) clearTimeout(this.pushBusyTimer);
    this.pushBusyTimer = setTimeout(() => {
      this.pushBusyTimer = null;
      this.schedule('push');
    }, delayMs);
    this.pushBusyTimer.unref();
  }

  private async reportState(): Promise<void> {
    const socket = this.connectedSocket();
    if (!socket) return;
    this.lastReportAt = performance.now();
    socket.emit(SOCKET_EVENTS.reportState, this.options.stateReport());
  }

  /**
   * Sends a report requested while a push or pull loop runs, at most once per `reportIntervalMs`.
   * A flush of thousands of events takes many batches, and a desk state change (a pause) made
   * during it would otherwise reach the board only after the last one. A request skipped here stays
   * in `wanted`, so the drain sends it after the loop.
   */
  private reportBetweenBatches(): void {
    if (!this.wanted.has('report')) return;
    if (performance.now() - this.lastReportAt < this.tuning.reportIntervalMs) return;
    this.wanted.delete('report');
    void this.reportState();
  }

  private handleConnect(): void {
    this.connectFailures = 0;
    this.ackTimeoutsInRow = 0;
    this.sessionError = null;
    this.tokenFromRenewal = false;
    if (this.transientError === SYNC_MESSAGES.serverClosed) this.transientError = null;
    this.logger.info({ workstationId: this.options.workstationId }, 'sync: connected');
    this.schedule('clock', 'pull', 'push', 'report');
    this.publishStatus();
  }

  private handleDisconnect(reason: Socket.DisconnectReason): void {
    this.logger.warn({ reason }, 'sync: disconnected');
    if (reason === 'io server disconnect') {
      // socket.io does not reconnect by itself when the server closed the socket on purpose.
      this.transientError = SYNC_MESSAGES.serverClosed;
      this.retryLater();
    }
    this.publishStatus();
  }

  private handleConnectError(error: Error): void {
    if (isUnauthorized(error)) {
      // socket.io does not retry a handshake the server refused, so the renewal or a new login restarts it.
      if (this.renewing) return;
      if (this.options.renewSession && !this.tokenFromRenewal) {
        void this.renewAfterRefusal(this.options.renewSession);
      } else {
        this.sessionError = SYNC_MESSAGES.sessionExpired;
        this.logger.warn({ workstationId: this.options.workstationId }, 'sync: token rejected, waiting for a new login');
      }
    } else {
      this.connectFailures += 1;
      // The server that closed the connection is still down, so the plain offline state replaces that message.
      if (this.transientError === SYNC_MESSAGES.serverClosed) this.transientError = null;
      // The HTTPS agent has logged the fingerprints, and the status bar shows the agent why nothing syncs.
      if (findUntrustedCertificateError(error) !== null) this.transientError = UNTRUSTED_CERTIFICATE_MESSAGE;
      // One line per ten failures: a branch office can stay offline for hours.
      if (this.connectFailures === 1 || this.connectFailures % 10 === 0) {
        this.logger.warn({ failures: this.connectFailures, error: error.message }, 'sync: connection failed, retrying with backoff');
      }
    }
    this.publishStatus();
  }

  /**
   * Renews the session once after the server refused the token, then reconnects with the new token.
   * The outbox is left as it is: whatever was queued goes out after the reconnect.
   */
  private async renewAfterRefusal(renew: () => Promise<RenewalResult>): Promise<void> {
    const socket = this.socket;
    this.renewing = true;
    let result: RenewalResult;
    try {
      result = await renew();
    } catch (error) {
      this.logger.error({ err: error }, 'sync: session renewal failed, will retry');
      result = { ok: false, retry: true, message: SYNC_MESSAGES.serverRefused };
    } finally {
      this.renewing = false;
    }
    // A stop or a new login while the renewal ran owns the connection now.
    if (this.socket !== socket || socket === null) return;

    if (result.ok) {
      this.logger.info({ workstationId: this.options.workstationId }, 'sync: session renewed, reconnecting');
      this.start(result.token);
      this.tokenFromRenewal = true;
      return;
    }
    if (result.retry) {
      this.transientError = result.message;
      this.retryLater();
    } else {
      this.sessionError = result.message;
      this.logger.warn({ workstationId: this.options.workstationId }, 'sync: renewal rejected, waiting for a new login');
    }
    this.publishStatus();
  }

  private handleFailure(work: Work, error: unknown): void {
    if (error instanceof InvalidFeedEntryError) {
      this.feedError = SYNC_MESSAGES.invalidFeedEntry(String(error.seq ?? error.index));
      this.logger.error({ err: error, seq: error.seq }, 'pull feed: invalid entry, batch not applied');
      return;
    }
    if (isAckTimeout(error)) {
      this.transientError = SYNC_MESSAGES.ackTimeout;
      this.logger.warn({ work, error: (error as Error).message }, 'sync: no acknowledgement, will retry');
      this.ackTimeoutsInRow += 1;
      if (this.ackTimeoutsInRow >= this.tuning.ackTimeoutsBeforeReconnect) this.reopenUnresponsive();
    } else if (error instanceof ServerRefusedError) {
      this.transientError = SYNC_MESSAGES.serverRefused;
      this.logger.error({ work, err: error }, 'sync: server rejected the request, will retry');
    } else {
      this.transientError = SYNC_MESSAGES.serverRefused;
      this.logger.error({ work, err: error }, 'sync: step failed, will retry');
    }
    this.retryWork.add(work);
    this.retryLater();
  }

  /**
   * Closes the transport under a connection that stopped acknowledging, so socket.io's manager
   * reconnects with its backoff. Nothing is lost: unacknowledged rows stay in the outbox and the
   * server stores a re-sent event once.
   */
  private reopenUnresponsive(): void {
    const engine = this.socket?.io.engine;
    if (!engine) return;
    this.logger.warn({ workstationId: this.options.workstationId, timeouts: this.ackTimeoutsInRow }, 'sync: connection unresponsive, reconnecting');
    this.ackTimeoutsInRow = 0;
    engine.close();
  }

  private retryLater(): void {
    if (this.retryTimer) return;
    // Spread like the reconnection delay: a server that closes every socket when it stops would
    // otherwise have the whole fleet come back in the same second.
    const delayMs = this.tuning.retryDelayMs * (1 + this.tuning.randomizationFactor * (2 * Math.random() - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      const works = [...this.retryWork];
      this.retryWork.clear();
      const socket = this.socket;
      if (socket && !socket.connected && !socket.active) socket.connect();
      this.schedule(...works);
    }, delayMs);
    this.retryTimer.unref();
  }

  private markSynced(): void {
    this.transientError = null;
    this.options.store.meta.set('last_sync_at', this.nowIso());
  }

  private publishStatus(): void {
    const status = this.status();
    const previous = this.published;
    if (previous && sameStatus(previous, status)) return;

    this.published = status;
    if (previous && previous.pending !== status.pending && this.socket?.connected) this.schedule('report');
    this.options.onStatus(status);
  }

  private connectedSocket(): Socket | null {
    return this.socket?.connected ? this.socket : null;
  }

  private nowIso(): string {
    return toBogotaIso(this.options.clock.now());
  }
}

function isUnauthorized(error: Error): boolean {
  const data: unknown = (error as Error & { data?: unknown }).data;
  const code = typeof data === 'object' && data !== null && 'code' in data ? String(data.code) : '';
  return /unauthori[sz]ed|not-authenticated|invalid token|expired/i.test(`${error.message} ${code}`);
}
