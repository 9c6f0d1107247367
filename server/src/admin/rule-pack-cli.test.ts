import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rulePackSchema } from '@gestiona/core/compliance/types';
import { formatCop } from '@gestiona/core/format';
import { loadResources } from '../content/load-resources.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import { openStore } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';
import { rulePackCommand } from './rule-pack-cli.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const NOW = new Date('2026-12-04T09:00:00-05:00');

describe('rule-pack command', () => {
  let dir: ReturnType<typeof tempDir>;
  let dbPath: string;
  let store: ServerStore;
  let out: string[];
  let err: string[];

  beforeEach(async () => {
    dir = tempDir();
    dbPath = join(dir.path, 'server.sqlite');
    store = await openStore({ dbPath, logger: createLogger({ level: 'silent' }) });
    await store.publishContent(await loadResources(DEFAULT_RESOURCES_DIR), NOW);
    await store.createUser({ username: 'admin', fullName: 'Ana Ruiz', role: 'admin', password: 'clave-segura-1' }, NOW);
    await store.createUser({ username: 'supervisor1', fullName: 'Julián Muñoz', role: 'team-lead', password: 'clave-segura-1' }, NOW);
    out = [];
    err = [];
  });

  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  const run = (...args: string[]) =>
    rulePackCommand(args, { withStore: (_values, work) => work(store), out: (line) => out.push(line), err: (line) => err.push(line), now: () => NOW });

  const currentVersion = async () => (await store.listRulePacks(1))[0]!.version;

  it('shows the pack in force', async () => {
    expect(await run('show')).toBe(0);
    expect(out).toEqual([
      'Paquete de reglas vigente: 2026.1 (horas de Bogotá)',
      '  Publicado: 04/12/2026 09:00',
      '  Origen: archivo de fábrica resources/rule-pack.json',
      '  Cuenta como contacto (R5, R6): cada intento, con o sin respuesta',
      '  Aviso antes del cierre de la franja: 10 minutos',
      `  Salario mínimo mensual (R14): ${formatCop(175_090_500)}`,
      '  Fechas bloqueadas: ninguna',
      '  Festivos añadidos: ninguno',
      '  Festivos calculados suprimidos: ninguno',
    ]);
  });

  it('prints the pack as JSON', async () => {
    expect(await run('show', '--json')).toBe(0);
    expect(rulePackSchema.parse(JSON.parse(out.join('\n'))).version).toBe('2026.1');
  });

  it('blocks a date under the next version', async () => {
    expect(await run('block-date', '07/12/2026', '--reason', 'Decreto de duelo nacional', '--by', 'admin')).toBe(0);
    expect(err).toEqual([]);
    expect(out.slice(0, 4)).toEqual([
      'Paquete de reglas 2026.2 publicado el 04/12/2026 09:00 (hora de Bogotá) por admin.',
      'Cambios respecto de 2026.1:',
      '  Fecha bloqueada añadida: lunes 07/12/2026',
      'Motivo: Decreto de duelo nacional',
    ]);
    const [current] = await store.listRulePacks(1);
    expect(current).toMatchObject({ version: '2026.2', source: 'admin', reason: 'Decreto de duelo nacional', publishedBy: { username: 'admin' } });
    expect(current!.pack.extraBlockedDates).toEqual(['2026-12-07']);

    out.length = 0;
    expect(await run('block-date', '2026-12-07', '--reason', 'otra vez', '--by', 'admin')).toBe(0);
    expect(out).toEqual(['El lunes 07/12/2026 ya está bloqueado en el paquete vigente 2026.2: no se publicó nada.']);
    expect(await currentVersion()).toBe('2026.2');
  });

  it('adds and removes holidays', async () => {
    expect(await run('add-holiday', '09/12/2026', '--name', 'Día cívico', '--by', 'admin')).toBe(0);
    expect(out).toContain('  Festivo añadido: miércoles 09/12/2026, Día cívico');
    expect((await store.listRulePacks(1))[0]).toMatchObject({ version: '2026.2', reason: 'Festivo añadido: Día cívico (miércoles 09/12/2026)' });

    expect(await run('remove-holiday', '2026-12-09', '--by', 'admin')).toBe(0);
    expect(await run('remove-holiday', '08/12/2026', '--by', 'admin', '--version', '2026.10')).toBe(0);
    expect(out).toContain('  Festivo calculado suprimido: martes 08/12/2026 (Día de la Inmaculada Concepción)');
    const [current] = await store.listRulePacks(1);
    expect(current!.version).toBe('2026.10');
    expect(current!.pack.calendarCorrections).toEqual({ add: [], remove: ['2026-12-08'] });
  });

  it('lists the history with its changes', async () => {
    await run('block-date', '07/12/2026', '--reason', 'Decreto de duelo nacional', '--by', 'admin');
    out.length = 0;
    expect(await run('history')).toBe(0);
    expect(out).toEqual([
      '2 versiones publicadas (horas de Bogotá), la vigente primero:',
      '2026.2  (vigente)',
      '  Publicado: 04/12/2026 09:00 por admin (Ana Ruiz)',
      '  Origen: administrador',
      '  Motivo: Decreto de duelo nacional',
      '  Fecha bloqueada añadida: lunes 07/12/2026',
      '2026.1',
      '  Publicado: 04/12/2026 09:00',
      '  Origen: archivo de fábrica resources/rule-pack.json',
    ]);
  });

  it('publishes a file and names its invalid fields', async () => {
    const good = join(dir.path, 'paquete.json');
    writeFileSync(good, JSON.stringify({ ...(await store.listRulePacks(1))[0]!.pack, version: '2026.5', lastDialMarginMinutes: 15 }));
    expect(await run('publish', good, '--by', 'admin', '--reason', 'Más margen')).toBe(0);
    expect(out).toContain('  Aviso antes del cierre de la franja: 10 → 15 minutos');

    const bad = join(dir.path, 'malo.json');
    writeFileSync(bad, JSON.stringify({ version: '2026.6', countsAsContact: 'todo', lastDialMarginMinutes: 15, extraBlockedDates: [], calendarCorrections: { add: [], remove: ['2026-12-09'] } }));
    expect(await run('publish', bad, '--by', 'admin')).toBe(1);
    expect(err.join('\n')).toMatch(/countsAsContact debe ser uno de/);
    expect(await currentVersion()).toBe('2026.5');
  });

  it.each([
    { name: 'an invalid date', args: ['block-date', '31/02/2026', '--reason', 'x', '--by', 'admin'], error: 'Fecha inválida: "31/02/2026". Use dd/mm/aaaa (07/12/2026) o AAAA-MM-DD (2026-12-07) con un día que exista.' },
    { name: 'a date out of range', args: ['block-date', '01/01/1900', '--reason', 'x', '--by', 'admin'], error: 'Fecha fuera de rango: "01/01/1900". El control evalúa los años 1984 a 9997.' },
    { name: 'no --by', args: ['block-date', '07/12/2026', '--reason', 'x'], error: /^Falta --by USUARIO/ },
    { name: 'no --reason for a block', args: ['block-date', '07/12/2026', '--by', 'admin'], error: /^Falta --reason TEXTO/ },
    { name: 'no --name for a holiday', args: ['add-holiday', '07/12/2026', '--by', 'admin'], error: /^Falta --name TEXTO/ },
    { name: 'a team lead in --by', args: ['block-date', '07/12/2026', '--reason', 'x', '--by', 'supervisor1'], error: 'El usuario "supervisor1" no es administrador (rol team-lead): solo un administrador puede cambiar el paquete de reglas.' },
    { name: 'an unknown user in --by', args: ['block-date', '07/12/2026', '--reason', 'x', '--by', 'nadie'], error: 'El usuario "nadie" no existe. Indique en --by el usuario de un administrador.' },
    { name: 'a holiday that already is one', args: ['add-holiday', '25/12/2026', '--name', 'Navidad', '--by', 'admin'], error: 'El viernes 25/12/2026 ya es festivo (Navidad): no hay nada que añadir.' },
    { name: 'an unknown option', args: ['show', '--formato', 'x'], error: /^Opciones inválidas para rule-pack show/ },
    { name: 'an unknown subcommand', args: ['borrar'], error: 'Subcomando desconocido: "borrar". Use uno de: show, history, publish, block-date, add-holiday, remove-holiday.' },
  ])('rejects $name', async ({ args, error }) => {
    expect(await run(...args)).toBe(1);
    if (typeof error === 'string') expect(err[0]).toBe(error);
    else expect(err[0]).toMatch(error);
    expect(await currentVersion()).toBe('2026.1');
  });

  it('runs from npm run server', async () => {
    await store.close();
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'rule-pack', 'block-date', '07/12/2026', '--reason', 'Duelo', '--by', 'admin', '--db', dbPath], {
        cwd: REPO_ROOT,
        env: { ...process.env, GESTIONA_LOG_LEVEL: 'silent' },
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout }));
    });
    store = await openStore({ dbPath, logger: createLogger({ level: 'silent' }) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Paquete de reglas 2026\.\d+ publicado el /);
    expect((await store.listRulePacks(1))[0]!.pack.extraBlockedDates).toEqual(['2026-12-07']);
  });
});
