/**
 * Child process of `group-commit-crash.test.ts`: ingests the given batches as one group and kills
 * itself (SIGKILL, as a power cut or an OOM kill would) inside the group's transaction, once
 * more than `--crash-after` events have been inserted. The statement hooks below stand in for the crash;
 * the store and the committer are the product's own.
 *
 *   node --import tsx group-commit-crash-child.ts (--db FILE | --database-url URL) --events FILE --crash-after N
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { SyncEvent } from '@gestiona/core/sync';
import { createLogger } from '../logger.ts';
import { openStore } from '../store/open-store.ts';
import { GroupCommitter } from './group-commit.ts';

const { values } = parseArgs({
  options: { db: { type: 'string' }, 'database-url': { type: 'string' }, events: { type: 'string' }, 'crash-after': { type: 'string' } },
});
const crashAfter = Number(values['crash-after']);
let inserted = 0;

/**
 * Counts the events each statement inserts, and kills the process before the first statement sent
 * after more than `crashAfter` were inserted: at the latest, before the COMMIT. On PostgreSQL a
 * group writes its event rows in one statement, as a JSON array in the first parameter
 * (`store/pg/group-reads.ts`), so the rows are written, uncommitted, when the process dies.
 */
function beforeEventInsert(sql: string, params: readonly unknown[] = []): void {
  if (inserted > crashAfter) process.kill(process.pid, 'SIGKILL');
  if (!/INSERT INTO events\b/.test(sql)) return;
  inserted += sql.includes('json_populate_recordset(NULL::events') ? (JSON.parse(String(params[0])) as unknown[]).length : 1;
}

const prepare = Database.prototype.prepare;
Database.prototype.prepare = function hookedPrepare(this: Database.Database, sql: string) {
  const statement = prepare.call(this, sql);
  const run = statement.run.bind(statement) as (...params: unknown[]) => Database.RunResult;
  statement.run = (...params: unknown[]) => {
    beforeEventInsert(sql);
    return run(...params);
  };
  return statement;
} as typeof prepare;

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function hookedQuery(this: pg.Client, ...args: unknown[]) {
  const config = args[0];
  if (typeof config === 'string') beforeEventInsert(config);
  else if (typeof config === 'object' && config !== null && 'text' in config) {
    beforeEventInsert(String(config.text), 'values' in config && Array.isArray(config.values) ? config.values : []);
  }
  return (query as (...queryArgs: unknown[]) => unknown).apply(this, args);
} as typeof query;

const logger = createLogger({ level: 'silent' });
const store = await openStore({ ...(values.db === undefined ? { databaseUrl: values['database-url'] } : { dbPath: values.db }), logger });
const batches = JSON.parse(readFileSync(values.events!, 'utf8')) as Array<{ workstationId: string; agentId: string; events: SyncEvent[] }>;
const committer = new GroupCommitter(store, logger, { windowMs: 50, maxGroupEvents: 1_000 });
const receivedAt = new Date(batches[0]!.events[0]!.occurredAt);
await Promise.all(
  batches.map((batch) =>
    committer.submit(
      batch.workstationId,
      batch.events.map((event) => ({ event, context: { agentId: batch.agentId, workstationId: batch.workstationId, receivedAt } })),
    ),
  ),
);
// Reaching this line means the crash did not happen inside the group. The test expects SIGKILL and no output, so it fails.
process.stdout.write(`committed ${inserted} events without crashing\n`);
await store.close();
