/**
 * The live board under a busy floor. `--agents` simulated workstations (500) each report a desk
 * state change once a second, and one team lead of all of them follows the board as the workstation
 * does. On every board hint the lead reads `GET /api/board` again, one read at a time and at most one
 * every 250 ms, as the renderer coalesces them. Printed as JSON lines:
 *
 *   {"bench":"board.hint-latency.p50.sqlite","value":N,"unit":"ms"}    agent's report sent → the lead's socket gets the hint naming the agent
 *   {"bench":"board.hint-latency.p99","value":N,"unit":"ms"}
 *   {"bench":"board.update-latency.p50","value":N,"unit":"ms"}  agent's report sent → a board read by the lead shows the new state
 *   {"bench":"board.update-latency.p99","value":N,"unit":"ms"}
 *   {"bench":"board.updates-missed","value":N,"unit":"reports"} reports still off the lead's board 2 s after the run, with no newer one of the agent on it
 *   {"bench":"board.reads-per-second","value":N,"unit":"reads/s"}
 *   {"bench":"board.read-time.p50","value":N,"unit":"ms"}       one `GET /api/board` of every agent
 *   {"bench":"board.server.cpu","value":N,"unit":"% of one core"}
 *   {"bench":"board.render.steady.frame-p50","value":N,"unit":"ms"}  the built renderer in Chromium, a board of 500 agents under a synthetic feed
 *   {"bench":"board.render.steady.frame-p95","value":N,"unit":"ms"}  (also -p99, -max, long-frames over 100 ms, reads-per-second)
 *   {"bench":"board.render.scrolling.frame-p95","value":N,"unit":"ms"} the same while the agents table scrolls
 *
 * The target is an update latency p99 under 1 s. The server runs in a child process on SQLite, as in
 * `bench-fleet.ts`; the workstations and the lead share this process, so both ends of a latency
 * sample read one clock. The renderer part serves `out/renderer` (build it first with
 * `npm run build:renderer`) with a stand-in for the workstation API that answers `board:get` with a
 * board of `--agents` rows, changing one row every 2 ms and pushing `board-changed` each time, and
 * measures the time between animation frames for `--render-seconds`.
 *
 *   npx tsx scripts/bench-board.ts [--agents N] [--seconds S] [--render-seconds S] [--skip-render]
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { BOARD_HINT_EVENT, boardSchema, type Board, type BoardAgent, type BoardGroupFigures } from '@gestiona/core/board';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import { CHROMIUM_ARGS, chromiumPath } from '../e2e/support/chromium.ts';
import { hashToken, newSessionToken } from '../server/src/auth/tokens.ts';
import { createLogger } from '../server/src/logger.ts';
import { openStore } from '../server/src/store/open-store.ts';
import { percentile, print, progressOf, seedFleet, startServerChild, T0, withDatabase, type FleetMember } from './fleet-support.ts';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    'render-seconds': { type: 'string', default: '10' },
    'skip-render': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    'skip-server': { type: 'boolean', default: false },
  },
});
const AGENTS = Number(values.agents);
const SECONDS = Number(values.seconds);
const RENDER_SECONDS = Number(values['render-seconds']);
const WARMUP_MS = 3_000;
/** The renderer's coalescing of board reads (`BOARD_MIN_REFRESH_MS`). */
const MIN_READ_INTERVAL_MS = 250;
const STATES = ['available', 'on-call', 'wrap-up'] as const;
const progress = progressOf('bench-board');
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface Sent {
  sentAt: number;
  measured: boolean;
}

async function seedLead(location: { dbPath?: string; databaseUrl?: string }, members: readonly FleetMember[]): Promise<{ token: string }> {
  const store = await openStore({ ...location, logger: createLogger({ level: 'silent' }) });
  try {
    await store.createTeam('Piso', T0);
    const lead = await store.createUser({ username: 'lider', fullName: 'Líder del piso', role: 'team-lead', password: 'clave-segura-1', team: 'Piso' }, T0);
    await store.addTeamLead('lider', 'Piso');
    for (let index = 0; index < members.length; index++) await store.assignAgentToTeam(`agente${index + 1}`, 'Piso');
    const token = newSessionToken();
    await store.createSession({ tokenHash: hashToken(token), userId: lead.id, workstationId: 'ws-lider', createdAt: T0, expiresAt: new Date(T0.getTime() + 86_400_000) });
    return { token };
  } finally {
    await store.close();
  }
}

