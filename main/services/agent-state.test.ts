import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentStatusSchema, type AgentStatus } from '@gestiona/core/agent-state';
import { dialResultSchema } from '@gestiona/core/ipc';
import type { Result } from '@gestiona/core/result';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const TUESDAY = '2026-03-03';
const at = (time: string): string => `${TUESDAY}T${time}-05:00`;

function requestId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function countRows(dataDir: string, table: string): number {
  return withStore(dataDir, (store) => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
}

describe('agent desk state', () => {
  let dir: string;
  let clock: SettableClock;
  let ws: OpenedWorkstation;
  let attemptId: string | null;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1')]);
    clock = new SettableClock(at('10:00:00'));
    ws = await openWorkstation(dir, { clock });
    attemptId = null;
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  function status(result: Result<unknown>): AgentStatus {
    if (!result.ok) throw new Error(`expected a status, got ${result.error.code}: ${result.error.message}`);
    return agentStatusSchema.parse(result.value);
  }

  type Step =
    | { action: 'pause'; reason: 'Almuerzo' | 'Baño' }
    | { action: 'resume' | 'call-ended' | 'typify' | 'status' }
    | { action: 'dial'; id: number };

  /** Runs one step at `time` and returns the status after it, or the error code it was rejected with. */
  async function run(step: Step, time: string): Promise<AgentStatus | string> {
    clock.set(at(time));
    let result: Result<unknown>;
    switch (step.action) {
      case 'pause':
        result = await ws.call('agent:pause', { reason: step.reason });
        break;
      case 'resume':
        result = await ws.call('agent:resume', {});
        break;
      case 'call-ended':
        result = await ws.call('agent:call-ended', { attemptId });
        break;
      case 'typify':
        result = await ws.call('wrapup:save', { attemptId, code: 'NC', fields: {}, note: null });
        break;
      case 'dial': {
        const dialed = await ws.call('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: requestId(step.id) });
        if (dialed.ok) {
          const parsed = dialResultSchema.parse(dialed.value);
          if (parsed.outcome !== 'blocked') attemptId = parsed.wrapUp.attemptId;
        }
        result = dialed;
        break;
      }
      case 'status':
        result = { ok: true, value: null };
        break;
    }
    if (!result.ok) return result.error.code;
    return status(await ws.call('agent:status', {}));
  }

  it('moves through pause, call, wrap-up and availability', async () => {
    const steps: { step: Step; time: string; expected: AgentStatus | string }[] = [
      { step: { action: 'status' }, time: '09:59:00', expected: { state: 'available', since: null, pauseReason: null } },
      { step: { action: 'pause', reason: 'Almuerzo' }, time: '10:00:00', expected: { state: 'paused', since: at('10:00:00'), pauseReason: 'Almuerzo' } },
      { step: { action: 'pause', reason: 'Baño' }, time: '10:05:00', expected: 'conflict' },
      { step: { action: 'dial', id: 1 }, time: '10:10:00', expected: 'conflict' },
      { step: { action: 'resume' }, time: '10:20:00', expected: { state: 'available', since: at('10:20:00'), pauseReason: null } },
      { step: { action: 'resume' }, time: '10:21:00', expected: { state: 'available', since: at('10:20:00'), pauseReason: null } },
      { step: { action: 'dial', id: 2 }, time: '10:30:00', expected: { state: 'on-call', since: at('10:30:00'), pauseReason: null } },
      { step: { action: 'pause', reason: 'Baño' }, time: '10:31:00', expected: 'wrap-up-pending' },
      { step: { action: 'call-ended' }, time: '10:33:00', expected: { state: 'wrap-up', since: at('10:33:00'), pauseReason: null } },
      { step: { action: 'call-ended' }, time: '10:35:00', expected: { state: 'wrap-up', since: at('10:33:00'), pauseReason: null } },
      { step: { action: 'typify' }, time: '10:36:00', expected: { state: 'available', since: at('10:36:00'), pauseReason: null } },
      { step: { action: 'call-ended' }, time: '10:37:00', expected: 'not-found' },
    ];

    for (const [index, { step, time, expected }] of steps.entries()) {
      expect(await run(step, time), `step ${index + 1}: ${step.action} at ${time}`).toEqual(expected);
    }
  });

  it('refuses a dial while paused and records no decision', async () => {
    await run({ action: 'pause', reason: 'Almuerzo' }, '10:00:00');

    const result = await ws.call('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: requestId(1) });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('conflict');
    expect(result.error.message).toBe('Está en pausa (Almuerzo) desde el 03/03/2026 10:00. Reanude su disponibilidad antes de marcar.');
    expect(ws.dialed).toEqual([]);
    expect(countRows(dir, 'gate_decisions')).toBe(0);
    expect(countRows(dir, 'attempts')).toBe(0);
  });

  it('keeps the pause across a restart', async () => {
    await run({ action: 'pause', reason: 'Baño' }, '10:00:00');
    await ws.workstation.close();

    ws = await openWorkstation(dir, { clock });

    expect(status(await ws.call('agent:status', {}))).toEqual({ state: 'paused', since: at('10:00:00'), pauseReason: 'Baño' });
    const dialed = await ws.call('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: requestId(1) });
    expect(dialed.ok).toBe(false);
  });

  it('keeps the call state across a restart', async () => {
    await run({ action: 'dial', id: 1 }, '10:00:00');
    await run({ action: 'call-ended' }, '10:02:00');
    await ws.workstation.close();

    ws = await openWorkstation(dir, { clock });

    expect(status(await ws.call('agent:status', {}))).toEqual({ state: 'wrap-up', since: at('10:02:00'), pauseReason: null });
  });

  it('ignores the pause of another user', async () => {
    await run({ action: 'pause', reason: 'Almuerzo' }, '10:00:00');
    await ws.workstation.close();
    withStore(dir, (store) => store.meta.setAgent({ id: 'agent-2', username: 'agente2', fullName: 'Pedro Ruiz', role: 'agent' }));

    ws = await openWorkstation(dir, { clock });

    expect(status(await ws.call('agent:status', {}))).toEqual({ state: 'available', since: null, pauseReason: null });
  });

  it('rejects a call end for another attempt', async () => {
    await run({ action: 'dial', id: 1 }, '10:00:00');

    const result = await ws.call('agent:call-ended', { attemptId: '00000000-0000-4000-8000-999999999999' });

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('conflict');
  });

  it('rejects a pause reason outside the list', async () => {
    const result = await ws.call('agent:pause', { reason: 'Siesta' });

    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-input');
  });
});
