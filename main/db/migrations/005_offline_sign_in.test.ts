import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import { LocalStore } from '../../store/local-store.ts';
import { OfflineSignIn } from '../../store/offline-credential.ts';
import { TEST_AGENT, makeTempDir, removeDir } from '../../test-support/workstation.ts';
import { migrate, schemaVersion } from '../migrate.ts';
import { DATABASE_FILE, openDatabase } from '../open.ts';
import { MIGRATIONS } from './index.ts';

const silent = createLogger({ level: 'silent' });
const PREVIOUS = MIGRATIONS.filter((migration) => migration.version < 5);
const NOW = Date.parse('2026-03-03T10:00:00-05:00');

describe('migration 005: offline sign-in', () => {
  let dir: string;

  beforeEach(() => {
    dir = makeTempDir();
  });

  afterEach(() => removeDir(dir));

  it('keeps the signed-in agent and starts without a verifier', async () => {
    const db = new Database(path.join(dir, DATABASE_FILE));
    migrate(db, silent, PREVIOUS);
    expect(schemaVersion(db)).toBe(4);
    db.prepare("INSERT INTO meta (key, value) VALUES ('agent_user', ?), ('agent_id', ?)").run(JSON.stringify(TEST_AGENT), TEST_AGENT.id);
    db.close();

    const opened = openDatabase({ dataDir: dir, logger: silent });
    const store = new LocalStore(opened);
    try {
      expect(schemaVersion(opened)).toBe(MIGRATIONS.length);
      expect(store.meta.agent()).toEqual(TEST_AGENT);

      // An agent signed in by an earlier version has no verifier until the next online sign-in.
      const offline = new OfflineSignIn(opened);
      expect(offline.allowanceEnd(TEST_AGENT.id)).toBeNull();
      await offline.remember(TEST_AGENT, 'clave-segura-1', NOW);
      expect(offline.allowanceEnd(TEST_AGENT.id)).toBe('2026-03-06T10:00:00-05:00');
      expect(() => opened.prepare("INSERT INTO offline_sign_in (id, user_json, verifier, signed_in_online_at) VALUES (2, '{}', 'v', 'x')").run()).toThrow(/CHECK constraint failed/);
    } finally {
      store.close();
    }
  });
});
