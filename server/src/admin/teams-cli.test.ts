import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@gestiona/core/result';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { tempDir } from '../fixtures/server.ts';
import { openDatabase } from '../store/database.ts';
import type { ServerStore } from '../store/types.ts';
import { teamsCommand } from './teams-cli.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));
const NOW = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';

describe.each(BACKEND_NAMES)('teams command on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  let store: ServerStore;
  let out: string[];
  let err: string[];

  beforeAll(async () => {
    store = await backend.openStore(await backend.createDatabase());
    await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD }, NOW);
    await store.createUser({ username: 'supervisor1', fullName: 'Carlos Gómez', role: 'team-lead', password: PASSWORD }, NOW);
    await store.createUser({ username: 'admin', fullName: 'Admin Báez', role: 'admin', password: PASSWORD }, NOW);
  });
  afterAll(async () => {
    await store.close();
  });
  beforeEach(() => {
    out = [];
    err = [];
  });

  const run = (...args: string[]) => teamsCommand(args, { withStore: (_values, work) => work(store), out: (line) => out.push(line), err: (line) => err.push(line), now: () => NOW });

  it('adds a team, assigns an agent and a lead, and lists them', async () => {
    expect(await run('add', 'Equipo Norte')).toBe(0);
    expect(out).toEqual(['Equipo creado: Equipo Norte']);
    expect(await run('assign', 'agente1', 'Equipo Norte')).toBe(0);
    expect(await run('lead', 'supervisor1', 'Equipo Norte')).toBe(0);
    expect(out.slice(1)).toEqual([
      'El agente agente1 (Ana María Peña) ahora pertenece al equipo Equipo Norte.',
      'El supervisor supervisor1 (Carlos Gómez) ahora dirige el equipo Equipo Norte.',
    ]);

    out = [];
    expect(await run('list')).toBe(0);
    expect(out).toEqual([
      'Equipo Norte',
      '  Supervisores: supervisor1',
      '  Agentes (1): agente1',
      'General',
      '  Supervisores: supervisor1',
      '  Agentes (0): ninguno',
    ]);
  });

  it.each([
    { name: 'a taken team name', args: ['add', 'General'], error: 'El equipo "General" ya existe.' },
    { name: 'an empty team name', args: ['add', '  '], error: 'Nombre de equipo inválido: "  ". Escriba de 1 a 100 caracteres.' },
    { name: 'an unknown team', args: ['assign', 'agente1', 'Equipo Sur'], error: /^No existe el equipo "Equipo Sur" \(equipos: "Equipo Norte", "General"\)\. Créelo con "teams add NOMBRE"\.$/ },
    { name: 'an unknown user', args: ['assign', 'agente9', 'General'], error: 'No existe el usuario "agente9".' },
    { name: 'a team lead as a member', args: ['assign', 'supervisor1', 'General'], error: 'Solo un agente pertenece a un equipo; para un supervisor use "teams lead supervisor1 EQUIPO".' },
    { name: 'an agent as a lead', args: ['lead', 'agente1', 'General'], error: 'Solo un supervisor dirige un equipo; para un agente use "teams assign agente1 EQUIPO".' },
    { name: 'an administrator as a lead', args: ['lead', 'admin', 'General'], error: 'Solo un supervisor dirige un equipo; para un agente use "teams assign admin EQUIPO".' },
  ])('rejects $name', async ({ args, error }) => {
    const failure = await run(...args).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(AppError);
    if (typeof error === 'string') expect((failure as AppError).message).toBe(error);
    else expect((failure as AppError).message).toMatch(error);
  });

  it.each([
    { args: ['add'], error: 'Indique el nombre del equipo: teams add "Equipo Norte".' },
    { args: ['assign', 'agente1'], error: 'Indique el usuario y el equipo: teams assign USUARIO "NOMBRE DEL EQUIPO".' },
    { args: ['borrar'], error: 'Subcomando desconocido: "borrar".' },
  ])('prints usage for $args', async ({ args, error }) => {
    expect(await run(...args)).toBe(1);
    expect(err[0]).toMatch(new RegExp(`^${error.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} Use: npm run server -- teams add NOMBRE`));
  });

  it('ends the lead of one team only', async () => {
    expect(await run('unlead', 'supervisor1', 'General')).toBe(0);
    expect(out).toEqual(['El supervisor supervisor1 (Carlos Gómez) ya no dirige el equipo General.']);
    const teams = await store.listTeams();
    expect(teams.find((team) => team.name === 'General')?.leads).toEqual([]);
    expect(teams.find((team) => team.name === 'Equipo Norte')?.leads).toEqual(['supervisor1']);
    await expect(run('unlead', 'supervisor1', 'General')).rejects.toThrow('El supervisor supervisor1 no dirige el equipo General.');
  });

  it('moves an agent out of their previous team', async () => {
    await store.createTeam('Equipo Sur', NOW);
    expect(await run('assign', 'agente1', 'Equipo Sur')).toBe(0);
    const teams = await store.listTeams();
    expect(teams.find((team) => team.name === 'Equipo Norte')?.agents).toEqual([]);
    expect(teams.find((team) => team.name === 'Equipo Sur')?.agents).toEqual(['agente1']);
  });

  it('refuses a team for an administrator in users add', async () => {
    await expect(store.createUser({ username: 'admin2', fullName: 'Admin Dos', role: 'admin', password: PASSWORD, team: 'General' }, NOW)).rejects.toThrow(
      'Un administrador ve todos los equipos: quite --team "General".',
    );
    expect(await store.findUserByUsername('admin2')).toBeNull();
  });
});

describe('teams and users add from npm run server', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
    // Commands other than serve, import and users add need an existing database.
    openDatabase(join(dir.path, 'server.sqlite')).db.close();
  });
  afterAll(() => dir.remove());

  const cli = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args, '--db', join(dir.path, 'server.sqlite')], {
        cwd: REPO_ROOT,
        env: { ...process.env, GESTIONA_LOG_LEVEL: 'silent' },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('creates a team and an agent in it', async () => {
    expect((await cli('teams', 'add', 'Equipo Sur')).stdout).toBe('Equipo creado: Equipo Sur\n');
    const added = await cli('users', 'add', '--username', 'agente3', '--name', 'Sofía Ñáñez', '--role', 'agent', '--password', PASSWORD, '--team', 'Equipo Sur');
    expect(added.code).toBe(0);
    expect(added.stdout).toBe('Usuario creado: agente3 (agent) — Sofía Ñáñez\n  Equipo: Equipo Sur\n');

    const unknown = await cli('users', 'add', '--username', 'agente4', '--name', 'Luz Ospina', '--role', 'agent', '--password', PASSWORD, '--team', 'Equipo Este');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('No existe el equipo "Equipo Este" (equipos: "Equipo Sur", "General"). Créelo con "teams add NOMBRE".\n');

    const listed = await cli('teams', 'list');
    expect(listed.stdout).toBe('Equipo Sur\n  Supervisores: ninguno\n  Agentes (1): agente3\nGeneral\n  Supervisores: ninguno\n  Agentes (0): ninguno\n');
  });
});
