/**
 * A server process killed inside a group's transaction leaves nothing of the group stored, and the
 * workstations' resends then store every event once.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent, User } from '@gestiona/core/sync';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { decisionEvent, interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import type { StoreLocation } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';
import { GroupCommitter } from './group-commit.ts';

const NOW = new Date('2026-12-07T10:00:00-05:00');
const DEBTORS = ['CC-54000001', 'CC-54000002', 'CC-54000003'];
const CHILD = fileURLToPath(new URL('./group-commit-crash-child.ts', import.meta.url));

function runChild(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, output }));
  });
}

describe.each(BACKEND_NAMES)('a crash inside a group on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const dir = tempDir();
  let location: StoreLocation;
  let store: ServerStore;
  let agent: User;

  beforeAll(async () => {
    location = await backend.createDatabase();
    store = await backend.openStore(location);
    agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, NOW);
    const rows = DEBTORS.map((id, index) => portfolioRow({ numero_documento: id.slice(3), numero_obligacion: `OB-${index}` }));
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
    await store.leaseUnassigned(NOW);
    await store.close();
  });

  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('stores nothing of a killed group', { timeout: 60_000 }, async () => {
    // Three workstations, three events each (decision, contact, decision), in one group of nine.
    const batches = ['ws-1', 'ws-2', 'ws-3'].map((workstationId, index) => {
      const debtorId = DEBTORS[index]!;
      const target = (seq: number) => ({ agentId: agent.id, workstationId, debtorId, personId: debtorId, contactPointId: `${debtorId}/celular`, seq, at: NOW.toISOString() });
      const events: SyncEvent[] = [decisionEvent(target(1)), interactionEvent(target(2)), decisionEvent(target(3))];
      return { workstationId, agentId: agent.id, events };
    });
    const eventsFile = `${dir.path}/events-${backendName}.json`;
    writeFileSync(eventsFile, JSON.stringify(batches));
    const locationArgs = location.dbPath === undefined ? ['--database-url', location.databaseUrl!] : ['--db', location.dbPath];

    // Killed before the sixth insert: five events of the group, across two workstations, are written but not committed.
    const crashed = await runChild([...locationArgs, '--events', eventsFile, '--crash-after', '5']);
    expect({ signal: crashed.signal, output: crashed.output }).toEqual({ signal: 'SIGKILL', output: '' });

    store = await backend.openStore(location);
    expect(await store.countEvents()).toBe(0);
    for (const debtorId of DEBTORS) {
      expect(await store.findDecisions(debtorId)).toEqual([]);
      expect(await store.findInteractions(debtorId)).toEqual([]);
      expect(await store.findLedger(debtorId)).toEqual([]);
    }

    // The workstations got no acknowledgement, so they send the same batches again after the restart.
    const committer = new GroupCommitter(store, createLogger({ level: 'silent' }), { windowMs: 20, maxGroupEvents: 1_000 });
    const results = await Promise.all(
      batches.map((batch) =>
        committer.submit(
          batch.workstationId,
          batch.events.map((event) => ({ event, context: { agentId: agent.id, workstationId: batch.workstationId, receivedAt: NOW } })),
        ),
      ),
    );
    expect(results.flat().map((outcome) => outcome.status)).toEqual(Array(9).fill('stored'));
    expect(await store.countEvents()).toBe(9);
    expect((await store.findLedger(DEBTORS[0]!)).length).toBe(1);
  });
});
