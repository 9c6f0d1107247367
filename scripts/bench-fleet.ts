/**
 * A fleet of workstations at steady load against one server node, printed as JSON lines:
 *
 *   {"bench":"fleet.ack-latency.p50.sqlite","value":N,"unit":"ms"}
 *   {"bench":"fleet.ack-latency.p99.sqlite","value":N,"unit":"ms"}
 *   {"bench":"fleet.server.cpu.sqlite","value":N,"unit":"% of one core"}
 *   {"bench":"fleet.server.rss-peak.sqlite","value":N,"unit":"MiB"}
 *   {"bench":"fleet.busy-acks.sqlite","value":N,"unit":"acknowledgements"}
 *   {"bench":"fleet.group-events.mean.sqlite","value":N,"unit":"events per group commit"}
 *   {"bench":"fleet.group-events.max.sqlite","value":N,"unit":"events per group commit"}
 *   … and the same seven for postgres.
 *
 * The server runs in a child process (`fleet-server.ts`), so that its CPU time and peak resident
 * memory are read from /proc apart from the clients. The database gets one agent, session and
 * workstation per simulated workstation, written directly. Each workstation connects over
 * WebSocket, as the sync client does, and pushes one event a second, in turns a gate decision and
 * its typified contact (`server/src/fixtures/events.ts`). Each contact is with another of its
 * debtors, so the server's re-evaluation finds no violation, as in a normal shift. The first push of each starts at a random
 * moment within the first second, so that the pushes do not arrive in step. After a warm-up, the
 * latency from emit to acknowledgement of every push sent during the measured period is recorded.
 * CPU is the server's CPU time over the measured period, as a percentage of one core. The group
 * figures are the mean and largest events per group commit (one transaction) in that period. Every
 * acknowledged event must be `stored`, and the server must hold exactly the events sent.
 *
 * The clients share one Node process and the machine's cores with the server, so on a small
 * machine part of the latency is the clients' own event loop. Target: p99 under 100 ms.
 *
 *   npx tsx scripts/bench-fleet.ts [--workstations N] [--seconds S] [--skip-sqlite] [--skip-postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { pushAckSchema, SOCKET_EVENTS } from '@gestiona/core/sync';
import type { StoreLocation } from '../server/src/store/open-store.ts';
import {
  bulkSelect,
  fleetEvent,
  percentile,
  print,
  progressOf,
  seedFleet,
  startServerChild,
  withDatabase,
  type FleetMember,
  type GroupCommitCount,
} from './fleet-support.ts';

const WARM_UP_MS = 5_000;
const ACK_TIMEOUT_MS = 15_000;

const { values } = parseArgs({
  options: {
    workstations: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '30' },
    'skip-sqlite': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
  },
});
const fleetSize = Number(values.workstations);
const measuredMs = Number(values.seconds) * 1000;
if (!Number.isInteger(fleetSize) || fleetSize < 1) {
  process.stderr.write(`bench-fleet: --workstations must be a positive whole number, got "${values.workstations}"\n`);
  process.exit(2);
}
if (!(measuredMs >= 1000)) {
  process.stderr.write(`bench-fleet: --seconds must be at least 1, got "${values.seconds}"\n`);
  process.exit(2);
}
const progress = progressOf('bench-fleet');

interface Sample {
  sentAt: number;
  latencyMs: number;
}

/** Counts of the server's acknowledgements, over the whole run. */
interface Tally {
  sent: number;
  stored: number;
  /** Busy acknowledgements: the event was sent again after the server's wait. */
  busy: number;
  other: string[];
}

function connect(url: string, member: FleetMember): Promise<Socket> {
  const socket = connectSocket(url, {
    auth: { token: member.token, workstationId: member.workstationId },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(new Error(`${member.workstationId} could not connect: ${error.message}`)));
  });
}

/** Pushes one event a second from one workstation until `stopAt`; resolves after the last acknowledgement. */
async function runWorkstation(socket: Socket, member: FleetMember, stopAt: number, samples: Sample[], tally: Tally): Promise<void> {
  let index = 0;
  let nextAt = performance.now() + Math.random() * 1000;
  while (nextAt < stopAt) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextAt - performance.now())));
    const event = fleetEvent(member, index);
    index += 1;
    const sentAt = performance.now();
    tally.sent += 1;
    let ack = pushAckSchema.parse(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(SOCKET_EVENTS.pushEvents, { events: [event] }));
    // A busy node is part of the latency: the event counts as acknowledged once it is stored.
    while (!ack.ok && ack.retryAfterMs !== undefined) {
      tally.busy += 1;
      const waitMs = ack.retryAfterMs;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      ack = pushAckSchema.parse(await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(SOCKET_EVENTS.pushEvents, { events: [event] }));
    }
    samples.push({ sentAt, latencyMs: performance.now() - sentAt });
    if (ack.ok && ack.results[0]?.status === 'stored') tally.stored += 1;
    else tally.other.push(ack.ok ? `${ack.results[0]?.status ?? 'missing'}: ${ack.results[0]?.error ?? ''}` : ack.error);
    nextAt += 1000;
  }
}

