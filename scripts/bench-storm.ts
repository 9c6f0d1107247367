/**
 * A reconnection storm: every workstation of a fleet reconnects at once after a server restart,
 * each with a full outbox. Printed as JSON lines, per backend:
 *
 *   {"bench":"storm.drain-time.sqlite","value":N,"unit":"s"}             restart to every event acknowledged
 *   {"bench":"storm.server.cpu.sqlite","value":N,"unit":"% of one core"} over the drain
 *   {"bench":"storm.server.rss-peak.sqlite","value":N,"unit":"MiB"}      of the restarted server
 *   {"bench":"storm.handshakes.peak-rate.sqlite","value":N,"unit":"handshakes/s"}
 *   {"bench":"storm.handshakes.mean-rate.sqlite","value":N,"unit":"handshakes/s"}
 *   {"bench":"storm.handshakes.rejected.sqlite","value":N,"unit":"handshakes"}
 *   {"bench":"storm.batches.turned-away.sqlite","value":N,"unit":"batches"}
 *   {"bench":"storm.events.duplicate-acks.sqlite","value":N,"unit":"events"}
 *   {"bench":"storm.pg.commits.postgres","value":N,"unit":"transactions"}    PostgreSQL only, over the drain
 *   {"bench":"storm.pg.rollbacks.postgres","value":N,"unit":"transactions"}  aborted ones, mostly serialization failures
 *
 * The fleet is seeded as in `bench-fleet.ts`, and the server runs in a child process. Every
 * workstation connects, then the server stops on SIGTERM, as in a deployment, and closes every
 * socket. Like `SyncClient`, every client then waits `retryDelayMs` (10 s) before it reconnects,
 * and socket.io's backoff applies from the first failed attempt. While the server is down, each workstation queues `--events`
 * events, half decisions and half contacts. Each agent has ten debtors, so many contacts are
 * second contacts of the day with the same person. Their re-evaluation raises an alarm, which is
 * more work per event than in a normal shift.
 * A new server process then starts on the same port and database, and the clock runs until every
 * workstation's outbox is empty. The server must then hold each event exactly once, and every event
 * must have been acknowledged `stored` exactly once (a re-sent batch is acknowledged `duplicate`).
 *
 * Clients. `--real N` workstations (20 by default) run the workstation's own `SyncClient`
 * (`main/sync/client.ts`) on a `LocalStore` in a temporary folder, with the default tuning. The
 * others run a lighter client in this file that follows the same protocol with the same settings
 * (`DEFAULT_SYNC_TUNING`): WebSocket only, socket.io's reconnection with the same delays and jitter,
 * on connect a feed pull and then the outbox in batches of 200, the same wait after a busy acknowledgement,
 * and a reconnection after two acknowledgement timeouts in a row. It does not measure the clock
 * and does not apply the feed, so it costs the server three clock pings less per connection.
 *
 * Handshakes are counted on the client side: a `connect` is an accepted handshake, and a
 * `connect_error` after the restart is a handshake the server rejected (its rate limit), because
 * the server is up by then. Every client runs on 127.0.0.1, so the whole fleet is one address.
 *
 *   npx tsx scripts/bench-storm.ts [--workstations N] [--events N] [--real N] [--down-seconds S] [--skip-sqlite] [--skip-postgres]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { MAX_PULL_LIMIT, MAX_PUSH_BATCH, pushAckSchema, SOCKET_EVENTS, type ContactEvent, type PullAck } from '@gestiona/core/sync';
import { SettableClock } from '../main/clock.ts';
import { openDatabase as openLocalDatabase } from '../main/db/open.ts';
import { createLogger as createWorkstationLogger } from '../main/logger.ts';
import { LocalStore } from '../main/store/local-store.ts';
import { DEFAULT_SYNC_TUNING, SyncClient } from '../main/sync/client.ts';
import type { StoreLocation } from '../server/src/store/open-store.ts';
import { bulkSelect, fleetEvent, percentile, print, progressOf, seedFleet, SERVER_NOW, startServerChild, withDatabase, type FleetMember, type ServerChild } from './fleet-support.ts';

const DEBTORS_PER_AGENT = 10;

/** This process's event-loop delay, where every simulated workstation runs: a late acknowledgement may be late here. */
const clientLoopDelay = monitorEventLoopDelay({ resolution: 10 });
clientLoopDelay.enable();

