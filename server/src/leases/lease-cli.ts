/**
 * `npm run server -- lease`: closes expired leases and leases the debtors without an agent. The
 * summary separates what this run did from the leases already open, because the demo seed
 * (`npm run demo`, `serve --seed-demo`) leases every debtor before anyone runs the command.
 */
import { parseArgs } from 'node:util';
import type { LeaseRunSummary, ServerStore } from '../store/types.ts';

export const LEASE_HELP = `  lease
      Cierra las asignaciones vencidas y asigna los deudores sin agente, repartidos por igual
      entre los agentes activos, en orden de prioridad (cada asignación dura 7 días).`;

export interface LeaseCliContext {
  /** Opens the database the options select, runs `work` and closes it; returns 1 after printing why the options are invalid. */
  withStore(values: { db?: string; 'database-url'?: string }, work: (store: ServerStore) => Promise<number>): Promise<number>;
  out(line: string): void;
  err(line: string): void;
  now(): Date;
}

/** Runs `lease`; exit code 0 done, 1 invalid options. */
export async function leaseCommand(args: readonly string[], context: LeaseCliContext): Promise<number> {
  let values: { db?: string; 'database-url'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: [...args], options: { db: { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean' } }, strict: true }));
  } catch (error) {
    context.err(`Opciones inválidas para lease: ${error instanceof Error ? error.message : String(error)}. Use lease --help.`);
    return 1;
  }
  if (values.help) {
    context.out(LEASE_HELP);
    return 0;
  }

  return context.withStore(values, async (store) => {
    const summary = await store.leaseUnassigned(context.now());
    const agents = new Map((await store.listUsers()).map((user) => [user.id, user.username]));
    for (const line of leaseSummaryLines(summary, agents)) context.out(line);
    return 0;
  });
}

/** Formats a lease run: what this run closed and granted, then the open leases per agent after it. */
export function leaseSummaryLines(summary: LeaseRunSummary, usernames: ReadonlyMap<string, string>): string[] {
  const lines = [`Asignaciones vencidas cerradas: ${summary.expired}.`, `Deudores asignados en esta ejecución: ${summary.granted}.`];
  const perAgent = Object.entries(summary.perAgent);
  if (perAgent.length === 0) {
    lines.push('No hay agentes activos: cree uno con "users add --role agent".');
    return lines;
  }
  const open = perAgent.reduce((sum, [, count]) => sum + count, 0);
  const before = open - summary.granted;
  if (summary.granted === 0 && open > 0) lines.push('Ningún deudor estaba sin agente, así que esta ejecución no asignó ninguno.');
  else if (before > 0) lines.push(`Otros ${before} deudores ya tenían una asignación vigente.`);
  lines.push(`Asignaciones vigentes por agente (${open} en total):`);
  for (const [agentId, count] of perAgent) lines.push(`  ${usernames.get(agentId) ?? agentId}: ${count} ${count === 1 ? 'deudor' : 'deudores'}`);
  return lines;
}
