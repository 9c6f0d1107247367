import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import PlainDatabase from 'better-sqlite3';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@gestiona/core/result';
import { createLogger } from '../logger.ts';
import { applyFeedBatch } from '../store/feed.ts';
import { LocalStore } from '../store/local-store.ts';
import { makeDebtor, seedEntries } from '../test-support/fixtures.ts';
import { makeTempDir, MemorySecretStore, removeDir } from '../test-support/workstation.ts';
import { applyDatabaseKey, databaseFileKind, DATABASE_KEY_BYTES } from './encryption.ts';
import { FileDatabaseKeyStore } from './encryption-key-file.ts';
import { migrate, schemaVersion } from './migrate.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { DATABASE_FILE, openDatabase, openWorkstationDatabase } from './open.ts';
import type { PlacementProbe } from './placement.ts';

const silent = createLogger({ level: 'silent' });
const LOCAL: PlacementProbe = { platform: 'linux', mountInfo: '27 1 254:0 / / rw - ext4 /dev/vda rw', env: {}, home: '/home/ana', realpath: (target) => target };

/** What a debtor snapshot from the fixtures writes: names, document numbers, phone numbers and a creditor. */
const DEBTOR_TEXT = ['María Peña Báez', 'Jorge Muñoz', 'Ana Ruiz', '1020304050', '79111222', '3001234567', '6015550000', '3109876543', 'Banco Andino'];

function debtorTextIn(bytes: Buffer): string[] {
  return DEBTOR_TEXT.filter((text) => bytes.includes(Buffer.from(text, 'utf8')));
}

/** Lists the database file and whatever companions SQLite left beside it. */
function databaseFiles(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith(DATABASE_FILE))
    .map((name) => path.join(dataDir, name));
}

function hexKey(byte: number): string {
  return Buffer.alloc(DATABASE_KEY_BYTES, byte).toString('hex');
}

function seedDebtors(store: LocalStore, count: number): void {
  const debtors = Array.from({ length: count }, (_, index) => makeDebtor(`d${index + 1}`));
  const entries = seedEntries(debtors);
  applyFeedBatch(store, entries, entries.length);
}

function errorOf(work: () => Promise<unknown>): Promise<AppError> {
  return work().then(
    () => {
      throw new Error('the database opened');
    },
    (error: unknown) => {
      if (error instanceof AppError) return error;
      throw error;
    },
  );
}

