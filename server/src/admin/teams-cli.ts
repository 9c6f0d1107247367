/**
 * `npm run server -- teams …`: create teams, list them, put an agent in a team and make a team
 * lead lead one. Output is Spanish. Like `users`, it writes to the database directly, so a running
 * server applies the change to the next request, and to socket hints after the lead reconnects.
 */
import { parseArgs } from 'node:util';
import type { RulePackCliContext } from './rule-pack-cli.ts';

export const TEAMS_USAGE =
  'Use: npm run server -- teams add NOMBRE, teams list, teams assign USUARIO EQUIPO, teams lead USUARIO EQUIPO o teams unlead USUARIO EQUIPO.';

export const TEAMS_HELP = `  teams add NOMBRE
      Crea un equipo.
  teams list
      Lista los equipos con sus agentes y sus supervisores.
  teams assign USUARIO EQUIPO
      Pasa a un agente a EQUIPO (un agente pertenece a un solo equipo).
  teams lead USUARIO EQUIPO
      Hace que un supervisor dirija EQUIPO, además de los que ya dirige.
  teams unlead USUARIO EQUIPO
      Hace que un supervisor deje de dirigir EQUIPO. Las conexiones ya abiertas siguen
      recibiendo los avisos de alarma de ese equipo hasta su próxima reconexión.
      Un supervisor ve y atiende solo a los agentes de sus equipos; un administrador, a todos.
      Escriba entre comillas los nombres con espacios: teams lead supervisor2 "Equipo Sur".`;

/** Dependencies of the command on the command line that runs it. */
export type TeamsCliContext = RulePackCliContext;

const OPTIONS = { db: { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean' } } as const;

/** Runs one `teams` subcommand and returns the exit code; store errors (`AppError`) propagate to the caller. */
export async function teamsCommand(args: string[], context: TeamsCliContext): Promise<number> {
  const [subcommand, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: OPTIONS });
  if (values.help) {
    context.out(TEAMS_HELP);
    return 0;
  }

  switch (subcommand) {
    case 'add': {
      if (positionals.length !== 1) return usage(context, 'Indique el nombre del equipo: teams add "Equipo Norte".');
      return context.withStore(values, async (store) => {
        const team = await store.createTeam(positionals[0]!, context.now());
        context.out(`Equipo creado: ${team.name}`);
        return 0;
      });
    }
    case 'list':
      if (positionals.length !== 0) return usage(context, 'teams list no recibe argumentos.');
      return context.withStore(values, async (store) => {
        const teams = await store.listTeams();
        if (teams.length === 0) context.out('No hay equipos: cree uno con "teams add NOMBRE".');
        for (const team of teams) {
          context.out(`${team.name}`);
          context.out(`  Supervisores: ${team.leads.length === 0 ? 'ninguno' : team.leads.join(', ')}`);
          context.out(`  Agentes (${team.agents.length}): ${team.agents.length === 0 ? 'ninguno' : team.agents.join(', ')}`);
        }
        return 0;
      });
    case 'assign':
    case 'lead':
    case 'unlead': {
      if (positionals.length !== 2) return usage(context, `Indique el usuario y el equipo: teams ${subcommand} USUARIO "NOMBRE DEL EQUIPO".`);
      const [username, teamName] = positionals as [string, string];
      return context.withStore(values, async (store) => {
        if (subcommand === 'assign') {
          const { user, team } = await store.assignAgentToTeam(username, teamName);
          context.out(`El agente ${user.username} (${user.fullName}) ahora pertenece al equipo ${team.name}.`);
        } else if (subcommand === 'lead') {
          const { user, team } = await store.addTeamLead(username, teamName);
          context.out(`El supervisor ${user.username} (${user.fullName}) ahora dirige el equipo ${team.name}.`);
        } else {
          const { user, team } = await store.removeTeamLead(username, teamName);
          context.out(`El supervisor ${user.username} (${user.fullName}) ya no dirige el equipo ${team.name}.`);
        }
        return 0;
      });
    }
    default:
      return usage(context, `Subcomando desconocido: "${subcommand ?? ''}".`);
  }
}

function usage(context: TeamsCliContext, problem: string): number {
  context.err(`${problem} ${TEAMS_USAGE}`);
  return 1;
}
