import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateDecisionSchema } from './types.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCommand(command: string, args: string[], stdin = '', env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** Runs the CLI the way `npm run compliance` does (tsx), without npm's own start-up cost. */
function runCli(args: string[], stdin = '', env: Record<string, string> = {}): Promise<CliResult> {
  return runCommand(process.execPath, ['--import', 'tsx', CLI, ...args], stdin, env);
}

function evaluateRequest(at: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ at, channel: 'voice', party: 'debtor', authorized: true, history: [], ...extra });
}

const OFFICIAL_2026 = [
  '2026-01-01',
  '2026-01-12',
  '2026-03-23',
  '2026-04-02',
  '2026-04-03',
  '2026-05-01',
  '2026-05-18',
  '2026-06-08',
  '2026-06-15',
  '2026-06-29',
  '2026-07-13',
  '2026-07-20',
  '2026-08-07',
  '2026-08-17',
  '2026-10-12',
  '2026-11-02',
  '2026-11-16',
  '2026-12-08',
  '2026-12-25',
];

describe('compliance CLI', () => {
  let workDir = '';

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'compliance-cli-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('prints the 2026 calendar through npm run', async () => {
    const result = await runCommand('npm', ['run', '-s', 'compliance', '--', 'calendar', '2026']);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${OFFICIAL_2026.join('\n')}\n`);
  });

  it('prints a date with two holidays once', async () => {
    const result = await runCli(['calendar', '2025']);
    const lines = result.stdout.trim().split('\n');

    expect(lines.filter((line) => line === '2025-06-30')).toHaveLength(1);
    expect(lines).toHaveLength(17);
  });

  it('prints names with --names', async () => {
    const result = await runCli(['calendar', '2025', '--names']);
    expect(result.stdout).toContain('2025-06-30\tSagrado Corazón de Jesús\n2025-06-30\tSan Pedro y San Pablo\n');
  });

  it('blocks a Sunday', async () => {
    const result = await runCli(['evaluate'], evaluateRequest('2026-12-06T10:00:00-05:00'));
    const output = JSON.parse(result.stdout) as Record<string, unknown>;

    expect(result.code).toBe(0);
    expect(Object.keys(output).slice(0, 3)).toEqual(['allowed', 'rules', 'nextAllowedAt']);
    expect(output['allowed']).toBe(false);
    expect(output['rules']).toEqual(['R3']);
    expect(output['nextAllowedAt']).toBe('2026-12-07T07:00:00-05:00');
    expect(gateDecisionSchema.safeParse(output).success).toBe(true);
  });

  it('allows a weekday inside the window', async () => {
    const result = await runCli(['evaluate'], evaluateRequest('2026-12-09T15:00:00Z'));
    const output = JSON.parse(result.stdout) as Record<string, unknown>;

    expect(output['allowed']).toBe(true);
    expect(output['rules']).toEqual([]);
    expect(output['nextAllowedAt']).toBe('2026-12-09T10:00:00-05:00');
  });

  it('answers the same under TZ=Asia/Tokyo and TZ=UTC', async () => {
    // Saturday 15:00 in Bogotá (closed), with an SMS lock until Tuesday 8 December, a holiday.
    const request = evaluateRequest('2026-12-05T20:00:00Z', { history: [{ at: '2026-12-01T13:00:00Z', channel: 'sms', kind: 'attempt' }] });
    const tokyo = await runCli(['evaluate'], request, { TZ: 'Asia/Tokyo' });
    const utc = await runCli(['evaluate'], request, { TZ: 'UTC' });

    expect(tokyo.stdout).toBe(utc.stdout);
    expect(JSON.parse(tokyo.stdout)).toMatchObject({ allowed: false, rules: ['R2', 'R6'], nextAllowedAt: '2026-12-09T07:00:00-05:00' });
  });

  it('uses the rule pack given with --rule-pack', async () => {
    const packFile = join(workDir, 'pack.json');
    const pack = { version: 'cli-test', countsAsContact: 'every-attempt', lastDialMarginMinutes: 10, extraBlockedDates: ['2026-12-09'], calendarCorrections: { add: [], remove: [] } };
    await writeFile(packFile, JSON.stringify(pack));

    const result = await runCli(['evaluate', '--rule-pack', packFile], evaluateRequest('2026-12-09T10:00:00-05:00'));
    expect(JSON.parse(result.stdout)).toMatchObject({ allowed: false, rules: ['R4'], rulePackVersion: 'cli-test' });
  });

  it('exits 2 on invalid JSON', async () => {
    const result = await runCli(['evaluate'], '{"at": ');

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Solicitud inválida: la entrada estándar no es JSON válido');
  });

  it.each([
    ['channel', { channel: 'fax' }, 'El campo "channel" debe ser uno de: "voice", "sms"'],
    ['at without offset', { at: '2026-12-09T10:00:00' }, 'El campo "at" debe ser un instante ISO 8601 con zona horaria, p. ej. 2026-12-06T10:00:00-05:00 (recibido "2026-12-09T10:00:00").'],
    ['history entry', { history: [{ at: '2026-12-01T13:00:00Z', channel: 'sms' }] }, 'campo "history.0.kind"'],
  ])('exits 2 naming the invalid %s', async (_name, change, fieldText) => {
    const result = await runCli(['evaluate'], evaluateRequest('2026-12-09T10:00:00-05:00', change));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(fieldText);
  });

  it('exits 2 naming an invalid rule pack', async () => {
    const packFile = join(workDir, 'bad-pack.json');
    await writeFile(packFile, JSON.stringify({ version: 'x', countsAsContact: 'every-attempt', lastDialMarginMinutes: 500, extraBlockedDates: [], calendarCorrections: { add: [], remove: [] } }));

    const result = await runCli(['calendar', '2026', '--rule-pack', packFile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('El paquete de reglas');
    expect(result.stderr).toContain('lastDialMarginMinutes');
  });

  it('prints usage for --help', async () => {
    const result = await runCli(['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Uso: npm run -s compliance -- <comando>/);
    expect(result.stdout).toContain('calendar AÑO    Imprime los festivos de Colombia del AÑO (1984 a 9999)');
    for (const field of ['scheduleRequest', 'exemption', 'creditType', 'visitAllowedFlag', 'personTimeZone', 'personTimeZones', '"exempt"', 'credit-report']) {
      expect(result.stdout).toContain(field);
    }
  });

  it('evaluates the optional request fields', async () => {
    const scheduleRequest = {
      window: [{ days: [1, 2, 3, 4, 5], from: '19:00', to: '21:00' }],
      requestedOn: '2026-02-01',
      contractSignedOn: '2025-06-01',
      evidence: 'SOL-1',
      consumerInitiated: true,
    };
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{ at: '2026-12-09T20:00:00-05:00', scheduleRequest }, { allowed: true, rules: [] }],
      [{ at: '2026-12-06T20:00:00-05:00', channel: 'sms', exemption: { reason: 'fraud-alert', hasCollectionContent: false } }, { allowed: true }],
      [{ at: '2026-12-09T10:00:00-05:00', channel: 'visit' }, { allowed: false, rules: ['R13'], nextAllowedAt: null }],
      [{ at: '2026-12-09T10:00:00-05:00', channel: 'visit', creditType: 'microcredit', visitAllowedFlag: true }, { allowed: true }],
      [{ at: '2026-12-09T13:30:00-05:00', personTimeZone: 'Europe/Madrid' }, { allowed: false, rules: ['R1'], nextAllowedAt: '2026-12-10T07:00:00-05:00' }],
    ];

    for (const [fields, expected] of cases) {
      const { at, ...extra } = fields;
      const result = await runCli(['evaluate'], evaluateRequest(String(at), extra));

      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toMatchObject(expected);
    }
  });

  it('exits 2 naming an unknown time zone', async () => {
    const result = await runCli(['evaluate'], evaluateRequest('2026-12-09T10:00:00-05:00', { personTimeZone: 'Mars/Olympus_Mons' }));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('campo "personTimeZone"');
  });

  it.each([
    ['day 19 after the notice', '2026-12-20T10:00:00-05:00', { allowed: false, rules: ['R14'], nextAllowedAt: '2026-12-21T00:00:00-05:00' }],
    ['day 20 after the notice', '2026-12-21T10:00:00-05:00', { allowed: true, rules: [], nextAllowedAt: '2026-12-21T10:00:00-05:00' }],
  ])('decides a credit report on %s', async (_name, at, expected) => {
    const result = await runCli(['credit-report'], JSON.stringify({ at, notices: ['2026-12-01'], debtCents: 50_000_000 }));
    const output = JSON.parse(result.stdout) as Record<string, unknown>;

    expect(result.code).toBe(0);
    expect(Object.keys(output).slice(0, 3)).toEqual(['allowed', 'rules', 'nextAllowedAt']);
    expect(output).toMatchObject({ ...expected, rulePackVersion: '2026.1' });
  });

  it('reads the minimum wage of the credit report from the rule pack', async () => {
    const packFile = join(workDir, 'wage-pack.json');
    const pack = { version: 'wage', countsAsContact: 'every-attempt', lastDialMarginMinutes: 10, extraBlockedDates: [], calendarCorrections: { add: [], remove: [] }, monthlyMinimumWageCents: 400_000_000 };
    await writeFile(packFile, JSON.stringify(pack));
    // 50.000.000 centavos is above 15 % of the shipped wage but below 15 % of 4.000.000 pesos, which needs two notices.
    const request = JSON.stringify({ at: '2026-12-21T10:00:00-05:00', notices: ['2026-12-01'], debtCents: 50_000_000 });

    const shipped = await runCli(['credit-report'], request);
    const custom = await runCli(['credit-report', '--rule-pack', packFile], request);

    expect(JSON.parse(shipped.stdout)).toMatchObject({ allowed: true });
    expect(JSON.parse(custom.stdout)).toMatchObject({ allowed: false, nextAllowedAt: null, rulePackVersion: 'wage' });
  });

  it.each([
    ['a missing debt', { at: '2026-12-21T10:00:00-05:00', notices: [] }, 'campo "debtCents"'],
    ['an impossible notice', { at: '2026-12-21T10:00:00-05:00', notices: ['2026-02-30'], debtCents: 1 }, 'campo "notices.0"'],
    ['an instant without offset', { at: '2026-12-21T10:00:00', notices: [], debtCents: 1 }, 'campo "at"'],
  ])('exits 2 for a credit report with %s', async (_name, request, fieldText) => {
    const result = await runCli(['credit-report'], JSON.stringify(request));

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(fieldText);
  });

  it.each([
    [['frobnicate'], 'compliance: Comando desconocido: "frobnicate". Use calendar, evaluate o credit-report.'],
    [[], 'compliance: Falta el comando: use calendar, evaluate o credit-report.'],
    [['calendar'], 'compliance: calendar recibe un año de cuatro dígitos, p. ej. "calendar 2026", y recibió "".'],
    [['calendar', '1900'], 'compliance: Año no admitido: 1900. Use un año de 1984 a 9999.'],
    [['calendar', '2026', '--bogus'], 'compliance: Opción desconocida: --bogus. Las opciones son --rule-pack, --names y --help.'],
    [['calendar', '2026', '--rule-pack'], 'compliance: Valor inválido para --rule-pack: --rule-pack necesita la ruta de un archivo'],
    [['evaluate', 'extra'], 'compliance: evaluate no recibe argumentos y recibió "extra": envíe la solicitud por la entrada estándar.'],
    [['calendar', '2026', '--rule-pack', '/no/existe.json'], 'compliance: No se pudo leer el paquete de reglas "/no/existe.json"'],
  ])('exits 2 for %j with a Spanish message', async (args, message) => {
    const result = await runCli(args);

    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(message)).toBe(true);
  });
});
