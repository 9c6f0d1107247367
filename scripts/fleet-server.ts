/**
 * The central server as a child process of the fleet benchmarks (`bench-fleet.ts`, `bench-storm.ts`),
 * so that its CPU time and memory can be read from /proc apart from the simulated workstations.
 * It reports `{ type: 'listening', url }` to the parent over the IPC channel and stops on SIGTERM.
 * On `{ type: 'loop-delay' }` and `{ type: 'group-commits' }` it sends its event-loop delay, and
 * the count of group commits and their events so far with the largest group since the previous request.
 *
 *   node --import tsx scripts/fleet-server.ts (--db FILE | --database-url URL) --now ISO [--port N]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startServer } from '../server/src/app.ts';
import { createLogger } from '../server/src/logger.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'database-url': { type: 'string' },
    now: { type: 'string' },
    port: { type: 'string', default: '0' },
  },
});

const fixedNow = values.now === undefined ? null : new Date(values.now);
if (fixedNow !== null && Number.isNaN(fixedNow.getTime())) {
  process.stderr.write(`fleet-server: --now must be an ISO instant, got "${values.now}"\n`);
  process.exit(2);
}

// Errors only, unless GESTIONA_LOG_LEVEL sets another level: a line per batch or per alarm would cost CPU that the benchmark measures.
const logger = createLogger({ level: process.env.GESTIONA_LOG_LEVEL ?? 'error' });
const server = await startServer({
  ...(values['database-url'] === undefined ? { dbPath: values.db } : { databaseUrl: values['database-url'] }),
  port: Number(values.port),
  logger,
  ...(fixedNow === null ? {} : { now: () => fixedNow }),
});

// The group committer calls `store.ingestEvents` once per group (one transaction), so counting
// those calls on the running store gives the group sizes that the ingest gate lets form.
const groupCommits = { groups: 0, events: 0, maxEvents: 0 };
const ingestEvents = server.store.ingestEvents.bind(server.store);
server.store.ingestEvents = (items) => {
  groupCommits.groups += 1;
  groupCommits.events += items.length;
  groupCommits.maxEvents = Math.max(groupCommits.maxEvents, items.length);
  return ingestEvents(items);
};
process.send?.({ type: 'listening', url: server.url, port: server.port });

// The event loop's delay: a synchronous SQLite commit waiting for the disk blocks the loop
// without using CPU, so the CPU figure alone does not show it. Reported on `{ type: 'loop-delay' }`.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
process.on('message', (message: { type?: string }) => {
  if (message.type === 'group-commits') {
    process.send?.({ type: 'group-commits', ...groupCommits });
    groupCommits.maxEvents = 0;
  }
  if (message.type !== 'loop-delay') return;
  process.send?.({ type: 'loop-delay', p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 });
  loopDelay.reset();
});

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, 'stop fleet server: failed');
      process.exit(1);
    },
  );
});
