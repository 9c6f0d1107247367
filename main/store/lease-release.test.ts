/**
 * The release acknowledgement a removal from the feed queues: its place in the outbox, and its
 * wait for an open wrap-up with the debtor. A real workstation dials and typifies.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DialResult } from '@gestiona/core/ipc';
import type { FeedEntry } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, TEST_AGENT, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';
import { applyFeedBatch } from './feed.ts';

const NOW = '2026-03-03T10:00:00-05:00';
const REMOVED_AT = '2026-03-03T10:05:00-05:00';

function removal(seq: number, debtorId: string, leaseId?: number): FeedEntry {
  return { seq, type: 'debtor.remove', payload: { debtorId, reason: 'reassigned', ...(leaseId === undefined ? {} : { leaseId }) } };
}

describe('release acknowledgement', () => {
  let dir: string;
  let opened: OpenedWorkstation;
  let clock: SettableClock;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1'), makeDebtor('d2')]);
    clock = new SettableClock(NOW);
    opened = await openWorkstation(dir, { clock, syncTuning: { reconnectionDelayMs: 60_000, reconnectionDelayMaxMs: 60_000 } });
  });

  afterEach(async () => {
    await opened.workstation.close();
    removeDir(dir);
  });

  const queued = () => withStore(dir, (store) => store.outbox.oldest(100, 'ws-test').events);
  const cursor = () => withStore(dir, (store) => store.meta.feedCursor());

  async function dial(debtorId: string): Promise<string> {
    const dialed = await opened.call<DialResult>('contact:dial', { debtorId, contactPointId: `${debtorId}-c1`, requestId: randomUUID() });
    if (!dialed.ok || dialed.value.outcome === 'blocked') throw new Error(`dial of ${debtorId} was not placed`);
    return dialed.value.wrapUp.attemptId;
  }

  async function saveWrapUp(attemptId: string): Promise<void> {
    const saved = await opened.call('wrapup:save', { attemptId, code: 'NC', fields: {}, note: null });
    if (!saved.ok) throw new Error(`save failed: ${saved.error.message}`);
  }

  it('follows the contacts with the debtor in the outbox', async () => {
    await saveWrapUp(await dial('d1'));
    withStore(dir, (store) => applyFeedBatch(store, [removal(cursor() + 1, 'd1', 41)], cursor() + 1, REMOVED_AT));

    const events = queued();
    expect(events.map((event) => event.type)).toEqual(['decision.recorded', 'interaction.recorded', 'lease.released']);
    const release = events.at(-1)!;
    expect(release).toMatchObject({ agentId: TEST_AGENT.id, occurredAt: REMOVED_AT });
    expect(release.payload).toEqual({ debtorId: 'd1', leaseId: 41, reason: 'reassigned', removedAt: REMOVED_AT });
    expect(withStore(dir, (store) => store.debtors.get('d1'))).toBeNull();
  });

  it('is not queued for a removal that names no lease', () => {
    withStore(dir, (store) => applyFeedBatch(store, [removal(cursor() + 1, 'd1')], cursor() + 1, REMOVED_AT));
    expect(queued()).toEqual([]);
    expect(withStore(dir, (store) => store.debtors.get('d1'))).toBeNull();
  });

  it('rolls back with a batch that fails', () => {
    const invalid = { seq: cursor() + 2, type: 'debtor.upsert', payload: { id: 'd3' } };
    expect(() => withStore(dir, (store) => applyFeedBatch(store, [removal(cursor() + 1, 'd1', 41), invalid], cursor() + 2, REMOVED_AT))).toThrow();
    expect(queued()).toEqual([]);
    expect(withStore(dir, (store) => store.debtors.get('d1'))).not.toBeNull();
  });

  it('waits for the open wrap-up with the debtor', async () => {
    const attemptId = await dial('d1');
    clock.advance(Date.parse(REMOVED_AT) - Date.parse(NOW));
    withStore(dir, (store) => applyFeedBatch(store, [removal(cursor() + 1, 'd1', 41), removal(cursor() + 2, 'd2', 42)], cursor() + 2, REMOVED_AT));

    // The other debtor's acknowledgement goes at once; this one waits behind the contact still being typified.
    expect(queued().map((event) => [event.type, event.payload.debtorId])).toEqual([
      ['decision.recorded', 'd1'],
      ['lease.released', 'd2'],
    ]);
    const kept = withStore(dir, (store) => store.debtors.get('d1'));
    expect(kept?.leaseUntil).toBe(REMOVED_AT);
    const view = await opened.call('debtor:open', { debtorId: 'd1' });
    expect(view.ok).toBe(true);

    await saveWrapUp(attemptId);
    const events = queued();
    expect(events.map((event) => [event.type, event.payload.debtorId])).toEqual([
      ['decision.recorded', 'd1'],
      ['lease.released', 'd2'],
      ['debtor.viewed', 'd1'],
      ['interaction.recorded', 'd1'],
      ['lease.released', 'd1'],
    ]);
    // The file was open only to finish the typification, so its view carries the wrap-up reason.
    expect(events[2]?.payload).toMatchObject({ reason: 'wrap-up' });
    expect(events.at(-1)?.payload).toMatchObject({ leaseId: 41, reason: 'reassigned' });

    // The worklist's purge removes the debtor now that nothing is open with it.
    const list = await opened.call<{ items: unknown[] }>('worklist:list', { offset: 0, limit: 50 });
    expect(list.ok).toBe(true);
    expect(withStore(dir, (store) => store.debtors.get('d1'))).toBeNull();
  });
});
