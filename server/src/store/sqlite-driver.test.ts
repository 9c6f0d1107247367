import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/server.ts';
import { SqliteDriver } from './sqlite-driver.ts';

const nextImmediate = () => new Promise<void>((resolve) => setImmediate(resolve));

let dir: { path: string; remove(): void };
let file: string;
let driver: SqliteDriver;

beforeEach(async () => {
  dir = tempDir();
  file = join(dir.path, 'server.sqlite');
  driver = SqliteDriver.open(file).driver;
  await driver.connect((sql) => sql.run('CREATE TABLE scratch (id INTEGER PRIMARY KEY, label TEXT NOT NULL) STRICT'));
});

afterEach(async () => {
  await driver.close();
  dir.remove();
});

const insert = (label: string) => driver.transaction((sql) => sql.run('INSERT INTO scratch (label) VALUES (?)', [label]));
const labels = () => driver.connect((sql) => sql.all<{ label: string }>('SELECT label FROM scratch ORDER BY id')).then((rows) => rows.map((row) => row.label));

describe('SqliteDriver queue', () => {
  it('runs a loop callback between two queued transactions', async () => {
    const log: string[] = [];
    // A second connection, like another process's, reads only committed rows.
    const reader = new Database(file, { readonly: true });

    const first = driver.transaction(async (sql) => {
      await sql.run("INSERT INTO scratch (label) VALUES ('first')");
      setImmediate(() => {
        const rows = reader.prepare('SELECT label FROM scratch ORDER BY id').all() as { label: string }[];
        log.push(`loop turn reads ${rows.map((row) => row.label).join(',')}`);
      });
      log.push('first');
    });
    const second = driver.transaction(async (sql) => {
      await sql.run("INSERT INTO scratch (label) VALUES ('second')");
      log.push('second');
    });
    await Promise.all([first, second]);
    reader.close();

    expect(log).toEqual(['first', 'loop turn reads first', 'second']);
  });

  it('gives the loop a turn between every two tasks of a backlog', async () => {
    const log: string[] = [];
    let ticking = true;
    const tick = () => {
      if (!ticking) return;
      log.push('tick');
      setImmediate(tick);
    };

    const tasks: Promise<unknown>[] = [];
    for (let index = 0; index < 30; index += 1) {
      // Transactions, plain reads and snapshots share the one queue.
      const kind = ['transaction', 'read', 'snapshot'][index % 3]!;
      const logged = () => log.push(kind);
      if (kind === 'transaction') tasks.push(insert(`row ${index}`).then(logged));
      else if (kind === 'read') tasks.push(labels().then(logged));
      else tasks.push(driver.snapshot((sql) => sql.all('SELECT id FROM scratch')).then(logged));
    }
    setImmediate(tick);
    await Promise.all(tasks);
    ticking = false;

    const tasksInRow = log.filter((entry, index) => entry !== 'tick' && log[index + 1] !== undefined && log[index + 1] !== 'tick');
    expect(tasksInRow).toEqual([]);
    expect(log.filter((entry) => entry !== 'tick')).toHaveLength(30);
  });

  it.each([
    { outcome: 'commits', fails: false, expected: ['kept', 'inside'] },
    { outcome: 'rolls back', fails: true, expected: ['kept'] },
  ])('keeps a read queued during a transaction that $outcome out of it', async ({ fails, expected }) => {
    await insert('kept');
    let readDuringTransaction: Promise<string[]> | undefined;

    const transaction = driver.transaction(async (sql) => {
      await sql.run("INSERT INTO scratch (label) VALUES ('inside')");
      // Timers and other loop turns run during this wait inside the transaction.
      await new Promise((resolve) => setTimeout(resolve, 5));
      readDuringTransaction = labels();
      await nextImmediate();
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fails) throw new Error('ingest failed');
    });
    await transaction.catch(() => undefined);

    expect(await readDuringTransaction).toEqual(expected);
    expect(await labels()).toEqual(expected);
  });

  it('runs the tasks behind a failed transaction', async () => {
    const failed = driver.transaction(async (sql) => {
      await sql.run("INSERT INTO scratch (label) VALUES ('lost')");
      throw new Error('ingest failed');
    });
    const next = insert('after');

    await expect(failed).rejects.toThrow('ingest failed');
    await next;
    expect(await labels()).toEqual(['after']);
  });
});
