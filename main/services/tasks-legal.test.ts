import { readFileSync } from 'node:fs';
import { parseRulePack } from '@gestiona/core/compliance/rule-pack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TimelineActivity } from '@gestiona/core/strategy/schema';
import { createLogger } from '../logger.ts';
import { openDatabase } from '../db/open.ts';
import { LocalStore } from '../store/local-store.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, removeDir, TEST_DATABASE_KEY } from '../test-support/workstation.ts';
import { activitySlot, checkInstant, slotText } from './tasks-legal.ts';

const PACK = parseRulePack(JSON.parse(readFileSync(new URL('../../resources/rule-pack.json', import.meta.url), 'utf8')));
const at = (iso: string): number => Date.parse(iso);

describe('activitySlot', () => {
  let dir: string;
  let store: LocalStore;

  beforeEach(() => {
    dir = makeTempDir();
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }), key: TEST_DATABASE_KEY }));
  });

  afterEach(() => {
    store.close();
    removeDir(dir);
  });

  // The fixture debtor has one authorised mobile and no SMS, e-mail or WhatsApp address.
  it.each<[string, TimelineActivity['channel'], string, string]>([
    ['a call on a weekday morning', 'call', '2026-03-03T10:00:00-05:00', 'Se puede hacer ahora'],
    ['a call on a Sunday', 'call', '2026-03-08T10:00:00-05:00', 'Pasa a mañana 07:00'],
    ['a call on a holiday', 'call', '2026-03-23T10:00:00-05:00', 'Pasa a mañana 07:00'],
    ['a call in the evening', 'call', '2026-03-03T19:30:00-05:00', 'Pasa a mañana 07:00'],
    ['an SMS without an address', 'sms', '2026-03-03T10:00:00-05:00', 'No se puede hacer: Sin canal autorizado para esta actividad'],
    ['a letter on a weekday', 'letter', '2026-03-03T10:00:00-05:00', 'Se puede hacer ahora'],
  ])('%s', (_name, channel, now, expected) => {
    const slot = activitySlot(store.ledger, PACK, makeDebtor('d1'), channel, at(now));
    expect(slotText(slot, new Date(at(now)).toISOString())).toContain(expected);
  });

  it('rejects a visit outside microcredit', () => {
    const slot = activitySlot(store.ledger, PACK, makeDebtor('d1'), 'visit', at('2026-03-03T10:00:00-05:00'));
    expect(slot.allowedNow).toBe(false);
    expect(slot.slotAt).toBeNull();
    expect(slot.reason).toContain('R13');
  });
});

describe('checkInstant', () => {
  it.each([
    ['a past date', '2026-03-01', '2026-03-03T10:00:00-05:00', '2026-03-03T10:00:00-05:00'],
    ['today', '2026-03-03', '2026-03-03T10:00:00-05:00', '2026-03-03T10:00:00-05:00'],
    ['a future date', '2026-03-05', '2026-03-03T10:00:00-05:00', '2026-03-05T00:00:00-05:00'],
  ])('checks %s', (_name, plannedDate, now, expected) => {
    expect(checkInstant(plannedDate, at(now))).toBe(at(expected));
  });

  it('rejects an invalid date', () => {
    expect(() => checkInstant('2026-02-30', 0)).toThrow(/Invalid planned date/);
  });
});
