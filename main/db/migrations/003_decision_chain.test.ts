import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { recordDecision } from '../../services/decision-log.ts';
import { LocalStore } from '../../store/local-store.ts';
import { makeDecisionRecord, numberedUuid } from '../../test-support/decisions.ts';
import { makeTempDir, removeDir } from '../../test-support/workstation.ts';
import { migrate, schemaVersion } from '../migrate.ts';
import { DATABASE_FILE, openDatabase } from '../open.ts';
import { MIGRATIONS } from './index.ts';

const silent = createLogger({ level: 'silent' });

describe('migration 003: decision chain and clock jumps', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  /** Writes a version-2 database with one decision, an attempt on it and a queued event. */
  function writeVersion2(): void {
    const v2 = new Database(path.join(dir, DATABASE_FILE));
    migrate(v2, silent, MIGRATIONS.slice(0, 2));
    expect(schemaVersion(v2)).toBe(2);
    const decision = JSON.stringify(makeDecisionRecord(2).decision);
    const request = JSON.stringify(makeDecisionRecord(2).request);
    v2.prepare(
      `INSERT INTO gate_decisions (id, request_id, debtor_id, person_id, contact_point_id, channel, allowed, rules, rule_pack_version,
         request, decision, history_size, trusted_at, local_at, clock_offset_ms)
       VALUES (?, ?, 'd1', 'd1-p1', 'd1-c1', 'voice', 1, '[]', '2026.1', ?, ?, 0, '2026-03-03T10:00:00-05:00', '2026-03-03T10:00:00-05:00', 0)`,
    ).run(numberedUuid(900), numberedUuid(901), request, decision);
    v2.exec(`
      INSERT INTO attempts VALUES ('a1', '${numberedUuid(901)}', '${numberedUuid(900)}', 'd1', 'María Peña', 'd1-p1', 'María Peña', 'debtor',
        'd1-c1', 'voice', '+573001234567', 'manual', '2026-03-03T10:00:00-05:00', 1772550000000, 'placed', NULL, NULL, 'pending', NULL);
      INSERT INTO outbox (id, type, agent_id, occurred_at, payload) VALUES ('e1', 'decision.recorded', 'a1', '2026-03-03T10:00:00-05:00', '{}');
    `);
    v2.close();
  }

  it('keeps version-2 decisions outside the chain', () => {
    writeVersion2();
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      const kept = store.decisions.byId(numberedUuid(900));
      expect(kept).toMatchObject({ debtorId: 'd1', clockSyncedAt: null, workstationRule: null });
      expect(store.attempts.byId('a1')?.decisionId).toBe(numberedUuid(900));
      expect(store.decisionChain.head()).toBeNull();
      expect(store.decisionChain.linkOf(numberedUuid(900))).toBeNull();
      expect(store.clockJumps.count()).toBe(0);
    } finally {
      store.close();
    }
  });

  it('starts the chain at 1 with the first new decision', () => {
    writeVersion2();
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      const payload = store.transaction(() => recordDecision(store, makeDecisionRecord(1, { workstationRule: 'CLOCK' }), 'agent-1'));
      expect(payload.chain?.index).toBe(1);
      expect(store.decisions.byId(numberedUuid(1))?.workstationRule).toBe('CLOCK');
      expect(store.decisionChain.verify()).toMatchObject({ ok: true, count: 1 });
    } finally {
      store.close();
    }
  });

  it('rejects an unknown workstation rule', () => {
    const store = new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
    try {
      const insert = () =>
        store.db
          .prepare(
            `INSERT INTO gate_decisions (id, request_id, debtor_id, person_id, contact_point_id, channel, allowed, rules, rule_pack_version,
               request, decision, history_size, trusted_at, local_at, clock_offset_ms, workstation_rule)
             VALUES ('x', 'y', 'd1', 'p1', 'c1', 'voice', 0, '[]', '1', '{}', '{}', 0, 'a', 'b', 0, 'NETWORK')`,
          )
          .run();
      expect(insert).toThrow(/CHECK constraint failed/);
    } finally {
      store.close();
    }
  });
});