function connect(url: string, token: string, workstationId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectSocket(url, { auth: { token, workstationId }, transports: ['websocket'], forceNew: true, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function measureServer(backend: 'sqlite' | 'postgres'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gestiona-bench-board-'));
  try {
    await withDatabase(backend, dir, async (location) => {
      progress(`${backend}: seeding ${AGENTS} agents`);
      const members = await seedFleet(location, AGENTS, 2);
      const lead = await seedLead(location, members);
      const server = await startServerChild(location);
      try {
        await runFloor(backend, server.url, members, lead.token, () => server.cpuSeconds());
      } finally {
        await server.stop();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runFloor(backend: string, url: string, members: readonly FleetMember[], leadToken: string, cpuSeconds: () => number): Promise<void> {
  progress('connecting');
  const agents: Socket[] = [];
  for (const member of members) agents.push(await connect(url, member.token, member.workstationId));
  const leadSocket = await connect(url, leadToken, 'ws-lider');

  /** Per agent, the reports in flight by their state start (epoch ms), which is unique per report. */
  const sent = new Map<string, Map<number, Sent>>(members.map((member) => [member.agentId, new Map()]));
  const hintLatencies: number[] = [];
  const updateLatencies: number[] = [];
  const readTimes: number[] = [];
  let measuring = false;
  let reads = 0;
  let missed = 0;
  let measureStart = Number.POSITIVE_INFINITY;

  // Hints: the first hint after a report that names its agent.
  leadSocket.on(BOARD_HINT_EVENT, (payload: { agentIds?: string[] }) => {
    const at = performance.now();
    for (const agentId of payload?.agentIds ?? []) {
      for (const entry of sent.get(agentId)?.values() ?? []) {
        if (entry.measured || !measuring) continue;
        hintLatencies.push(at - entry.sentAt);
        entry.measured = true;
      }
    }
    requestRead();
  });

  // Reads, coalesced as the renderer does.
  let inFlight = false;
  let refreshRequested = false;
  let lastStart = 0;
  let timer: NodeJS.Timeout | null = null;
  const requestRead = (): void => {
    refreshRequested = true;
    if (inFlight || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      refreshRequested = false;
      void read();
    }, Math.max(0, lastStart + MIN_READ_INTERVAL_MS - performance.now()));
  };
  const read = async (): Promise<void> => {
    inFlight = true;
    lastStart = performance.now();
    const response = await fetch(`${url}/api/board`, { headers: { authorization: `Bearer ${leadToken}` } });
    const board = (await response.json()) as Board;
    const at = performance.now();
    inFlight = false;
    if (measuring) {
      reads += 1;
      readTimes.push(at - lastStart);
    }
    for (const row of board.agents) {
      const inFlightReports = sent.get(row.agentId);
      if (!inFlightReports || row.stateSince === null) continue;
      const since = Date.parse(row.stateSince);
      const entry = inFlightReports.get(since);
      if (!entry) continue;
      if (measuring && entry.sentAt >= measureStart) updateLatencies.push(at - entry.sentAt);
      // This report and the ones before it of the same agent are settled: later reads show newer ones.
      for (const key of inFlightReports.keys()) if (key >= since) inFlightReports.delete(key);
    }
    if (refreshRequested) requestRead();
  };

  progress(`${AGENTS} agents reporting once a second for ${WARMUP_MS / 1000} + ${SECONDS} s`);
  const started = performance.now();
  let sequence = 0;
  const tick = setInterval(() => {
    // Spread over the second: each tick of 10 ms sends the reports of 1/100 of the agents.
    const slot = Math.floor((performance.now() - started) / 10) % 100;
    for (let index = slot; index < agents.length; index += 100) {
      const member = members[index]!;
      sequence += 1;
      // A state start before the server's fixed clock, unique per report, so the board's row names the report it shows.
      const since = T0.getTime() - sequence * 1000;
      sent.get(member.agentId)!.set(since, { sentAt: performance.now(), measured: false });
      agents[index]!.emit(SOCKET_EVENTS.reportState, { agentState: STATES[sequence % STATES.length], agentStateSince: new Date(since).toISOString(), pending: 0 });
    }
  }, 10);

  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  hintLatencies.length = 0;
  updateLatencies.length = 0;
  measuring = true;
  const cpuStart = cpuSeconds();
  measureStart = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  measuring = false;
  const elapsed = (performance.now() - measureStart) / 1000;
  const cpu = cpuSeconds() - cpuStart;
  clearInterval(tick);
  // A report older than 2 s still unsettled was never on the board, and neither was a newer one of its agent.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  if (timer !== null) clearTimeout(timer);
  const cutoff = performance.now() - 2_000;
  for (const reports of sent.values()) for (const entry of reports.values()) if (entry.sentAt < cutoff && entry.sentAt >= measureStart) missed += 1;

  for (const socket of [...agents, leadSocket]) socket.close();

  const hints = [...hintLatencies].sort((a, b) => a - b);
  const updates = [...updateLatencies].sort((a, b) => a - b);
  const readSorted = [...readTimes].sort((a, b) => a - b);
  print(`board.hint-latency.p50.${backend}`, percentile(hints, 0.5), 'ms');
  print(`board.hint-latency.p99.${backend}`, percentile(hints, 0.99), 'ms');
  print(`board.update-latency.p50.${backend}`, percentile(updates, 0.5), 'ms');
  print(`board.update-latency.p99.${backend}`, percentile(updates, 0.99), 'ms');
  print(`board.updates-missed.${backend}`, missed, 'reports');
  print(`board.reads-per-second.${backend}`, reads / elapsed, 'reads/s');
  print(`board.read-time.p50.${backend}`, percentile(readSorted, 0.5), 'ms');
  print(`board.server.cpu.${backend}`, (cpu / elapsed) * 100, '% of one core');
}

// The renderer under a synthetic feed.

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

function serveRenderer(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function figures(key: string, label: string): BoardGroupFigures {
  return { key, label, agents: AGENTS, debtorsPending: 800, debtorsWorked: 200, interactions: 900, rightPartyContacts: 300, promises: 40, promisedCents: 120_000_000, avgHandleSeconds: 210, avgWrapUpSeconds: 45, untypified: 12, budgetUsedDebtors: 180, promisesDue: 30, promisesDueCents: 60_000_000, promisesBroken: 4, promisesBrokenCents: 9_000_000 };
}

function syntheticBoard(): Board {
  const agents: BoardAgent[] = Array.from({ length: AGENTS }, (_, index) => ({
    agentId: `agent-${index}`,
    username: `agente${index + 1}`,
    fullName: `Agente de prueba ${String(index + 1).padStart(3, '0')}`,
    state: 'available',
    stateSince: '2026-12-07T07:30:00-05:00',
    workstationId: `ws-${index}`,
    pauseReason: null,
    leasedDebtors: 10,
    debtorsWorked: index % 7,
    interactions: index % 11,
    rightPartyContacts: index % 3,
    promises: index % 2,
    promisedCents: (index % 2) * 5_000_000,
    decisions: index % 13,
    blockedDecisions: index % 5 === 0 ? 1 : 0,
    debtorsPending: 10 - (index % 7),
    avgHandleSeconds: 180 + (index % 60),
    avgWrapUpSeconds: 30 + (index % 20),
    untypified: index % 4 === 0 ? 1 : 0,
    budgetUsedDebtors: index % 7,
    promisesDue: index % 3,
    promisesDueCents: (index % 3) * 2_000_000,
    promisesBroken: index % 9 === 0 ? 1 : 0,
    promisesBrokenCents: index % 9 === 0 ? 3_000_000 : 0,
  }));
  const board: Board = {
    date: '2026-12-07',
    generatedAt: '2026-12-07T10:00:00-05:00',
    agents,
    workstations: [],
    compliance: { decisions: 0, blockedDecisions: 0, blockedByRule: [] },
    alarms: { open: [], openTotal: 0, lastSevenDays: [] },
    figures: { total: figures('all', 'Todos'), teams: [figures('piso', 'Piso')], queues: [] },
  };
  return boardSchema.parse(board);
}

/**
 * Returns the stand-in for `window.gestiona`, run in the page before the renderer: a team lead
 * signed in, and a feed of 500 changes a second. It is plain JavaScript text, because a compiled
 * function would carry the compiler's helpers, which the page does not have.
 */
function fakeApiScript(board: Board, session: unknown): string {
  return `(() => {
  const listeners = new Set();
  const states = ['available', 'on-call', 'wrap-up', 'paused'];
  let current = ${JSON.stringify(board)};
  const session = ${JSON.stringify(session)};
  let change = 0;
  const stats = { reads: 0, frames: [], measuring: false };
  window.benchStats = stats;

  setInterval(() => {
    change += 1;
    const index = change % current.agents.length;
    const agents = current.agents.slice();
    const state = states[change % states.length];
    agents[index] = { ...agents[index], state, stateSince: new Date(Date.UTC(2026, 11, 7, 15, 0, 0) - (change % 3600) * 1000).toISOString(),
      pauseReason: state === 'paused' ? 'Almuerzo' : null, interactions: agents[index].interactions + 1 };
    current = { ...current, agents };
    for (const listener of listeners) listener({ type: 'board-changed' });
  }, 2);

  let last = 0;
  const frame = (at) => {
    if (stats.measuring && last > 0) stats.frames.push(at - last);
    last = at;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);

  const points = Array.from({ length: 15 }, (_, hour) => ({ key: String(hour + 6).padStart(2, '0'), label: String(hour + 6).padStart(2, '0') + ':00', contacts: hour * 10, rightPartyContacts: hour * 3, promises: hour }));
  const answers = {
    'session:get': () => session,
    'board:get': () => { stats.reads += 1; return current; },
    'board:trends': () => ({ range: 'today', date: '2026-12-07', points }),
  };
  window.gestiona = new Proxy({}, {
    get(_target, channel) {
      if (channel === 'onPush') return (listener) => { listeners.add(listener); return () => listeners.delete(listener); };
      const answer = answers[channel];
      return async () => answer ? { ok: true, value: structuredClone(answer()) } : { ok: false, error: { code: 'internal', message: 'No disponible en la prueba de rendimiento.' } };
    },
  });
})();`;
}

async function measureRenderer(): Promise<void> {
  const rendererDir = join(repoRoot, 'out/renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('out/renderer is missing: run `npm run build:renderer` first');
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is missing. Install it with: sudo apt-get install chromium');

  const server = await serveRenderer(rendererDir);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO', timezoneId: 'America/Bogota' });
    const session = {
      revision: { boot: 'bench', seq: 1 },
      user: { id: 'lead-1', username: 'lider', fullName: 'Líder del piso', role: 'team-lead' },
      workstationId: 'ws-lider',
      serverUrl: 'http://127.0.0.1:4780',
      wrapUp: null,
      sync: { connection: 'online', pending: 0, oldestPendingAt: null, lastSyncAt: null, lastError: null },
      now: '2026-12-07T10:00:00-05:00',
      dialerAdapter: 'manual',
    };
    await page.addInitScript(fakeApiScript(syntheticBoard(), session));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    try {
      await page.getByTestId('board-agent-row').first().waitFor({ state: 'visible', timeout: 20_000 });
    } catch (error) {
      await page.screenshot({ path: join(tmpdir(), 'bench-board-render.png') });
      progress(`renderer: no agent row; the page says: ${(await page.locator('body').innerText()).slice(0, 300)}`);
      throw error;
    }
    const rendered = await page.getByTestId('board-agent-row').count();
    progress(`renderer: ${rendered} of ${AGENTS} agent rows in the page (virtualised); measuring ${RENDER_SECONDS} s`);

    // First the feed alone, then the feed while the team lead scrolls the table looking for an agent.
    for (const phase of ['steady', 'scrolling'] as const) {
      await page.evaluate(() => {
        const stats = (window as unknown as { benchStats: { reads: number; frames: number[]; measuring: boolean } }).benchStats;
        stats.reads = 0;
        stats.frames.length = 0;
        stats.measuring = true;
      });
      const phaseStart = Date.now();
      while (Date.now() - phaseStart < RENDER_SECONDS * 1000) {
        if (phase === 'scrolling') await page.getByTestId('board-agents').evaluate((element) => element.scrollBy(0, 120));
        await page.waitForTimeout(100);
      }
      const stats = await page.evaluate(() => {
        const data = (window as unknown as { benchStats: { reads: number; frames: number[]; measuring: boolean } }).benchStats;
        data.measuring = false;
        return { reads: data.reads, frames: data.frames };
      });
      const frames = [...stats.frames].sort((a, b) => a - b);
      print(`board.render.${phase}.frame-p50`, percentile(frames, 0.5), 'ms');
      print(`board.render.${phase}.frame-p95`, percentile(frames, 0.95), 'ms');
      print(`board.render.${phase}.frame-p99`, percentile(frames, 0.99), 'ms');
      print(`board.render.${phase}.frame-max`, frames.at(-1) ?? Number.NaN, 'ms');
      print(`board.render.${phase}.long-frames`, frames.filter((ms) => ms > 100).length, 'frames over 100 ms');
      print(`board.render.${phase}.reads-per-second`, stats.reads / RENDER_SECONDS, 'reads/s');
    }
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

if (!values['skip-server']) await measureServer('sqlite');
if (!values['skip-server'] && !values['skip-postgres']) await measureServer('postgres');
if (!values['skip-render']) await measureRenderer();
