import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Script } from '@gestiona/core/script';
import { loadResources } from '../content/load-resources.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import { openStore } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';
import { scriptsCommand } from './script-cli.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const FACTORY: Script = JSON.parse(readFileSync(join(DEFAULT_RESOURCES_DIR, 'scripts', 'guion-temprana.json'), 'utf8'));

describe('scripts command', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: ServerStore;
  let out: string[];
  let err: string[];

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ dbPath: join(dir.path, 'server.sqlite'), logger: createLogger({ level: 'silent' }) });
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

  const run = (...args: string[]) => scriptsCommand(args, { withStore: (_values, work) => work(store), out: (line) => out.push(line), err: (line) => err.push(line), now: () => NOW });

  function writeScript(script: unknown): string {
    const file = join(dir.path, 'guion.json');
    writeFileSync(file, JSON.stringify(script));
    return file;
  }

  it('lists the scripts in force', async () => {
    expect(await run('show')).toBe(0);
    expect(out[0]).toBe('5 guiones vigentes (horas de Bogotá):');
    expect(out).toContain(`  guion-temprana  versión ${FACTORY.version}  "${FACTORY.name}"  04/12/2026 09:00, archivo de fábrica (resources/scripts)`);
  });

  it('shows the steps of one script with where each answer leads', async () => {
    expect(await run('show', 'guion-temprana')).toBe(0);
    expect(out).toContain('  2. Verificación de identidad [Verificación de identidad, verificacion]');
    expect(out).toContain('       → Identidad confirmada: Motivo de la llamada (confirma la identidad)');
    expect(out).toContain('       → No es el titular o no confirma sus datos: Cierre con un tercero');
  });

  it('prints the script as JSON', async () => {
    expect(await run('show', 'guion-temprana', '--json')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual(FACTORY);
  });

  it('publishes a file and lists it in the history', async () => {
    const file = writeScript({ ...FACTORY, version: '2026.20' });
    expect(await run('publish', file, '--by', 'admin', '--reason', 'Revisión jurídica')).toBe(0);
    expect(out[0]).toBe(`Guion guion-temprana 2026.20 publicado el 04/12/2026 09:00 (hora de Bogotá) por admin; reemplaza la versión ${FACTORY.version}.`);

    out = [];
    expect(await run('history', 'guion-temprana')).toBe(0);
    expect(out).toEqual([
      'Guion guion-temprana: 2 versiones publicadas (horas de Bogotá), la vigente primero:',
      '2026.20  (vigente)',
      '  Publicado: 04/12/2026 09:00, Ana Ruiz (admin)',
      '  Motivo: Revisión jurídica',
      FACTORY.version,
      '  Publicado: 04/12/2026 09:00, archivo de fábrica (resources/scripts)',
    ]);
  });

  it('lists the problems by step and publishes nothing', async () => {
    const bad = { ...FACTORY, version: '2026.21', steps: FACTORY.steps.map((step) => (step.id === 'motivo' ? { ...step, text: '¿Por qué no ha pagado?' } : step)) };
    expect(await run('publish', writeScript(bad), '--by', 'admin')).toBe(1);
    expect(err[0]).toMatch(/^No se publicó el guion de ".*guion\.json": 1 problema\.$/);
    const title = FACTORY.steps.find((step) => step.id === 'motivo')!.title;
    expect(err[1]).toBe(`  paso motivo: Paso "${title}": no se puede preguntar por qué no pagó ("¿Por qué no ha pagado"); pregunte por alternativas de pago (R11).`);
    expect(await store.scriptHistory('guion-temprana')).toHaveLength(1);
  });

  it.each([
    [['publish', 'x.json'], 'Falta --by USUARIO'],
    [['history'], 'Indique el identificador del guion'],
    [['borrar'], 'Subcomando desconocido: "borrar"'],
  ])('explains %j', async (args, message) => {
    expect(await run(...args)).toBe(1);
    expect(err.join('\n')).toContain(message);
  });

  it('refuses a publisher who is not an administrator', async () => {
    expect(await run('publish', writeScript({ ...FACTORY, version: '2026.22' }), '--by', 'supervisor1')).toBe(1);
    expect(err).toEqual(['El usuario "supervisor1" no es administrador: solo un administrador puede publicar guiones.']);
  });
});
