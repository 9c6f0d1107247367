/**
 * Shared parts of the fleet benchmarks (`bench-fleet.ts`, `bench-storm.ts`): the seeded database
 * with one agent, session and workstation per simulated workstation, the server child process and
 * its CPU and memory read from /proc, and the event builders.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ContactEvent } from '@gestiona/core/sync';
import { hashPassword } from '../server/src/auth/password.ts';
import { hashToken, newSessionToken } from '../server/src/auth/tokens.ts';
import { decisionEvent, interactionEvent } from '../server/src/fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../server/src/fixtures/portfolio.ts';
import { createLogger } from '../server/src/logger.ts';
import { openStore, type StoreLocation } from '../server/src/store/open-store.ts';

/** Monday 7 December 2026, 08:00 in Bogotá: the server's fixed clock, and the first contact's instant. */
export const T0 = new Date('2026-12-07T08:00:00-05:00');
/**
 * The servers' clock: 12:00 that Monday, after every contact the benches send (one a minute from
 * 08:00, fewer than 240 per workstation). The server raises a clock alarm for a contact dated more
 * than 5 minutes after it received it, and that alarm is no work a real shift makes.
 */
export const SERVER_NOW = new Date(T0.getTime() + 4 * 60 * 60 * 1000);

const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export const postgresServerUrl = process.env.GESTIONA_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function print(bench: string, value: number, unit: string): void {
  process.stdout.write(`${JSON.stringify({ bench, value: Number(value.toFixed(2)), unit })}\n`);
}

export function progressOf(name: string): (message: string) => void {
  return (message) => process.stderr.write(`${name}: ${message}\n`);
}

/** One simulated workstation: its agent, login token and the debtors leased to that agent. */
export interface FleetMember {
  agentId: string;
  workstationId: string;
  token: string;
  debtorIds: string[];
}

/**
 * Creates `size` agents with one live session each and leases every agent `debtorsPerAgent`
 * debtors. Users are written with SQL in bulk, because `createUser` hashes each password with
 * scrypt (about 0.1 s each), and sessions go straight to the store, because the login route
 * accepts 60 logins a minute per address.
 */
export async function seedFleet(location: StoreLocation, size: number, debtorsPerAgent: number): Promise<FleetMember[]> {
  const logger = createLogger({ level: 'silent' });
  const store = await openStore({ ...location, logger });
  const members: FleetMember[] = [];
  try {
    const passwordHash = await hashPassword('clave-segura-1');
    const users = Array.from({ length: size }, (_, index) => ({ id: randomUUID(), username: `agente${index + 1}` }));
    await bulkInsert(
      location,
      'INSERT INTO users (id, username, full_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      users.map((user, index) => [user.id, user.username, `Agente de prueba ${index + 1}`, 'agent', passwordHash, T0.toISOString()]),
    );

    const rows = Array.from({ length: size * debtorsPerAgent }, (_, index) =>
      portfolioRow({ numero_documento: String(40_000_000 + index), numero_obligacion: `OB-${index}` }),
    );
    await store.importPortfolio({ fileName: 'fleet.csv', bytes: utf8(portfolioCsv(rows)), now: T0 });
    await store.leaseUnassigned(T0);

    const leases = await bulkSelect<{ debtor_id: string; agent_id: string }>(location, 'SELECT debtor_id, agent_id FROM leases WHERE released_at IS NULL');
    const debtorsOf = new Map<string, string[]>();
    for (const lease of leases) debtorsOf.set(lease.agent_id, [...(debtorsOf.get(lease.agent_id) ?? []), lease.debtor_id]);

    for (const [index, user] of users.entries()) {
      const token = newSessionToken();
      const workstationId = `ws-${String(index + 1).padStart(4, '0')}`;
      await store.createSession({ tokenHash: hashToken(token), userId: user.id, workstationId, createdAt: T0, expiresAt: new Date(T0.getTime() + SESSION_LIFETIME_MS) });
      const debtorIds = debtorsOf.get(user.id) ?? [];
      if (debtorIds.length === 0) throw new Error(`agent ${user.username} got no lease; the seed expects ${debtorsPerAgent} per agent`);
      members.push({ agentId: user.id, workstationId, token, debtorIds });
    }
  } finally {
    await store.close();
  }
  return members;
}

