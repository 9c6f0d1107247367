import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '@gestiona/core/catalog';
import { loadResources } from '../content/load-resources.ts';
import { interactionEvent } from '../fixtures/events.ts';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';
import { openStore } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';
import { catalogCommand } from './catalog-cli.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const DEBTOR = 'CC-1020304050';

describe('catalog and holds commands', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: ServerStore;
  let out: string[];
  let err: string[];
  let factory: Catalog;

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ dbPath: join(dir.path, 'server.sqlite'), logger: createLogger({ level: 'silent' }) });
    const content = await loadResources(DEFAULT_RESOURCES_DIR);
    factory = content.find((item) => item.key === 'catalog')!.entry.payload as Catalog;
    await store.publishContent(content, NOW);
    await store.createUser({ username: 'admin', fullName: 'Ana Ruiz', role: 'admin', password: 'clave-segura-1' }, NOW);
    await store.createUser({ username: 'supervisor1', fullName: 'Julián Muñoz', role: 'team-lead', password: 'clave-segura-1' }, NOW);
    out = [];
    err = [];
  });

  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  const run = (command: 'catalog' | 'holds', ...args: string[]) =>
    catalogCommand(command, args, { withStore: (_values, work) => work(store), out: (line) => out.push(line), err: (line) => err.push(line), now: () => NOW });
  const file = (catalog: unknown) => {
    const path = join(dir.path, `catalog-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify(catalog));
    return path;
  };

  it('shows the catalog in force as a tree', async () => {
    expect(await run('catalog', 'show')).toBe(0);
    expect(out[0]).toBe(`Catálogo de tipificación vigente: ${factory.version} (publicado el 04/12/2026 09:00 por archivo de fábrica)`);
    expect(out).toContain('  1. Contacto directo');
    expect(out).toContain('     RC Reclamación o disputa · Contacto con el titular · campos: note*:text · efectos: Pausa el cobro (reclamación)');
    expect(out).toContain('  3. Sin contacto');
    expect(out.join('\n')).not.toMatch(/ · (two-way|third-party|attempt)\b/);
  });

  it('publishes a file for an administrator and lists the history with changes', async () => {
    const next = { ...factory, version: '2026.4', codes: factory.codes.map((code) => (code.code === 'BZ' ? { ...code, retired: true, shortcut: null } : code)) };
    expect(await run('catalog', 'publish', file(next), '--by', 'admin', '--reason', 'Retira buzón')).toBe(0);
    expect(out).toContain('  Retirado: BZ Buzón de voz (mensaje neutral)');
    out.length = 0;
    expect(await run('catalog', 'history')).toBe(0);
    expect(out.slice(0, 4)).toEqual([
      '2 versiones publicadas (horas de Bogotá), la vigente primero:',
      '2026.4  (vigente) · publicado el 04/12/2026 09:00 por admin',
      '  Motivo: Retira buzón',
      '  Retirado: BZ Buzón de voz (mensaje neutral)',
    ]);
  });

  it.each([
    { case: 'a team lead', args: (path: string) => [path, '--by', 'supervisor1'], message: 'El usuario "supervisor1" tiene el rol team-lead; esta acción es para: admin.' },
    { case: 'no --by', args: (path: string) => [path], message: 'Falta --by USUARIO' },
  ])('refuses to publish for $case', async ({ args, message }) => {
    expect(await run('catalog', 'publish', ...args(file({ ...factory, version: '2026.5' })))).toBe(1);
    expect(err.join('\n')).toContain(message);
  });

  it('refuses a catalog that deletes a code, naming it', async () => {
    const dropped = { ...factory, version: '2026.5', codes: factory.codes.filter((code) => code.code !== 'FS') };
    expect(await run('catalog', 'publish', file(dropped), '--by', 'admin')).toBe(1);
    expect(err.join('\n')).toContain('Código FS ("Fuera de servicio / inexistente"): ya se publicó y no se puede borrar');
    expect(err.join('\n')).toContain('Un código publicado nunca se borra, aunque nadie lo haya usado todavía, solo se retira.');
  });

  it('lists and lifts holds for a team lead', async () => {
    const agent = await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: 'clave-segura-1' }, NOW);
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv([portfolioRow()])), now: NOW });
    await store.grantLease(DEBTOR, agent.id, new Date('2026-12-04T08:00:00-05:00'));
    const event = interactionEvent(
      { agentId: agent.id, workstationId: 'ws-1', debtorId: DEBTOR, personId: DEBTOR, contactPointId: `${DEBTOR}/celular`, seq: 1, at: '2026-12-04T08:30:00-05:00' },
      { code: 'RC', kind: 'two-way' },
    );
    expect(await store.ingestEvent(event, { agentId: agent.id, workstationId: 'ws-1', receivedAt: NOW })).toEqual({ status: 'stored' });

    expect(await run('holds', 'list')).toBe(0);
    expect(out).toEqual([`${DEBTOR} (María José Peña Muñoz) · Cobro en pausa (reclamación) · código RC · desde 04/12/2026 08:30`]);
    // A person types the id as the screens show it: "CC 1020304050", in any case.
    const typed = ` ${DEBTOR.replace('-', ' ').toLowerCase()} `;
    out.length = 0;
    expect(await run('holds', 'list', '--debtor', typed)).toBe(0);
    expect(out).toHaveLength(1);
    out.length = 0;
    // --kind names the hold in the supervisor's words; a deceased hold is not there to lift.
    expect(await run('holds', 'lift', typed, '--by', 'supervisor1', '--reason', 'x', '--kind', 'muerto')).toBe(1);
    expect(err.at(-1)).toBe('--kind "muerto" no es un tipo de pausa. Use reclamacion o fallecido, o quite --kind para levantar todas.');
    expect(await run('holds', 'lift', typed, '--by', 'supervisor1', '--reason', 'x', '--kind', 'fallecido')).toBe(1);
    expect(err.at(-1)).toBe(`El deudor ${DEBTOR} no tiene ninguna pausa vigente de tipo titular fallecido.`);
    expect(await run('holds', 'lift', typed, '--by', 'supervisor1', '--reason', 'Reclamación resuelta', '--kind', 'Reclamación')).toBe(0);
    expect(out[0]).toBe('Pausa levantada:');
    expect(out[1]).toContain('levantada el 04/12/2026 09:00');
    out.length = 0;
    expect(await run('holds', 'list')).toBe(0);
    expect(out).toEqual(['No hay pausas de cobro vigentes.']);
    expect(await run('holds', 'lift', DEBTOR, '--by', 'supervisor1', '--reason', 'otra vez')).toBe(1);
    expect(err.at(-1)).toBe(`El deudor ${DEBTOR} no tiene ninguna pausa de cobro vigente.`);
  });
});