const { values } = parseArgs({
  options: {
    workstations: { type: 'string', default: '500' },
    events: { type: 'string', default: '200' },
    real: { type: 'string', default: '20' },
    'down-seconds': { type: 'string', default: '5' },
    'skip-sqlite': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const fleetSize = Number(values.workstations);
const eventsPerWorkstation = Number(values.events);
const realClients = Number(values.real);
const downMs = Number(values['down-seconds']) * 1000;
for (const [flag, value, minimum] of [
  ['--workstations', fleetSize, 1],
  ['--events', eventsPerWorkstation, 1],
  ['--real', realClients, 0],
  ['--down-seconds', downMs / 1000, 0],
] as const) {
  if (!Number.isInteger(value) || value < minimum) {
    process.stderr.write(`bench-storm: ${flag} must be a whole number of at least ${minimum}, got "${value}"\n`);
    process.exit(2);
  }
}
if (realClients > fleetSize) {
  process.stderr.write(`bench-storm: --real (${realClients}) cannot exceed --workstations (${fleetSize})\n`);
  process.exit(2);
}
const progress = progressOf('bench-storm');
const tuning = DEFAULT_SYNC_TUNING;

/** Counts that every client adds to, for the whole run. */
interface Counters {
  connects: number[];
  rejectedHandshakes: number;
  stored: number;
  duplicates: number;
  rejectedEvents: string[];
  busyAcks: number;
  /** Push and pull acknowledgements that did not arrive within the acknowledgement timeout (lighter clients). */
  ackTimeouts: number;
  /** Milliseconds from emit to acknowledgement of every acknowledged push of the lighter clients. */
  pushAckMs: number[];
  /** Set at the restart; handshake errors before it are the server being down. */
  restartedAt: number | null;
}

interface StormClient {
  readonly workstationId: string;
  connected(): boolean;
  pending(): number;
  enqueue(events: readonly ContactEvent[]): void;
  close(): Promise<void>;
}

/** The lighter client: the sync protocol of `SyncClient` with its default tuning, without a local database. */
class ProtocolClient implements StormClient {
  readonly workstationId: string;
  private readonly socket: Socket;
  private readonly outbox: ContactEvent[] = [];
  private cursor = 0;
  private draining = false;
  private waitTimer: NodeJS.Timeout | null = null;
  private busyInRow = 0;
  private ackTimeoutsInRow = 0;
  private closed = false;

  constructor(
    url: string,
    member: FleetMember,
    private readonly counters: Counters,
  ) {
    this.workstationId = member.workstationId;
    this.socket = connectSocket(url, {
      auth: { token: member.token, workstationId: member.workstationId },
      transports: ['websocket'],
      forceNew: true,
      reconnection: true,
      reconnectionDelay: tuning.reconnectionDelayMs,
      reconnectionDelayMax: tuning.reconnectionDelayMaxMs,
      randomizationFactor: tuning.randomizationFactor,
    });
    this.socket.on('connect', () => {
      this.counters.connects.push(performance.now());
      this.ackTimeoutsInRow = 0;
      this.drain();
    });
    this.socket.on('connect_error', () => {
      if (this.counters.restartedAt !== null) this.counters.rejectedHandshakes += 1;
    });
    // As `SyncClient` does: socket.io does not reconnect by itself after the server closed the socket on purpose.
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') this.reconnectLater();
    });
  }

  connected(): boolean {
    return this.socket.connected;
  }

  pending(): number {
    return this.outbox.length;
  }

  enqueue(events: readonly ContactEvent[]): void {
    this.outbox.push(...events);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.socket.close();
  }

  private drain(): void {
    if (this.draining || this.waitTimer) return;
    this.draining = true;
    void this.pullThenPush()
      .catch((error: unknown) => this.handleFailure(error))
      .finally(() => {
        this.draining = false;
      });
  }

  private async pullThenPush(): Promise<void> {
    for (;;) {
      if (!this.socket.connected) return;
      // Only the cursor is read: parsing every feed entry would load this process, which runs
      // hundreds of clients, and not the server, whose work is the same either way.
      const ack = (await this.socket.timeout(tuning.ackTimeoutMs).emitWithAck(SOCKET_EVENTS.pullFeed, { after: this.cursor, limit: MAX_PULL_LIMIT })) as PullAck;
      if (!ack.ok) throw new Error(`pull rejected by the server: ${ack.error}`);
      const progressed = ack.cursor !== this.cursor;
      this.cursor = ack.cursor;
      if (!ack.hasMore || !progressed) break;
    }

    while (this.outbox.length > 0 && this.socket.connected) {
      const batch = this.outbox.slice(0, MAX_PUSH_BATCH);
      const sentAt = performance.now();
      const ack = pushAckSchema.parse(await this.socket.timeout(tuning.ackTimeoutMs).emitWithAck(SOCKET_EVENTS.pushEvents, { events: batch }));
      this.counters.pushAckMs.push(performance.now() - sentAt);
      this.ackTimeoutsInRow = 0;
      if (!ack.ok && ack.retryAfterMs !== undefined) {
        this.counters.busyAcks += 1;
        this.waitThen(this.busyDelay(ack.retryAfterMs));
        return;
      }
      if (!ack.ok) throw new Error(`push rejected by the server: ${ack.error}`);
      this.busyInRow = 0;

      const acknowledged = new Set<string>();
      for (const result of ack.results) {
        if (result.status === 'stored') this.counters.stored += 1;
        else if (result.status === 'duplicate') this.counters.duplicates += 1;
        else this.counters.rejectedEvents.push(`${result.id}: ${result.error ?? ''}`);
        acknowledged.add(result.id);
      }
      this.outbox.splice(0, this.outbox.length, ...this.outbox.filter((event) => !acknowledged.has(event.id)));
    }
  }

  /** Returns the wait of `SyncClient` after a busy acknowledgement: doubled per busy one in a row, spread by the randomization factor. */
  private busyDelay(retryAfterMs: number): number {
    this.busyInRow += 1;
    const backoff = Math.min(tuning.reconnectionDelayMaxMs, retryAfterMs * 2 ** Math.min(this.busyInRow - 1, 6));
    const spread = 1 + tuning.randomizationFactor * (2 * Math.random() - 1);
    return Math.max(retryAfterMs, Math.round(backoff * spread));
  }

  private handleFailure(error: unknown): void {
    const timedOut = error instanceof Error && /timed out|disconnected/i.test(error.message);
    if (error instanceof Error && /timed out/i.test(error.message)) this.counters.ackTimeouts += 1;
    if (timedOut) {
      this.ackTimeoutsInRow += 1;
      if (this.ackTimeoutsInRow >= tuning.ackTimeoutsBeforeReconnect) {
        this.ackTimeoutsInRow = 0;
        this.socket.io.engine?.close();
        return;
      }
    }
    this.waitThen(tuning.retryDelayMs);
  }

  private reconnectLater(): void {
    setTimeout(() => {
      if (!this.closed && !this.socket.connected && !this.socket.active) this.socket.connect();
    }, tuning.retryDelayMs);
  }

  private waitThen(delayMs: number): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = setTimeout(() => {
      this.waitTimer = null;
      this.drain();
    }, delayMs);
  }
}

