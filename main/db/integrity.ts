/**
 * Start-up integrity check of the workstation database. A damaged file is never deleted or
 * repaired in place: it is renamed with a timestamp, together with its WAL and shared-memory
 * files, so that support can recover what had not reached the server yet.
 */
import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3-multiple-ciphers';

/** Files SQLite keeps beside the database. The WAL contains committed transactions not yet copied into the main file. */
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/** Runs `PRAGMA quick_check` and returns its problems; an empty list means the file passed. */
export function quickCheck(db: Database): string[] {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((row) => row.quick_check);
  return problems.length === 1 && problems[0] === 'ok' ? [] : problems;
}

/** Returns whether SQLite reported a damaged or foreign file (SQLITE_CORRUPT and its extended codes, SQLITE_NOTADB). */
export function isCorruptionError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
}

/**
 * Renames `file` and its companions to `<name>.<label>-<UTC timestamp>[-n]<ext>` and returns the
 * new name of the main file. The companions keep their suffixes, so SQLite opens the copy with
 * its WAL. Throws when a rename fails, and whatever was renamed until then keeps its new name.
 */
export function keepDamagedDatabase(file: string, at: Date, label: 'damaged' | 'unreadable' = 'damaged'): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const extension = path.extname(file);
  const base = file.slice(0, file.length - extension.length);

  let target = `${base}.${label}-${stamp}${extension}`;
  for (let n = 2; [target, ...COMPANION_SUFFIXES.map((suffix) => `${target}${suffix}`)].some(existsSync); n += 1) {
    target = `${base}.${label}-${stamp}-${n}${extension}`;
  }

  renameSync(file, target);
  for (const suffix of COMPANION_SUFFIXES) {
    if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${target}${suffix}`);
  }
  return target;
}
