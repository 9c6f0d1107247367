/**
 * Teams and their membership: an agent belongs to at most one team, a team lead leads any number
 * of teams. The scope queries here are what every team-lead route and hint filters by.
 */
import { randomUUID } from 'node:crypto';
import type { SqlConnection } from './sql.ts';

/** The team that migration 012 creates and that `users add` uses when no team is named. */
export const DEFAULT_TEAM_NAME = 'General';

export interface Team {
  id: string;
  name: string;
}

/** A team with the usernames of its agents and of its leads, each sorted. */
export interface TeamSummary extends Team {
  agents: string[];
  leads: string[];
}

/**
 * The ids of the agents in the teams that one team lead leads; its one parameter is the lead's
 * user id. Used as `agent_id IN (${LED_AGENT_IDS_SQL})`, so the scope is read in the same
 * statement as the rows it filters.
 */
export const LED_AGENT_IDS_SQL = `SELECT team_members.user_id FROM team_members
  JOIN team_leads ON team_leads.team_id = team_members.team_id
  WHERE team_leads.user_id = ?`;

export class TeamsTable {
  constructor(private readonly sql: SqlConnection) {}

  async create(name: string, now: Date): Promise<Team> {
    const id = randomUUID();
    await this.sql.run('INSERT INTO teams (id, name, created_at) VALUES (?, ?, ?)', [id, name, now.toISOString()]);
    return { id, name };
  }

  async byName(name: string): Promise<Team | null> {
    return (await this.sql.get<Team>('SELECT id, name FROM teams WHERE name = ?', [name])) ?? null;
  }

  async list(): Promise<TeamSummary[]> {
    const teams = await this.sql.all<Team>('SELECT id, name FROM teams ORDER BY name');
    const members = await this.sql.all<{ team_id: string; username: string }>(
      'SELECT team_members.team_id, users.username FROM team_members JOIN users ON users.id = team_members.user_id ORDER BY users.username',
    );
    const leads = await this.sql.all<{ team_id: string; username: string }>(
      'SELECT team_leads.team_id, users.username FROM team_leads JOIN users ON users.id = team_leads.user_id ORDER BY users.username',
    );
    return teams.map((team) => ({
      id: team.id,
      name: team.name,
      agents: members.filter((row) => row.team_id === team.id).map((row) => row.username),
      leads: leads.filter((row) => row.team_id === team.id).map((row) => row.username),
    }));
  }

  /** Puts the agent in the team, moving them out of their previous one. */
  async setMember(userId: string, teamId: string): Promise<void> {
    await this.sql.run('INSERT INTO team_members (user_id, team_id) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET team_id = excluded.team_id', [
      userId,
      teamId,
    ]);
  }

  /** Makes the user a lead of the team; leading it already changes nothing. */
  async addLead(userId: string, teamId: string): Promise<void> {
    await this.sql.run('INSERT INTO team_leads (user_id, team_id) VALUES (?, ?) ON CONFLICT (user_id, team_id) DO NOTHING', [userId, teamId]);
  }

  /** Returns false when the user did not lead the team. */
  async removeLead(userId: string, teamId: string): Promise<boolean> {
    return (await this.sql.run('DELETE FROM team_leads WHERE user_id = ? AND team_id = ?', [userId, teamId])) === 1;
  }

  async teamIdsLedBy(userId: string): Promise<string[]> {
    const rows = await this.sql.all<{ team_id: string }>('SELECT team_id FROM team_leads WHERE user_id = ? ORDER BY team_id', [userId]);
    return rows.map((row) => row.team_id);
  }

  /** Returns the teams of the given agents, each once; agents without a team add nothing. */
  async teamIdsOfAgents(agentIds: readonly string[]): Promise<string[]> {
    if (agentIds.length === 0) return [];
    const placeholders = agentIds.map(() => '?').join(', ');
    const rows = await this.sql.all<{ team_id: string }>(
      `SELECT DISTINCT team_id FROM team_members WHERE user_id IN (${placeholders}) ORDER BY team_id`,
      [...agentIds],
    );
    return rows.map((row) => row.team_id);
  }

  /** Returns whether the alarm was raised for an agent of a team that the user leads. */
  async isAlarmLedBy(alarmId: number, leadId: string): Promise<boolean> {
    const row = await this.sql.get(`SELECT id FROM alarms WHERE id = ? AND agent_id IN (${LED_AGENT_IDS_SQL})`, [alarmId, leadId]);
    return row !== undefined;
  }

  /** Returns whether the debtor is or was leased to an agent of a team that the user leads. */
  async isDebtorLedBy(debtorId: string, leadId: string): Promise<boolean> {
    const row = await this.sql.get(`SELECT id FROM leases WHERE debtor_id = ? AND agent_id IN (${LED_AGENT_IDS_SQL}) LIMIT 1`, [debtorId, leadId]);
    return row !== undefined;
  }
}
