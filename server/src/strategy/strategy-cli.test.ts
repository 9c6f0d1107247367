import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatCop } from '@gestiona/core/format';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import { loadResources } from '../content/load-resources.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import { defaultStrategySet } from './default-strategy.ts';
import { strategyCommand } from './strategy-cli.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');

describe('strategy command', () => {
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
    const rows = [
      portfolioRow({ numero_documento: '10000001', numero_obligacion: 'O-1', dias_mora: '15' }),
      portfolioRow({ numero_documento: '10000002', numero_obligacion: 'O-2', dias_mora: '200' }),
    ];
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
    out = [];
    err = [];
  });

  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  const run = (...args: string[]) => strategyCommand(args, { withStore: (_values, work) => work(store), out: (line) => out.push(line), err: (line) => err.push(line), now: () => NOW });

  function writeSet(mutate: (set: StrategySet) => void): string {
    const set = structuredClone(defaultStrategySet());
    mutate(set);
    const file = join(dir.path, 'estrategia.json');
    writeFileSync(file, JSON.stringify(set));
    return file;
  }

  /** Everything after Temprana goes to one catch-all "Cobranza" segment. */
  const merged = (version: string) =>
    writeSet((set) => {
      set.version = version;
      set.segments = [set.segments[0]!, set.segments[1]!, { ...set.segments[4]!, id: 'cobranza', name: 'Cobranza' }];
    });

  it('shows the set in force, segment by segment', async () => {
    expect(await run('show')).toBe(0);
    expect(out[0]).toBe('Estrategia vigente: 2026.1 (horas de Bogotá)');
    expect(out).toContain('  1. Preventiva (preventiva): Sin mora (0 días o cuota por vencer) y sin obligaciones castigadas');
    expect(out.some((line) => line.includes('Guion: guion-media'))).toBe(true);
    // The factory set was published before the import, so its stored counts are 0; today's are not.
    expect(out).toContain('  Al publicarse aún no había deudores que segmentar.');
    expect(out).not.toContain('  Deudores segmentados: 0; cambiaron de segmento: 0');
    const counts = out.slice(out.indexOf('  Deudores por segmento ahora: 2 en total'));
    expect(counts.slice(0, 6)).toEqual([
      '  Deudores por segmento ahora: 2 en total',
      '     Preventiva: 0',
      '     Temprana: 1',
      '     Media: 0',
      '     Tardía: 0',
      '     Castigada: 1',
    ]);
    out = [];
    expect(await run('show', '--json')).toBe(0);
    expect(JSON.parse(out.join('\n'))).toEqual(defaultStrategySet());
  });

  it('previews without storing, then publishes for an administrator', async () => {
    const file = merged('2026.2');
    expect(await run('preview', file)).toBe(0);
    expect(out).toEqual(['Estrategia 2026.2: 2 deudores; 1 cambiarían de segmento y 1 de segmento, tratamiento, prioridad o guion.', '  Castigada → Cobranza: 1', '  Temprana: 1 se quedan']);
    expect(await store.listStrategies()).toHaveLength(1);

    out = [];
    expect(await run('publish', file)).toBe(1);
    expect(err.at(-1)).toMatch(/^Falta --by USUARIO/);
    expect(await run('publish', file, '--by', 'supervisor1')).toBe(1);
    expect(err.at(-1)).toMatch(/no es administrador/);
    expect(await run('publish', file, '--by', 'admin', '--reason', 'Unificar cobranza')).toBe(0);
    expect(out[0]).toBe('Estrategia 2026.2 publicada (reemplaza a 2026.1).');

    out = [];
    expect(await run('history')).toBe(0);
    expect(out[0]).toBe('2 versiones publicadas (horas de Bogotá), la vigente primero:');
    expect(out).toContain('  Motivo: Unificar cobranza');
    expect(out).toContain('  Al publicarse segmentó 2 deudores; 1 cambiaron de segmento respecto de la versión anterior.');
  });

  it('names the segment and field of an invalid file, and publishes nothing', async () => {
    const file = writeSet((set) => {
      set.version = '2026.3';
      set.segments.pop();
    });
    expect(await run('publish', file, '--by', 'admin')).toBe(1);
    expect(err.at(-1)).toMatch(/^Estrategia inválida: segmento "Tardía": el último segmento debe recoger a todos los deudores restantes/);
    expect(await store.listStrategies()).toHaveLength(1);
  });

  it('prints results per segment and treatment, also as CSV', async () => {
    expect(await run('results')).toBe(0);
    expect(out).toContain(`Temprana · sin división: 1 deudores, 0 contactos, 0 con titular o codeudor, 0 promesas por ${formatCop(0)}`);
    out = [];
    expect(await run('results', '--csv')).toBe(0);
    expect(out.join('\n').split('\r\n')[0]).toBe('\uFEFFSegmento;Tratamiento;Deudores;Contactos;Contactos con titular o codeudor;Promesas;Valor prometido (COP)');
  });
});
