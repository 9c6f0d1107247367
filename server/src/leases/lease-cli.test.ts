import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { portfolioCsv, portfolioRow, utf8 } from '../fixtures/portfolio.ts';
import { tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../store/open-store.ts';
import type { LeaseRunSummary, ServerStore } from '../store/types.ts';
import { leaseCommand, leaseSummaryLines } from './lease-cli.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const DEBTORS = 5;

describe('lease command', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: ServerStore;
  let out: string[];
  let err: string[];

  beforeEach(async () => {
    dir = tempDir();
    store = await openStore({ dbPath: join(dir.path, 'server.sqlite'), logger: createLogger({ level: 'silent' }) });
    for (const username of ['agente1', 'agente2']) await store.createUser({ username, fullName: `Agente ${username}`, role: 'agent', password: 'clave-segura-1' }, NOW);
    const rows = Array.from({ length: DEBTORS }, (_, index) => portfolioRow({ numero_documento: String(10_000_001 + index), numero_obligacion: `O-${index}` }));
    await store.importPortfolio({ fileName: 'cartera.csv', bytes: utf8(portfolioCsv(rows)), now: NOW });
    out = [];
    err = [];
  });

  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  const run = (...args: string[]) => leaseCommand(args, { withStore: (_values, work) => work(store), out: (line) => out.push(line), err: (line) => err.push(line), now: () => NOW });

  it('reports the debtors this run leased', async () => {
    expect(await run()).toBe(0);
    expect(out).toEqual([
      'Asignaciones vencidas cerradas: 0.',
      `Deudores asignados en esta ejecución: ${DEBTORS}.`,
      `Asignaciones vigentes por agente (${DEBTORS} en total):`,
      '  agente1: 3 deudores',
      '  agente2: 2 deudores',
    ]);
  });

  it('separates a run with nothing left from the open leases', async () => {
    // The demo seed leases every debtor before anyone runs the command.
    await store.leaseUnassigned(NOW);
    expect(await run()).toBe(0);
    expect(out).toEqual([
      'Asignaciones vencidas cerradas: 0.',
      'Deudores asignados en esta ejecución: 0.',
      'Ningún deudor estaba sin agente, así que esta ejecución no asignó ninguno.',
      `Asignaciones vigentes por agente (${DEBTORS} en total):`,
      '  agente1: 3 deudores',
      '  agente2: 2 deudores',
    ]);
    // The old summary printed "Deudores asignados: 0." next to per-agent counts that add up to more.
    expect(out.join('\n')).not.toMatch(/^Asignaciones vencidas cerradas: 0\. Deudores asignados: 0\.$/m);
  });

  it('rejects an unknown option', async () => {
    expect(await run('--dry-run')).toBe(1);
    expect(err[0]).toMatch(/^Opciones inválidas para lease: .*--dry-run.*Use lease --help\.$/);
  });
});

describe('lease summary lines', () => {
  it.each<{ case: string; summary: LeaseRunSummary; line: string }>([
    { case: 'a partial run', summary: { granted: 2, expired: 1, perAgent: { a1: 4, a2: 3 } }, line: 'Otros 5 deudores ya tenían una asignación vigente.' },
    { case: 'no agents', summary: { granted: 0, expired: 0, perAgent: {} }, line: 'No hay agentes activos: cree uno con "users add --role agent".' },
    { case: 'one debtor', summary: { granted: 1, expired: 0, perAgent: { a1: 1 } }, line: '  agente1: 1 deudor' },
  ])('words $case', ({ summary, line }) => {
    expect(leaseSummaryLines(summary, new Map([['a1', 'agente1'], ['a2', 'agente2']]))).toContain(line);
  });

  it('prints the total of open leases', () => {
    const lines = leaseSummaryLines({ granted: 3, expired: 0, perAgent: { a1: 4, a2: 3 } }, new Map());
    expect(lines).toContain('Asignaciones vigentes por agente (7 en total):');
  });
});
