import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import type { ServerStore } from '../store/types.ts';
import { readBoard } from './board-route.ts';

const NOW = new Date('2026-12-07T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';
const MAX_TEAMS = 3;

/** Teams of one run: each agent's team index (null: left in "General"), and the indexes the lead leads. */
const layoutArbitrary = fc.record({
  teams: fc.integer({ min: 1, max: MAX_TEAMS }),
  agentTeams: fc.array(fc.option(fc.integer({ min: 0, max: MAX_TEAMS - 1 }), { nil: null }), { minLength: 1, maxLength: 4 }),
  ledTeams: fc.uniqueArray(fc.integer({ min: 0, max: MAX_TEAMS - 1 }), { maxLength: MAX_TEAMS }),
});

describe.each(BACKEND_NAMES)('board of a team lead on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let run = 0;

  beforeAll(async () => {
    store = await backend.openStore(await backend.createDatabase());
  });
  afterAll(async () => {
    await store.close();
  });

  it('never lists an agent outside the lead\'s teams', async () => {
    await fc.assert(
      fc.asyncProperty(layoutArbitrary, async ({ teams, agentTeams, ledTeams }) => {
        run += 1;
        // Every run adds its own teams and users to the same database, so earlier runs are the other teams' agents.
        const teamNames = Array.from({ length: teams }, (_, index) => `Equipo ${run}-${index}`);
        for (const name of teamNames) await store.createTeam(name, NOW);

        const expected: string[] = [];
        for (const [index, teamIndex] of agentTeams.entries()) {
          const team = teamIndex === null ? undefined : teamNames[teamIndex % teams];
          const agent = await store.createUser({ username: `agente-${run}-${index}`, fullName: `Agente ${run}-${index}`, role: 'agent', password: PASSWORD, team }, NOW);
          await store.workstationConnected(`ws-${agent.username}`, agent.id, NOW);
          if (team !== undefined && ledTeams.some((led) => teamNames[led % teams] === team)) expected.push(agent.username);
        }

        // The lead starts at the head of a team of their own with no agents, so only `ledTeams` adds agents.
        const ownTeam = `Sin agentes ${run}`;
        await store.createTeam(ownTeam, NOW);
        const lead = await store.createUser({ username: `lider-${run}`, fullName: `Líder ${run}`, role: 'team-lead', password: PASSWORD, team: ownTeam }, NOW);
        for (const led of ledTeams) await store.addTeamLead(lead.username, teamNames[led % teams]!);

        const board = await readBoard(store, NOW, lead.id);
        expect(board.agents.map((agent) => agent.username).sort()).toEqual(expected.sort());
        expect(board.workstations.map((row) => row.workstationId).sort()).toEqual(expected.map((username) => `ws-${username}`).sort());
      }),
      { numRuns: 12 },
    );
  });

  it('names the lead on their own workstation row', async () => {
    await store.createTeam('Equipo propio', NOW);
    const lead = await store.createUser({ username: 'lider-propio', fullName: 'Carlos Andrés Gómez', role: 'team-lead', password: PASSWORD, team: 'Equipo propio' }, NOW);
    await store.addTeamLead(lead.username, 'Equipo propio');
    await store.workstationConnected('ws-lider-propio', lead.id, NOW);

    const board = await readBoard(store, NOW, lead.id);
    expect(board.workstations.find((row) => row.workstationId === 'ws-lider-propio')?.userName).toBe('Carlos Andrés Gómez');
    expect(board.agents.map((agent) => agent.username)).not.toContain('lider-propio');
  });
});
