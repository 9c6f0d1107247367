import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@gestiona/core/result';
import { createLogger } from '../logger.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { keepDamagedDatabase, quickCheck } from './integrity.ts';
import { DATABASE_FILE, openDatabase } from './open.ts';
import type { PlacementProbe } from './placement.ts';

const logger = createLogger({ level: 'silent' });
const key = Buffer.alloc(32, 7);

/** A local-only mount table, so that the test does not depend on where the temp folder lives. */
const LOCAL: PlacementProbe = { platform: 'linux', mountInfo: '27 1 254:0 / / rw - ext4 /dev/vda rw', env: {}, home: '/home/ana', realpath: (target) => target };

function openError(dataDir: string, placement: PlacementProbe = LOCAL): AppError {
  try {
    openDatabase({ dataDir, logger, placement, key }).close();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the database opened');
}

/** Fills a database with rows spread over many pages and closes it, checkpointing the WAL into the main file. */
function writeRows(dataDir: string): void {
  const db = openDatabase({ dataDir, logger, placement: LOCAL, key });
  db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2_000; i += 1) insert.run(`fila ${i} ${'x'.repeat(200)}`);
  })();
  db.close();
}

/** Overwrites `length` bytes at `offset` with 0xA5, which is neither a valid page header nor a valid cell. */
function scribble(file: string, offset: number, length: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

describe('openDatabase integrity', () => {
  let dir: string;
  let dataDir: string;

  beforeEach(() => {
    dir = makeTempDir('gestiona-db-');
    dataDir = path.join(dir, 'datos');
  });
  afterEach(() => removeDir(dir));

  const damagedCopies = (): string[] => readdirSync(dataDir).filter((name) => name.includes('.damaged-'));

  it('opens a healthy database again with its rows', () => {
    writeRows(dataDir);
    const db = openDatabase({ dataDir, logger, placement: LOCAL, key });
    expect(quickCheck(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM filler').get()).toEqual({ n: 2_000 });
    db.close();
    expect(damagedCopies()).toEqual([]);
  });

  it('rejects a file with damaged pages and keeps it under a timestamped name', () => {
    writeRows(dataDir);
    const file = path.join(dataDir, DATABASE_FILE);
    const pageSize = 4096;
    const original = readFileSync(file);
    // Pages from the middle of the filler table: page 1 (the schema) stays intact, so the file opens and quick_check finds the damage.
    scribble(file, pageSize * 20, pageSize * 4);
    const damaged = readFileSync(file);

    const error = openError(dataDir);
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/^La base de datos local de Gestiona está dañada y no se puede usar\. No se borró nada: el archivo dañado se guardó como /);
    expect(error.message).toContain('Avise a soporte técnico antes de volver a abrir Gestiona');

    const [kept] = damagedCopies();
    expect(kept).toMatch(/^workstation\.damaged-\d{8}T\d{6}Z\.sqlite$/);
    expect(error.message).toContain(path.join(dataDir, kept!));
    // Buffer.equals: a deep toEqual over half a megabyte is slow and its diff unreadable.
    expect(readFileSync(path.join(dataDir, kept!)).equals(damaged)).toBe(true);
    expect(damaged.equals(original)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('rejects a file that the key does not open and keeps it', () => {
    mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, DATABASE_FILE);
    writeFileSync(file, 'esto no es una base de datos SQLite, pero sí son datos de alguien'.repeat(100));

    const error = openError(dataDir);
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('está cifrada con una clave que este equipo ya no tiene');
    expect(damagedCopies()).toEqual([]);
    const [kept] = readdirSync(dataDir).filter((name) => name.includes('.unreadable-'));
    expect(readFileSync(path.join(dataDir, kept!), 'utf8')).toContain('sí son datos de alguien');
  });

  it('creates a new database on the next start', () => {
    writeRows(dataDir);
    scribble(path.join(dataDir, DATABASE_FILE), 4096 * 20, 4096 * 4);
    openError(dataDir);
    const [kept] = damagedCopies();
    const keptBytes = statSync(path.join(dataDir, kept!)).size;

    const db = openDatabase({ dataDir, logger, placement: LOCAL, key });
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'filler'").get()).toEqual({ n: 0 });
    db.close();
    expect(damagedCopies()).toEqual([kept]);
    expect(statSync(path.join(dataDir, kept!)).size).toBe(keptBytes);
  });

  it('rejects a data folder on a network mount before creating anything there', () => {
    const placement: PlacementProbe = { ...LOCAL, mountInfo: `${LOCAL.mountInfo}\n40 27 0:50 / ${dir} rw - nfs4 nas:/export rw` };
    const error = openError(dataDir, placement);
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('una unidad de red (nfs4');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('keepDamagedDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('gestiona-db-');
  });
  afterEach(() => removeDir(dir));

  it('renames the WAL and shared-memory files with the database', () => {
    const file = path.join(dir, 'workstation.sqlite');
    for (const suffix of ['', '-wal', '-shm']) writeFileSync(`${file}${suffix}`, `contenido${suffix}`);

    const kept = keepDamagedDatabase(file, new Date('2026-03-03T15:04:05.678Z'));
    expect(kept).toBe(path.join(dir, 'workstation.damaged-20260303T150405Z.sqlite'));
    expect(readdirSync(dir).sort()).toEqual([
      'workstation.damaged-20260303T150405Z.sqlite',
      'workstation.damaged-20260303T150405Z.sqlite-shm',
      'workstation.damaged-20260303T150405Z.sqlite-wal',
    ]);
    expect(readFileSync(`${kept}-wal`, 'utf8')).toBe('contenido-wal');
  });

  it('never overwrites an earlier copy from the same second', () => {
    const file = path.join(dir, 'workstation.sqlite');
    const at = new Date('2026-03-03T15:04:05Z');
    writeFileSync(file, 'primera');
    const first = keepDamagedDatabase(file, at);
    writeFileSync(file, 'segunda');
    const second = keepDamagedDatabase(file, at);

    expect(second).toBe(path.join(dir, 'workstation.damaged-20260303T150405Z-2.sqlite'));
    expect(readFileSync(first, 'utf8')).toBe('primera');
    expect(readFileSync(second, 'utf8')).toBe('segunda');
  });
});

describe('quickCheck', () => {
  it('returns no problems for a fresh database', () => {
    const db = new Database(':memory:');
    expect(quickCheck(db)).toEqual([]);
    db.close();
  });
});