async function runFleet(backend: string, location: StoreLocation): Promise<void> {
  progress(`${backend}: seeding ${fleetSize} agents, sessions and workstations`);
  // One debtor per contact of the run, so that no person is contacted twice in the day (see `fleetEvent`).
  const debtorsPerAgent = Math.ceil((WARM_UP_MS + measuredMs) / 2000) + 1;
  const members = await seedFleet(location, fleetSize, debtorsPerAgent);
  const server = await startServerChild(location);
  const sockets: Socket[] = [];
  try {
    progress(`${backend}: connecting ${fleetSize} workstations`);
    for (const member of members) sockets.push(await connect(server.url, member));

    const started = performance.now();
    const measureFrom = started + WARM_UP_MS;
    const stopAt = measureFrom + measuredMs;
    const samples: Sample[] = [];
    const tally: Tally = { sent: 0, stored: 0, busy: 0, other: [] };
    let cpuAtStart = 0;
    let groupsAtStart: Promise<GroupCommitCount> = Promise.resolve({ groups: 0, events: 0, maxEvents: 0 });
    const cpuMark = setTimeout(() => {
      cpuAtStart = server.cpuSeconds();
      groupsAtStart = server.groupCommits();
    }, WARM_UP_MS);

    progress(`${backend}: pushing one event a second per workstation for ${WARM_UP_MS / 1000} s of warm-up and ${measuredMs / 1000} s measured`);
    await Promise.all(members.map((member, index) => runWorkstation(sockets[index]!, member, stopAt, samples, tally)));
    clearTimeout(cpuMark);
    const cpuPercent = ((server.cpuSeconds() - cpuAtStart) / (measuredMs / 1000)) * 100;
    const rssPeak = server.rssPeakMiB();
    const [groupsBefore, groupsAfter] = [await groupsAtStart, await server.groupCommits()];
    const meanGroupEvents = (groupsAfter.events - groupsBefore.events) / (groupsAfter.groups - groupsBefore.groups);

    if (tally.other.length > 0) throw new Error(`${tally.other.length} pushes were not stored, first: ${tally.other[0]}`);
    for (const socket of sockets) socket.close();
    await server.stop();
    const [row] = await bulkSelect<{ count: number | string }>(location, 'SELECT COUNT(*) AS count FROM events');
    if (Number(row!.count) !== tally.sent) throw new Error(`the server holds ${row!.count} events, but ${tally.sent} were sent`);

    const latencies = samples
      .filter((sample) => sample.sentAt >= measureFrom)
      .map((sample) => sample.latencyMs)
      .sort((a, b) => a - b);
    const [alarms] = await bulkSelect<{ count: number | string }>(location, 'SELECT COUNT(*) AS count FROM alarms');
    progress(`${backend}: ${latencies.length} pushes measured, ${tally.sent} events stored in all, ${alarms!.count} alarms raised by re-evaluation`);
    print(`fleet.ack-latency.p50.${backend}`, percentile(latencies, 0.5), 'ms');
    print(`fleet.ack-latency.p99.${backend}`, percentile(latencies, 0.99), 'ms');
    print(`fleet.server.cpu.${backend}`, cpuPercent, '% of one core');
    print(`fleet.server.rss-peak.${backend}`, rssPeak, 'MiB');
    print(`fleet.busy-acks.${backend}`, tally.busy, 'acknowledgements');
    print(`fleet.group-events.mean.${backend}`, meanGroupEvents, 'events per group commit');
    print(`fleet.group-events.max.${backend}`, groupsAfter.maxEvents, 'events per group commit');
  } finally {
    for (const socket of sockets) socket.close();
    await server.stop();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'gestiona-bench-fleet-'));
try {
  if (!values['skip-sqlite']) await withDatabase('sqlite', dir, (location) => runFleet('sqlite', location));
  if (!values['skip-postgres']) await withDatabase('postgres', dir, (location) => runFleet('postgres', location));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
