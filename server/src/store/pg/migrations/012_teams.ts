import type { Migration } from '../../migrations/types.ts';

/**
 * Teams. An agent belongs to at most one team (`team_members.user_id` is the key) and a team lead
 * leads any number of teams. A team lead sees and acts on the agents of the teams they lead, an
 * administrator on every agent.
 *
 * Existing databases: every agent already stored joins the team "General", and every team lead
 * already stored leads it, so that a team lead keeps seeing the agents they saw before the upgrade.
 * A new database gets the same empty "General" team, which `users add` uses when no team is named.
 */
export const migration012: Migration = {
  version: 12,
  name: 'teams',
  sql: `
    CREATE TABLE teams (
      id text COLLATE "C" PRIMARY KEY,
      name text COLLATE "C" NOT NULL UNIQUE,
      created_at utc_instant NOT NULL
    );

    CREATE TABLE team_members (
      user_id text COLLATE "C" PRIMARY KEY REFERENCES users(id),
      team_id text COLLATE "C" NOT NULL REFERENCES teams(id)
    );
    CREATE INDEX team_members_by_team ON team_members (team_id);

    CREATE TABLE team_leads (
      user_id text COLLATE "C" NOT NULL REFERENCES users(id),
      team_id text COLLATE "C" NOT NULL REFERENCES teams(id),
      PRIMARY KEY (user_id, team_id)
    );

    INSERT INTO teams (id, name, created_at)
      VALUES ('general', 'General', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
    INSERT INTO team_members (user_id, team_id) SELECT id, 'general' FROM users WHERE role = 'agent';
    INSERT INTO team_leads (user_id, team_id) SELECT id, 'general' FROM users WHERE role = 'team-lead';
  `,
};
