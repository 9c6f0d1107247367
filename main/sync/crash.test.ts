import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server/src/app.ts';
import { SettableClock } from '../clock.ts';
import { startLargeServer } from '../test-support/portfolio.ts';
import { AGENT_1 } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, withStore } from '../test-support/workstation.ts';

const CHILD = fileURLToPath(new URL('../test-support/typifying-workstation.ts', import.meta.url));
const WAIT = { timeout: 15_000, interval: 50 };
const ROUNDS = 6;

interface ChildRun {
  saved: Array<{ interactionId: string; debtorId: string }>;
  finished: boolean;
  stderr: string;
}

/**
 * Runs the typifying child and kills it with SIGKILL once it has reported `killAfterSaves` saves
 * and `extraDelayMs` more have passed, so the kill lands inside a later save or push.
 */
function runAndKill(dataDir: string, serverUrl: string, killAfterSaves: number, extraDelayMs: number): Promise<ChildRun> {
  const run: ChildRun = { saved: [], finished: false, stderr: '' };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, serverUrl], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GESTIONA_LOG_LEVEL: 'silent' },
  });
  let buffered = '';
  let killScheduled = false;
  const scheduleKill = () => {
    if (killScheduled) return;
    killScheduled = true;
    setTimeout(() => child.kill('SIGKILL'), extraDelayMs);
  };

  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const [word, interactionId, debtorId] = line.split(' ');
      if (word === 'saved' && interactionId && debtorId) run.saved.push({ interactionId, debtorId });
      if (word === 'done') run.finished = true;
    }
    if (run.saved.length >= killAfterSaves) scheduleKill();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    run.stderr += chunk.toString();
  });
  if (killAfterSaves === 0) {
    // Counts from spawn: the kill may land during start-up, login or the first pull.
    scheduleKill();
  }

  // A bound on the whole run, so a child stuck before its first save cannot hang the test.
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    child.on('exit', () => {
      clearTimeout(guard);
      resolve(run);
    });
  });
}

describe('workstation killed during save and push', () => {
  let root: string;
  let dataDir: string;
  let server: RunningServer;

  beforeEach(async () => {
    root = makeTempDir('gestiona-crash-');
    const serverDir = path.join(root, 'server');
    dataDir = path.join(root, 'workstation');
    mkdirSync(serverDir);
    server = await startLargeServer(serverDir, 120);
  });

  afterEach(async () => {
    await server?.close();
    removeDir(root);
  });

  /** Reopens the killed workstation's data dir, signs in and flushes what the child left queued. */
  async function reopenAndFlush() {
    const ws = await openWorkstation(dataDir, {
      serverUrl: server.url,
      clock: new SettableClock('2026-03-03T10:00:00-05:00'),
      secretStore: new MemorySecretStore(null),
    });
    const login = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
    expect(login.ok).toBe(true);
    await vi.waitFor(() => expect(ws.workstation.sync.status().connection).not.toBe('offline'), WAIT);
    await ws.workstation.sync.flushNow();
    return ws;
  }

  /** Counts the views of the agent's leased debtors that the server stored. */
  async function storedViews(): Promise<number> {
    const agent = await server.store.findUserByUsername(AGENT_1.username);
    let total = 0;
    for (const lease of await server.store.listActiveLeases(new Date('2026-03-03T15:00:00Z'), agent!.id)) {
      total += (await server.store.findDebtorViews({ debtorId: lease.debtorId })).length;
    }
    return total;
  }

  it('delivers every saved typification exactly once', async () => {
    // Kill points drawn once from a fixed seed: a failure replays with the same rounds.
    const kills = fc.sample(fc.record({ afterSaves: fc.integer({ min: 0, max: 3 }), delayMs: fc.integer({ min: 0, max: 60 }) }), {
      numRuns: ROUNDS,
      seed: 2300,
    });
    const reported: ChildRun['saved'] = [];
    let killedRounds = 0;

    for (const [round, kill] of kills.entries()) {
      const run = await runAndKill(dataDir, server.url, kill.afterSaves, kill.delayMs);
      expect(run.stderr, `round ${round}: child error output`).toBe('');
      reported.push(...run.saved);
      if (!run.finished) killedRounds += 1;

      const ws = await reopenAndFlush();
      try {
        expect(ws.workstation.sync.status().pending, `round ${round}: outbox after flush`).toBe(0);
      } finally {
        await ws.workstation.close();
      }

      for (const { interactionId, debtorId } of reported) {
        const onServer = (await server.store.findInteractions(debtorId)).filter((interaction) => interaction.interactionId === interactionId);
        expect(onServer, `round ${round}: interaction ${interactionId} of ${debtorId}`).toHaveLength(1);
      }

      // Typifications saved but not yet printed when the kill landed must also be on the server once.
      const local = withStore(dataDir, (store) => ({
        interactions: store.db.prepare('SELECT id, debtor_id AS debtorId FROM interactions').all() as Array<{ id: string; debtorId: string }>,
        decisions: (store.db.prepare('SELECT count(*) AS n FROM gate_decisions').get() as { n: number }).n,
        outbox: (store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n,
      }));
      expect(local.outbox, `round ${round}: outbox rows`).toBe(0);
      for (const { id, debtorId } of local.interactions) {
        const onServer = (await server.store.findInteractions(debtorId)).filter((interaction) => interaction.interactionId === id);
        expect(onServer, `round ${round}: local interaction ${id}`).toHaveLength(1);
      }
      // A view of a debtor's file leaves no local row once sent, so its count comes from the server, where
      // each view is stored under its own event id.
      const views = await storedViews();
      expect(await server.store.countEvents(), `round ${round}: events on the server`).toBe(local.decisions + local.interactions.length + views);
      expect(await server.store.countRejectedEvents(), `round ${round}: events rejected by the server`).toBe(0);
    }

    // The rounds must have typified something and been cut short, or the test proves nothing.
    expect(killedRounds).toBeGreaterThan(0);
    expect(reported.length).toBeGreaterThan(0);
    expect(new Set(reported.map((entry) => entry.interactionId)).size).toBe(reported.length);
  }, 120_000);
});
