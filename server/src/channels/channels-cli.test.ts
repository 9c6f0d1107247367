import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestBackend } from '../fixtures/backends.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import type { ServerStore } from '../store/types.ts';
import { DISABLED_CHANNELS, parseChannelsConfig, type ChannelsConfig } from './channel-config.ts';
import { channelsCommand } from './channels-cli.ts';
import { ChannelDispatcher } from './dispatcher.ts';
import { WEDNESDAY_10, activity, seedChannelDebtor } from './test-setup.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const logger = createLogger({ level: 'silent' });

describe('channels command', () => {
  const backend = useTestBackend('sqlite');
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function run(args: string[], store: ServerStore | null, config: ChannelsConfig | null = DISABLED_CHANNELS) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await channelsCommand(args, {
      withStore: (_values, work) => (store === null ? Promise.resolve(1) : work(store)),
      loadConfig: () => config,
      logger,
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      now: () => WEDNESDAY_10,
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it.each<[string, string[], RegExp]>([
    ['a batch without a date', ['letters', '--out', 'cartas.pdf'], /Indique --date dd\/mm\/aaaa y --out ARCHIVO/],
    ['an invalid date', ['visits', '--date', '31/02/2026', '--out', 'ruta.csv'], /La fecha "31\/02\/2026" no es válida/],
    ['a route sheet that is not CSV or XLSX', ['visits', '--date', '16/12/2026', '--out', 'ruta.pdf'], /debe terminar en \.csv o \.xlsx/],
    ['an unknown option', ['run', '--later'], /Use channels --help/],
  ])('rejects %s', async (_name, args, message) => {
    const result = await run(args, null);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
  });

  it('stops when the configuration is invalid', async () => {
    expect((await run(['run'], null, null)).code).toBe(1);
  });

  it('writes the letters of a day to a PDF file', async () => {
    const store = await backend.openStore(await backend.createDatabase());
    cleanups.push(() => store.close());
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    await seedChannelDebtor(store, { timeline: [activity('carta', 'letter', 2)] });
    const config = parseChannelsConfig({ letters: true }, 'de prueba');
    await new ChannelDispatcher({ store, config, logger }).runPass(WEDNESDAY_10);

    const out = join(dir.path, 'cartas.pdf');
    const result = await run(['letters', '--date', '09/12/2026', '--out', out], store, config);
    expect(result).toMatchObject({ code: 0, out: `1 carta del 09/12/2026 en ${out}.` });
    expect(existsSync(out)).toBe(true);
    expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const listed = await run(['list', '--debtor', 'CC-1020304050'], store);
    expect(listed.out).toMatch(/^09\/12\/2026 {2}CC-1020304050 {2}carta \(letter\) {2}enviado {2}el 09\/12\/2026 10:00$/);
  });

  it('lists the subcommands in the server help', async () => {
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'channels', '--help'], { cwd: REPO_ROOT, env: { ...process.env, GESTIONA_LOG_LEVEL: 'silent' } });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('channels letters --date dd/mm/aaaa --out ARCHIVO.pdf');
  });
});