describe('database encryption at rest', () => {
  let dir: string;
  let dataDir: string;
  let file: string;

  beforeEach(() => {
    dir = makeTempDir('gestiona-cipher-');
    dataDir = path.join(dir, 'datos');
    file = path.join(dataDir, DATABASE_FILE);
  });
  afterEach(() => removeDir(dir));

  it('creates the key at first start', async () => {
    const keyStore = new MemorySecretStore(null);
    const db = await openWorkstationDatabase({ dataDir, logger: silent, placement: LOCAL, keyStore });
    db.close();

    expect(keyStore.token).toMatch(/^[0-9a-f]{64}$/);
    expect(databaseFileKind(file)).toBe('encrypted');
    for (const name of readdirSync(dataDir)) expect(readFileSync(path.join(dataDir, name)).includes(Buffer.from(keyStore.token!))).toBe(false);
  });

  it('writes no debtor text to the file, its WAL or its shared-memory file', async () => {
    const keyStore = new MemorySecretStore(hexKey(1));
    const store = new LocalStore(await openWorkstationDatabase({ dataDir, logger: silent, placement: LOCAL, keyStore }));
    seedDebtors(store, 50);

    // Still open: the rows are in the WAL, not yet checkpointed into the main file.
    const open = databaseFiles(dataDir);
    expect(open.map((name) => path.basename(name)).sort()).toEqual([DATABASE_FILE, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-wal`]);
    expect(readFileSync(`${file}-wal`).length).toBeGreaterThan(50 * 1024);
    for (const name of open) expect({ name, found: debtorTextIn(readFileSync(name)) }).toEqual({ name, found: [] });

    // The same key reads the rows back, so the search above had the text to find.
    expect(store.debtors.count()).toBe(50);
    store.close();
    for (const name of databaseFiles(dataDir)) expect({ name, found: debtorTextIn(readFileSync(name)) }).toEqual({ name, found: [] });
  });

  it('opens only with the right key', async () => {
    const store = new LocalStore(await openWorkstationDatabase({ dataDir, logger: silent, placement: LOCAL, keyStore: new MemorySecretStore(hexKey(2)) }));
    seedDebtors(store, 1);
    store.close();

    const plain = new PlainDatabase(file);
    expect(() => plain.prepare('SELECT count(*) FROM debtors').get()).toThrow(expect.objectContaining({ code: 'SQLITE_NOTADB' }));
    plain.close();

    const keyless = new Database(file);
    expect(() => keyless.prepare('SELECT count(*) FROM debtors').get()).toThrow(expect.objectContaining({ code: 'SQLITE_NOTADB' }));
    keyless.close();

    const wrong = new Database(file);
    applyDatabaseKey(wrong, Buffer.alloc(DATABASE_KEY_BYTES, 3));
    expect(() => wrong.prepare('SELECT count(*) FROM debtors').get()).toThrow(expect.objectContaining({ code: 'SQLITE_NOTADB' }));
    wrong.close();

    const right = new Database(file);
    applyDatabaseKey(right, Buffer.alloc(DATABASE_KEY_BYTES, 2));
    expect(right.prepare('SELECT full_name FROM debtors').get()).toEqual({ full_name: 'María Peña Báez' });
    right.close();
  });

  it('encrypts and migrates a plain version-1 file', async () => {
    // A version-1 file as the first release wrote it: a connection without a key writes the standard SQLite format.
    mkdirSync(dataDir, { recursive: true });
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, silent, MIGRATIONS.slice(0, 1));
    const insert = old.prepare("INSERT INTO outbox (id, type, agent_id, occurred_at, payload) VALUES (?, 'interaction.recorded', 'agent-1', '2026-03-03T10:00:00-05:00', ?)");
    old.transaction(() => {
      for (let n = 0; n < 300; n += 1) insert.run(`e${n}`, JSON.stringify({ note: `Habló con María Peña Báez, cédula 1020304050, intento ${n}` }));
    })();
    old.exec(`INSERT INTO debtors VALUES ('d1', 'CC', '1020304050', 'María Peña Báez', 'maria pena baez', 'Bogotá', 'temprana', 50, 's1', '2099-01-01T00:00:00-05:00', 4070912400000)`);
    old.close();
    expect(databaseFileKind(file)).toBe('plain');
    expect(debtorTextIn(readFileSync(file))).not.toEqual([]);

    const keyStore = new MemorySecretStore(null);
    const db = await openWorkstationDatabase({ dataDir, logger: silent, placement: LOCAL, keyStore });
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 300 });
    expect(db.prepare('SELECT full_name, doc_number FROM debtors').all()).toEqual([{ full_name: 'María Peña Báez', doc_number: '1020304050' }]);
    db.close();

    expect(databaseFileKind(file)).toBe('encrypted');
    for (const name of databaseFiles(dataDir)) expect({ name, found: debtorTextIn(readFileSync(name)) }).toEqual({ name, found: [] });

    // Once: the next start opens it as an encrypted file under the same key.
    const again = await openWorkstationDatabase({ dataDir, logger: silent, placement: LOCAL, keyStore });
    expect(again.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 300 });
    again.close();
  });

  it.each([
    { case: 'the key store lost the key', stored: null },
    { case: 'the key store holds another key', stored: hexKey(9) },
  ])('keeps an encrypted file aside, unread and unchanged, when $case', async ({ stored }) => {
    const first = new LocalStore(await openWorkstationDatabase({ dataDir, logger: silent, placement: LOCAL, keyStore: new MemorySecretStore(hexKey(4)) }));
    seedDebtors(first, 3);
    first.close();
    const before = readFileSync(file);

    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    const keyStore = new MemorySecretStore(stored);
    const error = await errorOf(() => openWorkstationDatabase({ dataDir, logger, placement: LOCAL, keyStore }));

    expect(error.code).toBe('conflict');
    expect(error.message).toContain('está cifrada con una clave que este equipo ya no tiene');
    expect(error.message).toContain('se descargará otra vez del servidor central');
    const keptCopies = readdirSync(dataDir).filter((name) => name.includes('.unreadable-'));
    expect(keptCopies).toHaveLength(1);
    expect(error.message).toContain(path.join(dataDir, keptCopies[0]!));
    expect(readFileSync(path.join(dataDir, keptCopies[0]!)).equals(before)).toBe(true);
    expect(existsSync(file)).toBe(false);
    // No new key over the old one while the old file is unread.
    expect(keyStore.token).toBe(stored);

    const logged = lines.map((line) => JSON.parse(line) as { level: number; unsentEvents?: string });
    expect(logged.find((line) => line.unsentEvents === 'unknown')?.level).toBe(50);

    // The next start makes a new, empty database; the kept copy stays as it was.
    const fresh = new LocalStore(await openWorkstationDatabase({ dataDir, logger: silent, placement: LOCAL, keyStore }));
    expect(fresh.debtors.count()).toBe(0);
    fresh.close();
    expect(readFileSync(path.join(dataDir, keptCopies[0]!)).equals(before)).toBe(true);
  });

  it('refuses to open an encrypted file without a key instead of calling it damaged', async () => {
    (await openWorkstationDatabase({ dataDir, logger: silent, placement: LOCAL, keyStore: new MemorySecretStore(hexKey(5)) })).close();
    expect(() => openDatabase({ dataDir, logger: silent, placement: LOCAL })).toThrow(/opened without its key/);
    expect(readdirSync(dataDir).filter((name) => name.includes('.damaged-') || name.includes('.unreadable-'))).toEqual([]);
  });
});

describe('FileDatabaseKeyStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('gestiona-dbkey-');
  });
  afterEach(() => removeDir(dir));

  it('keeps the key sealed beside the data, readable only with the config-folder key', async () => {
    const dataDir = path.join(dir, 'datos');
    const store = new FileDatabaseKeyStore(dataDir, { keyDir: path.join(dir, 'config') });
    expect(await store.get()).toBeNull();
    await store.set(hexKey(6));
    expect(await store.get()).toBe(hexKey(6));
    expect(readFileSync(path.join(dataDir, 'database-key.enc'), 'utf8')).not.toContain(hexKey(6));

    // A copy of the data folder on another machine has another config folder.
    expect(await new FileDatabaseKeyStore(dataDir, { keyDir: path.join(dir, 'otro-equipo') }).get()).toBeNull();
  });

  it('refuses a key folder inside the data folder', () => {
    expect(() => new FileDatabaseKeyStore(dir, { keyDir: path.join(dir, 'claves') })).toThrow(/inside the data folder/);
  });
});
