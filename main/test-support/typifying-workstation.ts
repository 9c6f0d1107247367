/**
 * A child process for crash tests: opens a workstation on a data dir against a running server,
 * signs in as agent 1, then dials and typifies every contactable debtor of the worklist. It prints
 * `saved <interactionId> <debtorId>` after each save returns, so a parent that kills it with
 * SIGKILL can list the typifications the agent saw as saved.
 *
 * Usage: typifying-workstation.ts <dataDir> <serverUrl>
 */
import { randomUUID } from 'node:crypto';
import { ipcContract, sessionStateSchema, type DialResult } from '@gestiona/core/ipc';
import { SettableClock } from '../clock.ts';
import { AGENT_1 } from './server.ts';
import { MemorySecretStore, openWorkstation, type OpenedWorkstation } from './workstation.ts';

const [dataDir, serverUrl] = process.argv.slice(2);
if (!dataDir || !serverUrl) {
  process.stderr.write('usage: typifying-workstation.ts <dataDir> <serverUrl>\n');
  process.exit(2);
}

const ws = await openWorkstation(dataDir, {
  serverUrl,
  clock: new SettableClock('2026-03-03T10:00:00-05:00'),
  secretStore: new MemorySecretStore(null),
});

const login = await ws.call('auth:login', { username: AGENT_1.username, password: AGENT_1.password });
if (!login.ok) fail(`login failed: ${login.error.message}`);
await waitOnline(ws);
await ws.workstation.sync.flushNow();

// A previous run killed between dial and save leaves a wrap-up that blocks every new dial.
const pending = sessionStateSchema.parse(login.value).wrapUp;
if (pending) await save(pending.attemptId, pending.debtorId);

for (;;) {
  const list = await ws.call('worklist:list', { offset: 0, limit: 200 });
  if (!list.ok) fail(`worklist failed: ${list.error.message}`);
  const item = ipcContract['worklist:list'].result.parse(list.value).items.find((candidate) => candidate.legalStatus === 'contactable');
  if (!item) break;

  const view = await ws.call<{ persons: Array<{ role: string; contactPoints: Array<{ id: string; dialable: boolean }> }> }>('debtor:open', {
    debtorId: item.debtorId,
  });
  if (!view.ok) fail(`debtor:open failed for ${item.debtorId}: ${view.error.message}`);
  const point = view.value.persons.find((person) => person.role === 'debtor')?.contactPoints.find((candidate) => candidate.dialable);
  if (!point) fail(`no dialable contact point for ${item.debtorId}`);

  const dialed = await ws.call<DialResult>('contact:dial', { debtorId: item.debtorId, contactPointId: point.id, requestId: randomUUID() });
  if (!dialed.ok || dialed.value.outcome === 'blocked') fail(`dial was not placed for ${item.debtorId}`);
  await save(dialed.value.wrapUp.attemptId, item.debtorId);
}

process.stdout.write('done\n');
await ws.workstation.close();

async function save(attemptId: string, debtorId: string): Promise<void> {
  const saved = await ws.call<{ interactionId: string }>('wrapup:save', { attemptId, code: 'NC', fields: {}, note: null });
  if (!saved.ok) fail(`save failed for ${debtorId}: ${saved.error.message}`);
  process.stdout.write(`saved ${saved.value.interactionId} ${debtorId}\n`);
}

async function waitOnline(target: OpenedWorkstation): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (target.workstation.sync.status().connection !== 'offline') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  fail('the workstation did not connect within 5 s');
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
