/**
 * Upstream sync throughput against each store, printed as JSON lines:
 *
 *   {"bench":"sync.flush.sqlite","value":N,"unit":"events/s"}
 *   {"bench":"sync.direct.sqlite","value":N,"unit":"events/s"}
 *   {"bench":"sync.flush-over-direct.sqlite","value":N,"unit":"ratio"}
 *   {"bench":"sync.direct-per-event.sqlite","value":N,"unit":"events/s"}
 *   {"bench":"sync.flush-over-direct-per-event.sqlite","value":N,"unit":"ratio"}
 *   … and the same five for postgres, and
 *   {"bench":"sync.statements-per-event.postgres","value":N,"unit":"statements"}
 *
 * `flush` starts a real server on 127.0.0.1 (port 0), connects one workstation over socket.io and
 * pushes the queued events in batches of MAX_PUSH_BATCH, each batch after the previous one was
 * acknowledged, as the workstation's sync client does. Every event must come back `stored`.
 * `direct` inserts the same rows (the event, its decision or interaction, and the ledger entry)
 * into an empty database of the same schema with the driver alone (better-sqlite3, pg), with none
 * of the server's checks, one prepared statement per row. It commits as often as the server's group
 * commit does for one workstation's batches: every MAX_PUSH_BATCH (200) events on SQLite, every 16
 * on PostgreSQL (`groupCommit.maxGroupEvents` of the store). The run then counts the rows of every
 * table ingest writes to (`INGEST_TABLES`) and stops if the direct database does not hold as many
 * as the flush added. `flush-over-direct` (the target, at most 3) is the flush time divided by the
 * direct time: the cost of the protocol, validation and checks.
 * `direct-per-event` commits each event alone, as the server did before group commit; its ratio is
 * kept to compare with the figures recorded before.
 * `statements-per-event` counts the statements the server sent to PostgreSQL during the flush,
 * BEGIN and COMMIT included, per event. `pg` sends one statement at a time per connection, so each
 * is a round trip, and unlike the times the count does not depend on the machine's load.
 *
 * Half the events are gate decisions and half typified interactions, as each dial produces one of
 * each. The `clean` stream (default) raises no alarm, while `repeat` makes the server write a
 * violation alarm for most events, which the direct inserts do not write (see `buildEvents`). SQLite commits wait for the disk (synchronous = FULL), and PostgreSQL uses its server's
 * own settings, so the numbers depend on the disk as much as on the code. There are no thresholds.
 *
 *   npx tsx scripts/bench-sync.ts [--events N] [--stream clean|repeat] [--skip-postgres]
 *
 * PostgreSQL runs on GESTIONA_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) in
 * a database `gestiona_bench_<random>` that is dropped at the end.
 */
import {
  decisionRowValues,
  eventRowValues,
  INSERT_DECISION_SQL,
  INSERT_EVENT_SQL,
  INSERT_INTERACTION_SQL,
  INSERT_LEDGER_SQL,
  interactionRowValues,
  ledgerRowValues,
} from '../server/src/store/events.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MAX_PUSH_BATCH, pushAckSchema, SOCKET_EVENTS, type ContactEvent } from '@gestiona/core/sync';
import { startServer } from '../server/src/app.ts';
import { decisionEvent, interactionEvent } from '../server/src/fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../server/src/fixtures/portfolio.ts';
import { connectWorkstation, login } from '../server/src/fixtures/server.ts';
import { createLogger } from '../server/src/logger.ts';
import { openDatabase } from '../server/src/store/database.ts';
import { createPool, migrate } from '../server/src/store/pg/database.ts';
import type { StoreLocation } from '../server/src/store/open-store.ts';