/** The workstation's own sync client on a local database; its acknowledgement counts come from the server's rows. */
class RealClient implements StormClient {
  readonly workstationId: string;
  private readonly store: LocalStore;
  private readonly client: SyncClient;
  private online = false;

  constructor(url: string, member: FleetMember, dataDir: string, counters: Counters) {
    this.workstationId = member.workstationId;
    const logger = createWorkstationLogger({ level: 'silent' });
    // Encrypted like a real workstation's database, so the figures include the cipher's cost.
    this.store = new LocalStore(openLocalDatabase({ dataDir, logger, key: randomBytes(32) }));
    this.client = new SyncClient({
      serverUrl: url,
      workstationId: member.workstationId,
      store: this.store,
      clock: new SettableClock(SERVER_NOW.getTime()),
      logger,
      onStatus: (status) => {
        const online = status.connection !== 'offline';
        if (online && !this.online) counters.connects.push(performance.now());
        this.online = online;
      },
      onFeedApplied: () => undefined,
      stateReport: () => ({ pending: this.store.outbox.stats().pending }),
    });
    this.client.start(member.token);
  }

  connected(): boolean {
    return this.online;
  }

  pending(): number {
    return this.store.outbox.stats().pending;
  }

  enqueue(events: readonly ContactEvent[]): void {
    this.store.transaction(() => {
      for (const event of events) {
        const common = { agentId: event.agentId, occurredAt: event.occurredAt };
        if (event.type === 'decision.recorded') this.store.outbox.enqueue({ ...common, type: event.type, payload: event.payload });
        else this.store.outbox.enqueue({ ...common, type: event.type, payload: event.payload });
      }
    });
    this.client.requestPush();
  }

