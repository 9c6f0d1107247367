import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcContract, LEGAL_STATUSES, type WorklistItem } from '@gestiona/core/ipc';
import type { DebtorSnapshot } from '@gestiona/core/domain';
import type { FeedEntry } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const DEBTORS = 24;

/** Debtors whose legal status differs: no authorised phone, a flagged phone, a holder abroad, a hold, contacts on several days. */
function variedDebtor(index: number): DebtorSnapshot {
  const debtor = makeDebtor(`d${index}`, { fullName: `Deudor ${index}`, priority: index });
  if (index % 6 === 1) debtor.contactPoints = debtor.contactPoints.map((point) => ({ ...point, authorization: null }));
  if (index % 6 === 2) debtor.contactPoints = debtor.contactPoints.map((point) => (point.id.endsWith('c1') ? { ...point, flagged: 'Número equivocado' } : point));
  if (index % 6 === 3) debtor.persons = debtor.persons.map((person) => (person.role === 'debtor' ? { ...person, residenceCountry: 'ES', timeZones: ['Europe/Madrid'] } : person));
  return debtor;
}

function serverEntries(): FeedEntry[] {
  const entries: FeedEntry[] = [];
  let seq = 100;
  for (let index = 0; index < DEBTORS; index += 1) {
    if (index % 6 === 4) {
      seq += 1;
      entries.push({ seq, type: 'hold.set', payload: { debtorId: `d${index}`, holds: [{ kind: 'dispute', code: 'RC', since: '2026-03-01T15:00:00.000Z' }] } });
    }
    // Contacts with the holder on Monday 2 and Tuesday 3 March, so R5 and R6 differ per debtor and per day.
    for (let day = 0; day < index % 4; day += 1) {
      seq += 1;
      const at = `2026-03-0${2 + (day % 2)}T${String(8 + day).padStart(2, '0')}:00:00-05:00`;
      entries.push({ seq, type: 'ledger.add', payload: { id: `l-${index}-${day}`, debtorId: `d${index}`, personId: `d${index}-p1`, channel: 'voice', kind: day % 2 === 0 ? 'two-way' : 'attempt', at } });
    }
  }
  return entries;
}

describe('legal-status cache', () => {
  let dir: string;
  let clock: SettableClock;
  let ws: OpenedWorkstation;

  beforeAll(async () => {
    dir = makeTempDir();
    seedDataDir(dir, Array.from({ length: DEBTORS }, (_unused, index) => variedDebtor(index)));
    const entries = serverEntries();
    withStore(dir, (store) => applyFeedBatch(store, entries, entries.at(-1)!.seq));
    clock = new SettableClock('2026-03-03T10:00:00-05:00');
    ws = await openWorkstation(dir, { clock });
  });

  afterAll(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  async function list(legalStatus?: WorklistItem['legalStatus']): Promise<WorklistItem[]> {
    const result = await ws.call('worklist:list', { offset: 0, limit: 100, ...(legalStatus ? { legalStatus } : {}) });
    if (!result.ok) throw new Error(result.error.message);
    return ipcContract['worklist:list'].result.parse(result.value).items;
  }

  // In order, so that each instant starts from the cache the previous one left: expiry is part of the check.
  it.each([
    { name: 'Tuesday 10:00', at: '2026-03-03T10:00:00-05:00' },
    { name: 'Tuesday 10:15, after the quarter hour', at: '2026-03-03T10:15:00-05:00' },
    { name: 'Tuesday 19:30, after hours', at: '2026-03-03T19:30:00-05:00' },
    { name: 'Wednesday 07:00', at: '2026-03-04T07:00:00-05:00' },
    { name: 'Sunday 10:00', at: '2026-03-08T10:00:00-05:00' },
    { name: 'Monday 23 March, a public holiday', at: '2026-03-23T10:00:00-05:00' },
  ])('files every debtor under its row status: $name', async ({ at }) => {
    clock.set(at);
    const rows = await list();
    expect(rows).toHaveLength(DEBTORS);
    // The check means something only when the debtors do not all share one status.
    expect(new Set(rows.map((item) => item.legalStatus)).size).toBeGreaterThan(1);
    for (const status of LEGAL_STATUSES) {
      const filtered = (await list(status)).map((item) => item.debtorId).sort();
      const expected = rows.filter((item) => item.legalStatus === status).map((item) => item.debtorId).sort();
      expect({ status, debtors: filtered }).toEqual({ status, debtors: expected });
    }
  });
});