/** Debtors of the `repeat` stream, each contacted again every 100 minutes. */
const REPEAT_DEBTOR_COUNT = 100;
const PASSWORD = 'clave-segura-1';
const WORKSTATION_ID = 'ws-bench';
/** Monday 7 December 2026, 08:00 in Bogotá: the first contact's instant. */
const T0 = new Date('2026-12-07T08:00:00-05:00');
/** The `clean` stream places every contact between 08:00 and 16:00, inside the legal hours. */
const CLEAN_DAY_MS = 8 * 60 * 60 * 1000;

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    stream: { type: 'string', default: 'clean' },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const eventCount = Number(values.events);
if (!Number.isInteger(eventCount) || eventCount < 2 || eventCount % 2 !== 0) {
  process.stderr.write(`bench-sync: --events must be an even number of at least 2, got "${values.events}"\n`);
  process.exit(2);
}
if (values.stream !== 'clean' && values.stream !== 'repeat') {
  process.stderr.write(`bench-sync: --stream must be clean or repeat, got "${values.stream}"\n`);
  process.exit(2);
}
const stream = values.stream;
const contactCount = eventCount / 2;
const debtorCount = stream === 'clean' ? contactCount : REPEAT_DEBTOR_COUNT;
const postgresServerUrl = process.env.GESTIONA_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const logger = createLogger({ level: 'silent' });

