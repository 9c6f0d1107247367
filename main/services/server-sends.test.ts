import { afterEach, describe, expect, it } from 'vitest';
import { dialResultSchema, type DialResult } from '@gestiona/core/ipc';
import type { ComplianceChannel } from '@gestiona/core/domain';
import type { FeedEntry } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

/** Tuesday 3 March 2026, 10:00 in Bogotá: a working day inside the legal hours. */
const TUESDAY_10 = '2026-03-03T10:00:00-05:00';

let dir: string;
let ws: OpenedWorkstation | null = null;

afterEach(async () => {
  await ws?.workstation.close();
  ws = null;
  removeDir(dir);
});

/** Builds the feed entry of a contact of the server's channel dispatcher with the debtor's titular. */
function serverSend(channel: ComplianceChannel, at: string): FeedEntry {
  return {
    seq: 10,
    type: 'ledger.add',
    payload: { id: `channel-send:${channel}-1`, debtorId: 'd1', personId: 'd1-p1', channel, kind: 'attempt', at, activity: { activityId: `aviso-${channel}`, occurrenceDate: at.slice(0, 10) } },
  };
}

async function dialAfter(entry: FeedEntry, now: string): Promise<DialResult> {
  dir = makeTempDir();
  seedDataDir(dir, [makeDebtor('d1')]);
  withStore(dir, (store) => applyFeedBatch(store, [entry], 10));
  ws = await openWorkstation(dir, { clock: new SettableClock(now) });
  const result = await ws.call('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: '00000000-0000-4000-8000-000000000001' });
  if (!result.ok) throw new Error(`dial failed: ${result.error.code} ${result.error.message}`);
  return dialResultSchema.parse(result.value);
}

describe('server letters and visits at the desk', () => {
  it.each([
    { channel: 'letter', r5: 'Ya se contactó a esta persona hoy por carta (R5).', r6: /contacto por carta del 03\/03\/2026/ },
    { channel: 'visit', r5: 'Ya se contactó a esta persona hoy con una visita (R5).', r6: /contacto por visita del 03\/03\/2026/ },
  ] as const)('a $channel sent today blocks a call today', async ({ channel, r5, r6 }) => {
    const result = await dialAfter(serverSend(channel, '2026-03-03T08:00:00-05:00'), TUESDAY_10);

    expect(result.outcome).toBe('blocked');
    expect(result.decision.rules).toEqual(['R5', 'R6']);
    expect(result.decision.reasons[0]?.message).toBe(r5);
    expect(result.decision.reasons[1]?.message).toMatch(r6);
  });

  it('a letter locks calls for seven days (R6)', async () => {
    const result = await dialAfter(serverSend('letter', '2026-03-02T08:00:00-05:00'), '2026-03-06T10:00:00-05:00');

    expect(result.outcome).toBe('blocked');
    expect(result.decision.rules).toEqual(['R6']);
    expect(result.decision.nextAllowedAt).toBe('2026-03-09T08:00:00-05:00');
  });

  it('a letter eight days ago no longer blocks', async () => {
    const result = await dialAfter(serverSend('letter', '2026-02-23T08:00:00-05:00'), TUESDAY_10);
    expect(result.decision.allowed).toBe(true);
  });
});
