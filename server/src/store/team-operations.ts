/** Team writes with their checks; each runs inside one store transaction. */
import { AppError } from '@gestiona/core/result';
import type { Role, User } from '@gestiona/core/sync';
import type { Tables } from './tables.ts';
import { DEFAULT_TEAM_NAME, type Team } from './teams.ts';

export const MAX_TEAM_NAME_LENGTH = 100;

/** Trims and NFC-normalises a team name, rejecting an empty or overlong one. */
export function normalizeTeamName(name: string): string {
  const normalized = name.normalize('NFC').trim();
  if (normalized.length === 0 || normalized.length > MAX_TEAM_NAME_LENGTH) {
    throw new AppError('invalid-input', `Nombre de equipo inválido: "${name}". Escriba de 1 a ${MAX_TEAM_NAME_LENGTH} caracteres.`);
  }
  return normalized;
}

export async function createTeam(tables: Tables, name: string, now: Date): Promise<Team> {
  const normalized = normalizeTeamName(name);
  if (await tables.teams.byName(normalized)) throw new AppError('conflict', `El equipo "${normalized}" ya existe.`);
  return tables.teams.create(normalized, now);
}

/** Puts an agent in a team (moving them out of their previous one); returns the agent and the team. */
export async function assignAgent(tables: Tables, username: string, teamName: string): Promise<{ user: User; team: Team }> {
  const user = await userWithRole(tables, username, 'agent', `Solo un agente pertenece a un equipo; para un supervisor use "teams lead ${username} EQUIPO".`);
  const team = await existingTeam(tables, teamName);
  await tables.teams.setMember(user.id, team.id);
  return { user, team };
}

/** Makes a team lead lead one more team; returns the lead and the team. */
export async function addLead(tables: Tables, username: string, teamName: string): Promise<{ user: User; team: Team }> {
  const user = await userWithRole(tables, username, 'team-lead', `Solo un supervisor dirige un equipo; para un agente use "teams assign ${username} EQUIPO".`);
  const team = await existingTeam(tables, teamName);
  await tables.teams.addLead(user.id, team.id);
  return { user, team };
}

/** Ends a team lead's lead of one team; `not-found` when they did not lead it. */
export async function removeLead(tables: Tables, username: string, teamName: string): Promise<{ user: User; team: Team }> {
  const user = await userWithRole(tables, username, 'team-lead', `El usuario "${username}" no es supervisor: no dirige equipos.`);
  const team = await existingTeam(tables, teamName);
  if (!(await tables.teams.removeLead(user.id, team.id))) throw new AppError('not-found', `El supervisor ${user.username} no dirige el equipo ${team.name}.`);
  return { user, team };
}

/**
 * Places a new user in a team: an agent joins it, a team lead leads it, each in "General" when no
 * team is named. An administrator sees every team, so naming one for them is an error.
 */
export async function placeNewUser(tables: Tables, user: User, teamName: string | undefined): Promise<void> {
  if (user.role === 'admin') {
    if (teamName !== undefined) throw new AppError('invalid-input', `Un administrador ve todos los equipos: quite --team "${teamName}".`);
    return;
  }
  const team = await existingTeam(tables, teamName ?? DEFAULT_TEAM_NAME);
  if (user.role === 'agent') await tables.teams.setMember(user.id, team.id);
  else await tables.teams.addLead(user.id, team.id);
}

async function existingTeam(tables: Tables, name: string): Promise<Team> {
  const normalized = normalizeTeamName(name);
  const team = await tables.teams.byName(normalized);
  if (team) return team;
  const names = (await tables.teams.list()).map((item) => `"${item.name}"`);
  const known = names.length === 0 ? 'no hay equipos' : `equipos: ${names.join(', ')}`;
  throw new AppError('not-found', `No existe el equipo "${normalized}" (${known}). Créelo con "teams add NOMBRE".`);
}

async function userWithRole(tables: Tables, username: string, role: Role, wrongRoleMessage: string): Promise<User> {
  const user = await tables.users.findByUsername(username.trim().toLowerCase());
  if (!user) throw new AppError('not-found', `No existe el usuario "${username}".`);
  if (user.role !== role) throw new AppError('invalid-input', wrongRoleMessage);
  return user;
}