function print(bench: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Number(value.toFixed(2)), unit })}\n`);
}

function progress(message: string): void {
  process.stderr.write(`bench-sync: ${message}\n`);
}

/**
 * Builds one decision and one interaction per contact, on the debtors round-robin. `clean`: one
 * contact per debtor, spread over 08:00 to 16:00, so the server's re-evaluation finds nothing to
 * raise, as in a normal shift. `repeat`: 100 debtors one minute apart, so most contacts are a
 * person's second of the day or fall outside the legal hours, and each raises a violation alarm.
 */
function buildEvents(agentId: string): ContactEvent[] {
  const events: ContactEvent[] = [];
  const spacingMs = stream === 'clean' ? Math.min(60_000, Math.floor(CLEAN_DAY_MS / contactCount)) : 60_000;
  for (let contact = 0; contact < contactCount; contact += 1) {
    const debtorId = `CC-${30_000_000 + (contact % debtorCount)}`;
    const at = new Date(T0.getTime() + contact * spacingMs).toISOString();
    const target = { agentId, workstationId: WORKSTATION_ID, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, at };
    events.push(decisionEvent({ ...target, seq: events.length + 1 }));
    events.push(interactionEvent({ ...target, seq: events.length + 1 }));
  }
  return events;
}

/** Statements sent by every `pg` client of this process; the server of `flush` runs in this process. */
let postgresStatements = 0;
const sendQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  postgresStatements += 1;
  return (sendQuery as (...queryArgs: unknown[]) => unknown).apply(this, args);
} as typeof sendQuery;

/**
 * Tables that ingest writes to. The direct inserts must leave as many rows in each as the flush
 * added, because otherwise the two times measure different work. `checkSameRows` stops the run then.
 */
const INGEST_TABLES = ['events', 'decisions', 'interactions', 'ledger', 'decision_links', 'alarms', 'rejected_events', 'changes', 'collection_holds', 'promises'];

type RowCounts = Record<string, number>;

async function countRows(location: StoreLocation): Promise<RowCounts> {
  const query = INGEST_TABLES.map((table) => `SELECT '${table}' AS name, COUNT(*) AS count FROM ${table}`).join(' UNION ALL ');
  if (location.dbPath !== undefined) {
    const db = new Database(location.dbPath, { readonly: true });
    try {
      return Object.fromEntries((db.prepare(query).all() as Array<{ name: string; count: number }>).map((row) => [row.name, Number(row.count)]));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  try {
    return Object.fromEntries((await client.query<{ name: string; count: string }>(query)).rows.map((row) => [row.name, Number(row.count)]));
  } finally {
    await client.end();
  }
}

function checkSameRows(backend: string, flushed: RowCounts, direct: RowCounts): void {
  // The `repeat` stream's alarms are the one known difference (see `buildEvents`).
  const compared = INGEST_TABLES.filter((table) => stream === 'clean' || table !== 'alarms');
  const differing = compared.filter((table) => flushed[table] !== direct[table]);
  if (differing.length > 0) {
    throw new Error(`${backend}: the direct inserts wrote other rows than the flush (${differing.map((table) => `${table}: ${flushed[table]} flushed, ${direct[table]} direct`).join('; ')})`);
  }
}

/**
 * Seeds an agent and leased debtors through a running server's store, then pushes every event over
 * socket.io. Returns the time, the rows the flush added per ingest table, and the events per
 * transaction of the server's group commit, which the direct inserts copy.
 */
async function flush(location: StoreLocation): Promise<{ milliseconds: number; events: ContactEvent[]; statements: number; added: RowCounts; perTransaction: number }> {
  // The server's clock stands at the portfolio's import until the events exist, then one minute
  // after the last contact: the outbox is flushed after the contacts were made, and a contact dated
  // after its receipt would raise a clock alarm that no real flush raises.
  let serverNow = T0;
  const server = await startServer({ ...location, port: 0, logger, now: () => serverNow });
  try {
    const agent = await server.store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD }, T0);
    const rows = Array.from({ length: debtorCount }, (_, index) => portfolioRow({ numero_documento: String(30_000_000 + index), numero_obligacion: `OB-${index}` }));
    await server.store.importPortfolio({ fileName: 'bench.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
    await server.store.leaseUnassigned(T0);
    const events = buildEvents(agent.id);
    serverNow = new Date(Math.max(...events.map((event) => Date.parse(event.occurredAt))) + 60_000);

    const session = await login(server.url, 'agente1', PASSWORD, WORKSTATION_ID);
    const socket = await connectWorkstation(server.url, { token: session.token, workstationId: WORKSTATION_ID });
    try {
      const before = await countRows(location);
      const started = performance.now();
      const statementsBefore = postgresStatements;
      for (let start = 0; start < events.length; start += MAX_PUSH_BATCH) {
        const batch = events.slice(start, start + MAX_PUSH_BATCH);
        const ack = pushAckSchema.parse(await socket.emitWithAck(SOCKET_EVENTS.pushEvents, { events: batch }));
        if (!ack.ok) throw new Error(`batch at ${start} failed: ${ack.error}`);
        const notStored = ack.results.find((result) => result.status !== 'stored');
        if (notStored) throw new Error(`event ${notStored.id} was ${notStored.status}: ${notStored.error ?? ''}`);
      }
      const milliseconds = performance.now() - started;
      const statements = postgresStatements - statementsBefore;

      const stored = await server.store.countEvents();
      if (stored !== events.length) throw new Error(`the server stored ${stored} events, expected ${events.length}`);
      const after = await countRows(location);
      const added = Object.fromEntries(INGEST_TABLES.map((table) => [table, after[table]! - before[table]!]));
      // One push batch of MAX_PUSH_BATCH events is committed in parts of at most this many events.
      const perTransaction = Math.min(MAX_PUSH_BATCH, server.store.groupCommit.maxGroupEvents);
      return { milliseconds, events, statements, added, perTransaction };
    } finally {
      socket.close();
    }
  } finally {
    await server.close();
  }
}

interface RowSet {
  event: unknown[];
  projection: { table: 'decisions' | 'interactions'; values: unknown[] };
  ledger: unknown[] | null;
}

/** Returns the rows the server's ingest writes for one event, built by the ingest's own row functions. */
function rowsOf(event: ContactEvent, receivedAt: Date): RowSet {
  const eventRow = eventRowValues(event, receivedAt);
  if (event.type === 'decision.recorded') {
    return { event: eventRow, projection: { table: 'decisions', values: decisionRowValues(event, event.payload) }, ledger: null };
  }
  return {
    event: eventRow,
    projection: { table: 'interactions', values: interactionRowValues(event, event.payload) },
    ledger: ledgerRowValues(event, event.payload),
  };
}

const INSERT_EVENT = INSERT_EVENT_SQL;
const INSERT_DECISION = INSERT_DECISION_SQL;
const INSERT_INTERACTION = INSERT_INTERACTION_SQL;
const INSERT_LEDGER = INSERT_LEDGER_SQL;

const numbered = (sql: string) => {
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
};

/** Splits the row sets into transactions of `perTransaction` events, in order. */
function chunks(rowSets: readonly RowSet[], perTransaction: number): RowSet[][] {
  const result: RowSet[][] = [];
  for (let start = 0; start < rowSets.length; start += perTransaction) result.push(rowSets.slice(start, start + perTransaction));
  return result;
}

function directSqlite(dbPath: string, events: readonly ContactEvent[], perTransaction: number): number {
  const { db } = openDatabase(dbPath);
  try {
    const insertEvent = db.prepare(INSERT_EVENT);
    const insertDecision = db.prepare(INSERT_DECISION);
    const insertInteraction = db.prepare(INSERT_INTERACTION);
    const insertLedger = db.prepare(INSERT_LEDGER);
    const store = db.transaction((group: RowSet[]) => {
      for (const rows of group) {
        insertEvent.run(...rows.event);
        (rows.projection.table === 'decisions' ? insertDecision : insertInteraction).run(...rows.projection.values);
        if (rows.ledger) insertLedger.run(...rows.ledger);
      }
    });

    const groups = chunks(
      events.map((event) => rowsOf(event, T0)),
      perTransaction,
    );
    const started = performance.now();
    for (const group of groups) store(group);
    return performance.now() - started;
  } finally {
    db.close();
  }
}

async function directPostgres(databaseUrl: string, events: readonly ContactEvent[], perTransaction: number): Promise<number> {
  const pool = createPool(databaseUrl, logger, 1);
  try {
    await migrate(pool, 'bench');
    const client = await pool.connect();
    try {
      const statements = { event: numbered(INSERT_EVENT), decisions: numbered(INSERT_DECISION), interactions: numbered(INSERT_INTERACTION), ledger: numbered(INSERT_LEDGER) };
      const groups = chunks(
        events.map((event) => rowsOf(event, T0)),
        perTransaction,
      );
      const started = performance.now();
      for (const group of groups) {
        await client.query('BEGIN');
        for (const rows of group) {
          await client.query({ name: 'bench_event', text: statements.event, values: rows.event });
          await client.query({ name: `bench_${rows.projection.table}`, text: statements[rows.projection.table], values: rows.projection.values });
          if (rows.ledger) await client.query({ name: 'bench_ledger', text: statements.ledger, values: rows.ledger });
        }
        await client.query('COMMIT');
      }
      return performance.now() - started;
    } finally {
      client.release();
    }
  } finally {
    await pool.end();
  }
}

function report(backend: string, flushMs: number, directMs: number, directPerEventMs: number): void {
  print(`sync.flush.${backend}`, (eventCount / flushMs) * 1000, 'events/s');
  print(`sync.direct.${backend}`, (eventCount / directMs) * 1000, 'events/s');
  print(`sync.flush-over-direct.${backend}`, flushMs / directMs, 'ratio');
  print(`sync.direct-per-event.${backend}`, (eventCount / directPerEventMs) * 1000, 'events/s');
  print(`sync.flush-over-direct-per-event.${backend}`, flushMs / directPerEventMs, 'ratio');
}

async function benchSqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gestiona-bench-'));
  try {
    progress(`sqlite: flushing ${eventCount} events`);
    const { milliseconds, events, added, perTransaction } = await flush({ dbPath: join(dir, 'server.sqlite') });
    progress(`sqlite: inserting the same rows directly, ${perTransaction} events per transaction`);
    const direct = directSqlite(join(dir, 'direct.sqlite'), events, perTransaction);
    checkSameRows('sqlite', added, await countRows({ dbPath: join(dir, 'direct.sqlite') }));
    const directPerEvent = directSqlite(join(dir, 'direct-per-event.sqlite'), events, 1);
    report('sqlite', milliseconds, direct, directPerEvent);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresServerUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${postgresServerUrl} is unreachable (${error instanceof Error ? error.message : String(error)}); set GESTIONA_BENCH_PG_URL or pass --skip-postgres`);
  }

  const names = [1, 2, 3].map(() => `gestiona_bench_${randomBytes(6).toString('hex')}`);
  const urlOf = (name: string) => {
    const url = new URL(postgresServerUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  try {
    for (const name of names) await admin.query(`CREATE DATABASE ${name}`);
    progress(`postgres: flushing ${eventCount} events`);
    const { milliseconds, events, statements, added, perTransaction } = await flush({ databaseUrl: urlOf(names[0]!) });
    progress(`postgres: inserting the same rows directly, ${perTransaction} events per transaction`);
    const direct = await directPostgres(urlOf(names[1]!), events, perTransaction);
    checkSameRows('postgres', added, await countRows({ databaseUrl: urlOf(names[1]!) }));
    const directPerEvent = await directPostgres(urlOf(names[2]!), events, 1);
    report('postgres', milliseconds, direct, directPerEvent);
    print('sync.statements-per-event.postgres', statements / eventCount, 'statements');
  } finally {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await benchSqlite();
if (!values['skip-postgres']) await benchPostgres();