async function bulkInsert(location: StoreLocation, sql: string, rows: ReadonlyArray<ReadonlyArray<string | number>>): Promise<void> {
  if (location.dbPath !== undefined) {
    const db = new Database(location.dbPath);
    try {
      const insert = db.prepare(sql);
      db.transaction(() => {
        for (const row of rows) insert.run(...row);
      })();
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  try {
    let index = 0;
    const numbered = sql.replace(/\?/g, () => `$${(index += 1)}`);
    await client.query('BEGIN');
    for (const row of rows) await client.query({ name: 'fleet_seed', text: numbered, values: [...row] });
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}

export async function bulkSelect<Row>(location: StoreLocation, sql: string): Promise<Row[]> {
  if (location.dbPath !== undefined) {
    const db = new Database(location.dbPath, { readonly: true });
    try {
      return db.prepare(sql).all() as Row[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: location.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

/**
 * Builds a workstation's `index`-th event: a gate decision or its typified contact, in turns, one
 * contact a minute from 08:00 on a Monday, on the agent's debtors in turn. With as many debtors as
 * contacts, no person is contacted twice that day, so the server's re-evaluation raises no alarm.
 */
export function fleetEvent(member: FleetMember, index: number): ContactEvent {
  const contact = Math.floor(index / 2);
  const debtorId = member.debtorIds[contact % member.debtorIds.length]!;
  const at = new Date(T0.getTime() + (contact + 1) * 60_000).toISOString();
  const target = { agentId: member.agentId, workstationId: member.workstationId, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, at, seq: index + 1 };
  return index % 2 === 0 ? decisionEvent(target) : interactionEvent(target);
}

export interface GroupCommitCount {
  groups: number;
  events: number;
  /** Events of the largest group since the previous request. */
  maxEvents: number;
}

/** The server in a child process, with its CPU time and peak memory read from /proc. */
export interface ServerChild {
  url: string;
  pid: number;
  /** CPU seconds (user + system) the process has used so far. */
  cpuSeconds(): number;
  /** Peak resident set size of the process so far, in MiB (`VmHWM`). */
  rssPeakMiB(): number;
  /** The server's event-loop delay since the previous call (or the start), in ms. */
  loopDelay(): Promise<{ p99Ms: number; maxMs: number }>;
  /** Group commits (transactions of the group committer) and the events in them since the server started, with the largest group since the previous call. */
  groupCommits(): Promise<GroupCommitCount>;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** Starts the server on `port` (0 picks a free one; a restart passes the port of the server it replaces). */
export async function startServerChild(location: StoreLocation, port = 0): Promise<ServerChild> {
  const entry = fileURLToPath(new URL('./fleet-server.ts', import.meta.url));
  const args = location.dbPath !== undefined ? ['--db', location.dbPath] : ['--database-url', location.databaseUrl!];
  // The child's stdout (its pino log) goes to this process's stderr, so that stdout keeps only the JSON figures.
  // GESTIONA_BENCH_CPU_PROF=DIR writes a V8 CPU profile of each server process to DIR when it stops.
  const profileDir = process.env.GESTIONA_BENCH_CPU_PROF;
  const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])];
  const child = fork(entry, [...args, '--now', SERVER_NOW.toISOString(), '--port', String(port)], { execArgv, stdio: ['ignore', process.stderr, 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'listening' && typeof message.url === 'string') resolve(message.url);
      else reject(new Error(`fleet server sent an unexpected message: ${JSON.stringify(message)}`));
    });
    child.once('exit', (code, signal) => reject(new Error(`fleet server exited before listening (code ${code}, signal ${signal})`)));
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    cpuSeconds: () => readCpuSeconds(pid),
    rssPeakMiB: () => readStatusKiB(pid, 'VmHWM') / 1024,
    loopDelay: () =>
      new Promise((resolve) => {
        const onMessage = (message: { type?: string; p99Ms?: number; maxMs?: number }) => {
          if (message.type !== 'loop-delay') return;
          child.off('message', onMessage);
          resolve({ p99Ms: message.p99Ms ?? Number.NaN, maxMs: message.maxMs ?? Number.NaN });
        };
        child.on('message', onMessage);
        child.send({ type: 'loop-delay' });
      }),
    groupCommits: () =>
      new Promise((resolve) => {
        const onMessage = (message: { type?: string; groups?: number; events?: number; maxEvents?: number }) => {
          if (message.type !== 'group-commits') return;
          child.off('message', onMessage);
          resolve({ groups: message.groups ?? Number.NaN, events: message.events ?? Number.NaN, maxEvents: message.maxEvents ?? Number.NaN });
        };
        child.on('message', onMessage);
        child.send({ type: 'group-commits' });
      }),
    stop: () => stopChild(child),
  };
}

function readCpuSeconds(pid: number): number {
  // Fields after the command name, which is in parentheses and may contain spaces: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function readStatusKiB(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`/proc/${pid}/status has no ${field} line`);
  return Number(match[1]);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs `work` on a new SQLite file or PostgreSQL database, which is removed afterwards. */
export async function withDatabase<T>(backend: 'sqlite' | 'postgres', dir: string, work: (location: StoreLocation) => Promise<T>): Promise<T> {
  if (backend === 'sqlite') return work({ dbPath: `${dir}/server.sqlite` });

  const admin = new pg.Client({ connectionString: postgresServerUrl, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL at ${postgresServerUrl} is unreachable (${error instanceof Error ? error.message : String(error)}); set GESTIONA_BENCH_PG_URL or pass --skip-postgres`);
  }
  const name = `gestiona_bench_${randomBytes(6).toString('hex')}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(postgresServerUrl);
    url.pathname = `/${name}`;
    return await work({ databaseUrl: url.toString() });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** The value below which `fraction` of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank]!;
}
