import { createDecipheriv } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DialResult } from '@gestiona/core/ipc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettableClock } from '../clock.ts';
import { DATABASE_FILE } from '../db/open.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import {
  makeTempDir,
  openWorkstation,
  removeDir,
  seedDataDir,
  TEST_DATABASE_KEY,
  withStore,
  type OpenedWorkstation,
} from '../test-support/workstation.ts';

const TUESDAY_10 = '2026-03-03T10:00:00-05:00';
const NOTE = 'Dice Jorge Muñoz que María Peña Báez paga el viernes';
/** Names, document numbers, phones, the creditor and the note of the fixtures' debtors. */
const DEBTOR_TEXT = ['María Peña Báez', 'Jorge Muñoz', 'Ana Ruiz', '1020304050', '79111222', '3001234567', '6015550000', '3109876543', 'Banco Andino', 'paga el viernes'];

function debtorTextIn(text: string | Buffer): string[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return DEBTOR_TEXT.filter((needle) => bytes.includes(Buffer.from(needle, 'utf8')));
}

/** Reads every row of every table with the key and returns one JSON text per table. */
function tableDump(dataDir: string): Record<string, string> {
  return withStore(dataDir, (store) => {
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, JSON.stringify(store.db.prepare(`SELECT * FROM "${name}"`).all())]));
  });
}

/**
 * Every page of the file decrypted with the key, free pages and unused cell space included, so a
 * deleted row whose bytes are still on disk shows up. In the SQLCipher 4 layout each 4096-byte page
 * is AES-256-CBC encrypted under the raw key, with its IV and HMAC in the last 80 bytes. Page 1
 * starts with the 16-byte salt.
 */
function decryptedPages(dataDir: string): Buffer {
  const bytes = readFileSync(path.join(dataDir, DATABASE_FILE));
  const pageSize = 4096;
  const reserve = 80;
  const pages: Buffer[] = [];
  for (let offset = 0; offset + pageSize <= bytes.length; offset += pageSize) {
    const page = bytes.subarray(offset, offset + pageSize);
    const iv = page.subarray(pageSize - reserve, pageSize - reserve + 16);
    const decipher = createDecipheriv('aes-256-cbc', TEST_DATABASE_KEY, iv).setAutoPadding(false);
    pages.push(decipher.update(page.subarray(offset === 0 ? 16 : 0, pageSize - reserve)), decipher.final());
  }
  return Buffer.concat(pages);
}

function count(dataDir: string, table: string): number {
  return withStore(dataDir, (store) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
}

describe('sign-out on a shared workstation', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  beforeEach(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1'), makeDebtor('d2'), makeDebtor('d3')]);
    ws = await openWorkstation(dir, { clock: new SettableClock(TUESDAY_10) });
    const dialed = await ws.call<DialResult>('contact:dial', { debtorId: 'd1', contactPointId: 'd1-c1', requestId: '00000000-0000-4000-8000-000000000001' });
    if (!dialed.ok || dialed.value.outcome !== 'placed') throw new Error('setup: the call was not placed');
    await ws.call('contact:confirm-identity', { attemptId: dialed.value.wrapUp.attemptId });
    const saved = await ws.call('wrapup:save', {
      attemptId: dialed.value.wrapUp.attemptId,
      code: 'PP',
      fields: { amount: 5_000_000, date: '2026-03-10' },
      note: NOTE,
    });
    if (!saved.ok) throw new Error(`setup: the typification was not saved: ${saved.error.message}`);
  });

  afterEach(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  it('leaves no debtor text once acknowledged', async () => {
    const head = withStore(dir, (store) => {
      const ids = (store.db.prepare('SELECT id FROM outbox').all() as Array<{ id: string }>).map((row) => row.id);
      expect(store.outbox.acknowledge(ids)).toBe(2);
      return store.decisionChain.head();
    });
    expect(head?.index).toBe(1);
    const before = tableDump(dir);
    expect(debtorTextIn(before.persons!)).not.toEqual([]);

    const result = await ws.call('auth:logout', {});
    expect(result.ok).toBe(true);
    await ws.workstation.close();

    const after = tableDump(dir);
    for (const [table, rows] of Object.entries(after)) expect({ table, found: debtorTextIn(rows) }).toEqual({ table, found: [] });
    expect(decryptedPages(dir).includes(Buffer.from('CREATE TABLE debtors'))).toBe(true);
    expect(debtorTextIn(decryptedPages(dir))).toEqual([]);

    for (const table of ['debtors', 'persons', 'contact_points', 'obligations', 'interactions', 'attempts', 'gate_decisions', 'decision_chain', 'local_records']) {
      expect({ table, rows: count(dir, table) }).toEqual({ table, rows: 0 });
    }
    // The next decision continues the chain, the limits still count the contact, and reference data stays.
    expect(withStore(dir, (store) => store.decisionChain.head())).toEqual(head);
    expect(count(dir, 'ledger')).toBe(1);
    expect(count(dir, 'scripts')).toBe(1);
    expect(withStore(dir, (store) => store.meta.feedCursor())).toBe(0);
  });

  it('keeps unsent events only in the outbox', async () => {
    const queued = count(dir, 'outbox');
    expect(queued).toBe(2);

    const result = await ws.call('auth:logout', {});
    expect(result.ok).toBe(true);
    await ws.workstation.close();

    const after = tableDump(dir);
    expect(after.outbox).toContain('paga el viernes');
    for (const [table, rows] of Object.entries(after)) {
      if (table !== 'outbox') expect({ table, found: debtorTextIn(rows) }).toEqual({ table, found: [] });
    }
    expect(count(dir, 'outbox')).toBe(queued);
    for (const table of ['debtors', 'persons', 'contact_points', 'obligations']) expect({ table, rows: count(dir, table) }).toEqual({ table, rows: 0 });
    // The decision and its chain record are the evidence the queued events point to.
    expect(count(dir, 'interactions')).toBe(1);
    expect(count(dir, 'gate_decisions')).toBe(1);
    expect(withStore(dir, (store) => store.decisionChain.verify())).toMatchObject({ ok: true, count: 1 });
  });
});