  async close(): Promise<void> {
    await this.client.close();
    this.store.close();
  }
}

async function waitFor(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface TransactionCounts {
  commits: number;
  rollbacks: number;
}

/**
 * Reads the database's committed and rolled-back transactions so far (`pg_stat_database`). A backend
 * reports its counts when its transaction ends or, at the latest, when it exits, so the read waits
 * for the stopped server's connections to close first.
 */
async function transactionCounts(location: StoreLocation): Promise<TransactionCounts | null> {
  if (location.databaseUrl === undefined) return null;
  const others = 'SELECT COUNT(*) AS count FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()';
  await waitForAsync(async () => Number((await bulkSelect<{ count: number | string }>(location, others))[0]!.count) === 0, 'the server to close its connections', 10_000);
  const [row] = await bulkSelect<{ commits: number | string; rollbacks: number | string }>(
    location,
    'SELECT xact_commit AS commits, xact_rollback AS rollbacks FROM pg_stat_database WHERE datname = current_database()',
  );
  return { commits: Number(row!.commits), rollbacks: Number(row!.rollbacks) };
}

async function waitForAsync(condition: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function runStorm(backend: string, location: StoreLocation, dir: string): Promise<void> {
  progress(`${backend}: seeding ${fleetSize} agents, sessions and workstations`);
  const members = await seedFleet(location, fleetSize, DEBTORS_PER_AGENT);
  const counters: Counters = { connects: [], rejectedHandshakes: 0, stored: 0, duplicates: 0, rejectedEvents: [], busyAcks: 0, ackTimeouts: 0, pushAckMs: [], restartedAt: null };
  const clients: StormClient[] = [];
  let server: ServerChild | null = await startServerChild(location);
  try {
    const port = Number(new URL(server.url).port);
    progress(`${backend}: connecting ${fleetSize} workstations (${realClients} with SyncClient) to ${server.url}`);
    for (const [index, member] of members.entries()) {
      if (index < realClients) {
        const dataDir = join(dir, 'workstations', member.workstationId);
        mkdirSync(dataDir, { recursive: true });
        clients.push(new RealClient(server.url, member, dataDir, counters));
      } else {
        clients.push(new ProtocolClient(server.url, member, counters));
      }
    }
    await waitFor(() => clients.every((client) => client.connected()), 'every workstation to connect', 120_000);

    progress(`${backend}: stopping the server; each workstation queues ${eventsPerWorkstation} events while it is down for ${downMs / 1000} s`);
    await server.stop();
    server = null;
    await waitFor(() => clients.every((client) => !client.connected()), 'every workstation to notice the stop', 60_000);
    const total = fleetSize * eventsPerWorkstation;
    for (const [index, client] of clients.entries()) {
      client.enqueue(Array.from({ length: eventsPerWorkstation }, (_, eventIndex) => fleetEvent(members[index]!, eventIndex)));
    }
    await new Promise((resolve) => setTimeout(resolve, downMs));
    const countsBefore = await transactionCounts(location);

    counters.connects.length = 0;
    server = await startServerChild(location, port);
    const restartedAt = performance.now();
    counters.restartedAt = restartedAt;
    const cpuAtRestart = server.cpuSeconds();
    clientLoopDelay.reset();
    progress(`${backend}: server restarted; waiting for ${total} events`);
    await waitFor(() => clients.every((client) => client.pending() === 0), 'every outbox to empty', 30 * 60_000);
    const drainSeconds = (performance.now() - restartedAt) / 1000;
    const cpuPercent = ((server.cpuSeconds() - cpuAtRestart) / drainSeconds) * 100;
    const rssPeak = server.rssPeakMiB();
    const serverLoop = await server.loopDelay();
    const clientLoop = { p99Ms: clientLoopDelay.percentile(99) / 1e6, maxMs: clientLoopDelay.max / 1e6 };

    for (const client of clients) await client.close();
    clients.length = 0;
    await server.stop();
    server = null;
    const countsAfter = await transactionCounts(location);

    const [events] = await bulkSelect<{ count: number | string }>(location, 'SELECT COUNT(*) AS count FROM events');
    const [distinct] = await bulkSelect<{ count: number | string }>(location, 'SELECT COUNT(DISTINCT id) AS count FROM events');
    const [alarms] = await bulkSelect<{ count: number | string }>(location, 'SELECT COUNT(*) AS count FROM alarms');
    if (Number(events!.count) !== total || Number(distinct!.count) !== total) {
      throw new Error(`the server holds ${events!.count} events (${distinct!.count} distinct ids), expected ${total}`);
    }
    // Each event's projection rows too: one decision or one interaction (and its ledger entry) per event.
    const [projections] = await bulkSelect<{ decisions: number | string; interactions: number | string; ledger: number | string }>(
      location,
      'SELECT (SELECT COUNT(*) FROM decisions) AS decisions, (SELECT COUNT(*) FROM interactions) AS interactions, (SELECT COUNT(*) FROM ledger) AS ledger',
    );
    if (Number(projections!.decisions) + Number(projections!.interactions) !== total || Number(projections!.ledger) !== Number(projections!.interactions)) {
      throw new Error(`the server holds ${projections!.decisions} decisions, ${projections!.interactions} interactions and ${projections!.ledger} ledger entries for ${total} events`);
    }
    if (counters.rejectedEvents.length > 0) throw new Error(`${counters.rejectedEvents.length} events were rejected, first: ${counters.rejectedEvents[0]}`);
    // The SyncClient sample does not expose its acknowledgements, so only the lighter clients' are checked one by one.
    const protocolTotal = (fleetSize - realClients) * eventsPerWorkstation;
    if (counters.stored > protocolTotal) throw new Error(`${counters.stored} events were acknowledged stored, more than the ${protocolTotal} sent`);

    const perSecond = new Map<number, number>();
    for (const at of counters.connects) {
      const second = Math.floor((at - restartedAt) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    const connectSpan = counters.connects.length === 0 ? 1 : Math.max(1, (Math.max(...counters.connects) - restartedAt) / 1000);
    progress(`${backend}: ${total} events stored once in ${drainSeconds.toFixed(1)} s; ${alarms!.count} alarms raised by re-evaluation`);
    print(`storm.drain-time.${backend}`, drainSeconds, 's');
    print(`storm.server.cpu.${backend}`, cpuPercent, '% of one core');
    print(`storm.server.rss-peak.${backend}`, rssPeak, 'MiB');
    print(`storm.handshakes.peak-rate.${backend}`, Math.max(0, ...perSecond.values()), 'handshakes/s');
    print(`storm.handshakes.mean-rate.${backend}`, counters.connects.length / connectSpan, 'handshakes/s');
    print(`storm.handshakes.rejected.${backend}`, counters.rejectedHandshakes, 'handshakes');
    print(`storm.batches.turned-away.${backend}`, counters.busyAcks, 'batches');
    print(`storm.events.duplicate-acks.${backend}`, counters.duplicates, 'events');
    const ackMs = [...counters.pushAckMs].sort((a, b) => a - b);
    print(`storm.push-ack.p99.${backend}`, percentile(ackMs, 0.99), 'ms');
    print(`storm.push-ack.max.${backend}`, ackMs.at(-1) ?? Number.NaN, 'ms');
    print(`storm.ack-timeouts.${backend}`, counters.ackTimeouts, 'acknowledgements');
    print(`storm.server.loop-delay.p99.${backend}`, serverLoop.p99Ms, 'ms');
    print(`storm.server.loop-delay.max.${backend}`, serverLoop.maxMs, 'ms');
    print(`storm.clients.loop-delay.p99.${backend}`, clientLoop.p99Ms, 'ms');
    print(`storm.clients.loop-delay.max.${backend}`, clientLoop.maxMs, 'ms');
    if (countsBefore !== null && countsAfter !== null) {
      // The restarted server's transactions, from its start to its stop, plus the few reads of `transactionCounts`.
      print(`storm.pg.commits.${backend}`, countsAfter.commits - countsBefore.commits, 'transactions');
      print(`storm.pg.rollbacks.${backend}`, countsAfter.rollbacks - countsBefore.rollbacks, 'transactions');
    }
  } finally {
    for (const client of clients) await client.close();
    await server?.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gestiona-bench-storm-'));
try {
  if (!values['skip-sqlite']) await withDatabase('sqlite', dir, (location) => runStorm('sqlite', location, join(dir, 'sqlite')));
  if (!values['skip-postgres']) await withDatabase('postgres', dir, (location) => runStorm('postgres', location, join(dir, 'postgres')));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
