/**
 * Demo data: fixed accounts with documented passwords, two teams, the sample portfolio and leases
 * for every debtor. Running it again changes nothing that is already there.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Role } from '@gestiona/core/sync';
import type { ServerStore } from './store/types.ts';

export interface DemoUser {
  username: string;
  password: string;
  role: Role;
  fullName: string;
}

/** Demo-only credentials, printed by `serve --seed-demo` and listed in server/README.md. Never use them in production. */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'agente1', password: 'demo-agente1', role: 'agent', fullName: 'Ana María Peña' },
  { username: 'agente2', password: 'demo-agente2', role: 'agent', fullName: 'Julián Muñoz Báez' },
  { username: 'agente3', password: 'demo-agente3', role: 'agent', fullName: 'Sofía Ñáñez Ortiz' },
  { username: 'supervisor1', password: 'demo-supervisor1', role: 'team-lead', fullName: 'Carlos Andrés Gómez' },
  { username: 'supervisor2', password: 'demo-supervisor2', role: 'team-lead', fullName: 'Diana Marcela Rojas' },
  { username: 'admin', password: 'demo-admin1', role: 'admin', fullName: 'Administración Gestiona' },
];

export interface DemoTeam {
  name: string;
  agents: readonly string[];
  leads: readonly string[];
}

/** supervisor1 leads both teams, so the demo shows every agent to one team lead; supervisor2 shows a single team. */
export const DEMO_TEAMS: readonly DemoTeam[] = [
  { name: 'Equipo Norte', agents: ['agente1', 'agente2'], leads: ['supervisor1'] },
  { name: 'Equipo Sur', agents: ['agente3'], leads: ['supervisor1', 'supervisor2'] },
];

export async function seedDemo(
  store: ServerStore,
  options: { portfolioFile: string; now: Date },
): Promise<{ users: DemoUser[] }> {
  const existingTeams = new Set((await store.listTeams()).map((team) => team.name));
  for (const team of DEMO_TEAMS) {
    if (!existingTeams.has(team.name)) await store.createTeam(team.name, options.now);
  }
  for (const user of DEMO_USERS) {
    if (await store.findUserByUsername(user.username)) continue;
    // Teams are set only for a user created now, so that a second run keeps any later change.
    const teams = DEMO_TEAMS.filter((team) => team.agents.includes(user.username) || team.leads.includes(user.username)).map((team) => team.name);
    await store.createUser({ ...user, team: teams[0] }, options.now);
    for (const team of teams.slice(1)) await store.addTeamLead(user.username, team);
  }

  const bytes = await readFile(options.portfolioFile);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const imported = (await store.listImports()).some((record) => record.sha256 === sha256);
  if (!imported) {
    await store.importPortfolio({ fileName: basename(options.portfolioFile), bytes, importedBy: 'demo-seed', now: options.now });
  }

  await store.leaseUnassigned(options.now);
  return { users: DEMO_USERS.map((user) => ({ ...user })) };
}
