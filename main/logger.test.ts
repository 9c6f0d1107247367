import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebtorView, DialResult, SessionState, WorklistItem } from '@gestiona/core/ipc';
import type { Result } from '@gestiona/core/result';
import type { RunningServer } from '../server/src/app.ts';
import { seedDemo } from '../server/src/demo-seed.ts';
import { SettableClock } from './clock.ts';
import { maskPersonalData } from '@gestiona/core/log-masking';
import { createLogger, defaultLogLevel } from './logger.ts';
import { AGENT_1, SERVER_NOW, startTestServer } from './test-support/server.ts';
import { makeTempDir, MemorySecretStore, removeDir } from './test-support/workstation.ts';
import { createWorkstation, type Workstation } from './workstation.ts';

/** Every value below is personal data or an amount that must never reach a log line in clear. */
const DEBTOR = {
  docNumber: '1020304050',
  mobile: '3001234567',
  landline: '6015550000',
  email: 'maria.pena@correo-ejemplo.co',
  coObligorDoc: '79111222',
  coObligorMobile: '3109876543',
  referencePhone: '3205551234',
};
const BALANCE_CENTS = 250_000_000;
const OVERDUE_CENTS = 40_000_000;

const HEADER = [
  'tipo_documento;numero_documento;nombre;ciudad;numero_obligacion;entidad;producto;saldo;valor_vencido;dias_mora',
  'celular;celular_autorizado;celular_fuente;celular_fecha;celular_evidencia',
  'fijo;fijo_autorizado;fijo_fuente;fijo_fecha;fijo_evidencia',
  'correo;correo_autorizado;correo_fuente;correo_fecha;correo_evidencia',
  'codeudor_tipo_documento;codeudor_numero_documento;codeudor_nombre;codeudor_relacion',
  'codeudor_celular;codeudor_celular_autorizado;codeudor_celular_fuente;codeudor_celular_fecha;codeudor_celular_evidencia',
  'referencia1_nombre;referencia1_relacion;referencia1_telefono',
].join(';');

const ROW = [
  `CC;${DEBTOR.docNumber};María Peña Báez;Bogotá;4500-1;Banco Andino;tarjeta de crédito;2.500.000,00;400.000,00;25`,
  `${DEBTOR.mobile};sí;contrato;10/05/2024;DOC-1`,
  `${DEBTOR.landline};sí;contrato;10/05/2024;DOC-1`,
  `${DEBTOR.email};sí;contrato;10/05/2024;DOC-1`,
  `CC;${DEBTOR.coObligorDoc};Jorge Muñoz;codeudor`,
  `${DEBTOR.coObligorMobile};sí;pagaré;10/05/2024;DOC-2`,
  `Ana Ruiz;hermana;${DEBTOR.referencePhone}`,
].join(';');

/** Collects the JSON lines a logger writes. */
class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '') this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  }

  /** Returns every line without pino's own epoch `time`, whose digits could match an amount by chance. */
  text(): string {
    return this.lines.map(({ time: _time, ...rest }) => JSON.stringify(rest)).join('\n');
  }
}

function unwrap<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe('workstation logs of a real flow', () => {
  let dir: string;
  let server: RunningServer;
  let workstation: Workstation;
  const capture = new LogCapture();
  const dialed: string[] = [];

  beforeAll(async () => {
    dir = makeTempDir('gestiona-logs-');
    server = await startTestServer(dir, { seed: false });
    const portfolio = path.join(dir, 'cartera-logs.csv');
    writeFileSync(portfolio, `${HEADER}\n${ROW}\n`, 'utf8');
    await seedDemo(server.store, { portfolioFile: portfolio, now: SERVER_NOW });

    workstation = await createWorkstation({
      dataDir: path.join(dir, 'workstation'),
      serverUrl: server.url,
      clock: new SettableClock('2026-03-03T10:00:00-05:00'),
      dialer: 'softphone',
      softphoneScheme: 'tel',
      openUri: async (uri) => {
        dialed.push(uri);
      },
      secretStore: new MemorySecretStore(null),
      logger: createLogger({ level: 'debug', destination: capture }),
      syncTuning: { reconnectionDelayMs: 50, reconnectionDelayMaxMs: 200, retryDelayMs: 100, ackTimeoutMs: 2_000 },
    });

    await runFlow(workstation);
  });

  afterAll(async () => {
    await workstation?.close();
    await server?.close();
    removeDir(dir);
  });

  /** Login, open the debtor, dial the mobile, dial the reference (blocked), typify with a note full of personal data, sync. */
  async function runFlow(ws: Workstation): Promise<void> {
    unwrap<SessionState>(await ws.dispatch('auth:login', { username: AGENT_1.username, password: AGENT_1.password }));
    const item = await waitFor('the leased debtor', async () => {
      await ws.dispatch('sync:now', {});
      const list = unwrap<{ items: WorklistItem[] }>(await ws.dispatch('worklist:list', { offset: 0, limit: 10 }));
      return list.items[0] ?? null;
    });

    const view = unwrap<DebtorView>(await ws.dispatch('debtor:open', { debtorId: item.debtorId }));
    const titular = view.persons.find((person) => person.role === 'debtor')!;
    const mobile = titular.contactPoints.find((point) => point.address.endsWith(DEBTOR.mobile))!;
    const reference = view.persons.find((person) => person.role === 'reference')!.contactPoints[0]!;

    const blocked = unwrap<DialResult>(await ws.dispatch('contact:dial', { debtorId: view.id, contactPointId: reference.id, requestId: crypto.randomUUID() }));
    expect(blocked.outcome).toBe('blocked');

    const placed = unwrap<DialResult>(await ws.dispatch('contact:dial', { debtorId: view.id, contactPointId: mobile.id, requestId: crypto.randomUUID() }));
    if (placed.outcome === 'blocked') throw new Error(`dial blocked by ${placed.decision.rules.join(', ')}`);

    unwrap(await ws.dispatch('contact:confirm-identity', { attemptId: placed.wrapUp.attemptId }));
    unwrap(
      await ws.dispatch('wrapup:save', {
        attemptId: placed.wrapUp.attemptId,
        code: 'PP',
        fields: { amount: OVERDUE_CENTS, date: '2026-03-10' },
        note: `Promete ${OVERDUE_CENTS / 100} el 10/03. Escribir a ${DEBTOR.email} o al ${DEBTOR.mobile}; cédula ${DEBTOR.docNumber}.`,
      }),
    );

    // A rejected call whose message would carry a document number if it were logged.
    await ws.dispatch('debtor:open', { debtorId: `CC-${DEBTOR.coObligorDoc}` });

    await waitFor('the outbox to reach the server', async () => {
      await ws.dispatch('sync:now', {});
      const state = unwrap<SessionState>(await ws.dispatch('session:get', {}));
      return state.sync.pending === 0 ? true : null;
    });
  }

  it('captured the flow at debug level', () => {
    const messages = capture.lines.map((line) => line.msg);
    expect(messages).toContain('login: signed in');
    expect(messages).toContain('dial: blocked by gate');
    expect(messages).toContain('dial: allowed, attempt recorded');
    expect(dialed).toEqual([`tel:+57${DEBTOR.mobile}`]);
  });

  it.each(Object.entries(DEBTOR))('never logs the %s in clear', (_field, value) => {
    expect(capture.text()).not.toContain(value);
  });

  it.each([
    ['the balance in cents', String(BALANCE_CENTS)],
    ['the balance in pesos', String(BALANCE_CENTS / 100)],
    ['the overdue amount in cents', String(OVERDUE_CENTS)],
    ['the overdue amount in pesos', String(OVERDUE_CENTS / 100)],
  ])('never logs %s', (_case, digits) => {
    const digitRuns = capture.text().match(/\d+/g) ?? [];
    expect(digitRuns).not.toContain(digits);
  });

  it.each(['2.500.000', '400.000', AGENT_1.password])('never logs %s', (value) => {
    expect(capture.text()).not.toContain(value);
  });

  it('keeps debtor ids recognisable but masked', () => {
    const withDebtor = capture.lines.filter((line) => typeof line.debtorId === 'string');
    expect(withDebtor.length).toBeGreaterThan(0);
    for (const line of withDebtor) expect(line.debtorId).toBe('CC-********50');
  });
});

describe('maskPersonalData', () => {
  it.each([
    ['CC-1020304050', 'CC-********50'],
    ['CC-1020304050/celular', 'CC-********50/celular'],
    ['tel:+573001234567', 'tel:********67'],
    ['llamar al 300 123 4567 hoy', 'llamar al ********67 hoy'],
    ['saldo 2.500.000,00', 'saldo *****00,00'],
    ['escribir a maria.pena@correo-ejemplo.co', 'escribir a ********co'],
    ['NIT 900.123.456-7', 'NIT ********67'],
    ['CC 1.020.304.050', 'CC ********50'],
  ])('masks %j', (text, masked) => {
    expect(maskPersonalData(text)).toBe(masked);
  });

  it.each([
    '4b1f0d2e-1234-4567-8abc-123456789012',
    '2026-03-03T10:00:00-05:00',
    '2026-03-03',
    'ob-3f91234567ab8c',
    'puerto 4790, 12 intentos',
    'http://127.0.0.1:4780',
    'desde 192.168.10.254',
    'dial: allowed, attempt recorded',
  ])('keeps %j', (text) => {
    expect(maskPersonalData(text)).toBe(text);
  });
});

describe('logger redaction', () => {
  function logged(write: (logger: ReturnType<typeof createLogger>) => void): Record<string, unknown> {
    const capture = new LogCapture();
    write(createLogger({ level: 'debug', destination: capture }));
    return capture.lines[0]!;
  }

  it.each([
    { object: { address: '+573001234567' }, path: ['address'] },
    { object: { person: { docNumber: '1020304050' } }, path: ['person', 'docNumber'] },
    { object: { fullName: 'María Peña Báez' }, path: ['fullName'] },
    { object: { amountCents: 40_000_000 }, path: ['amountCents'] },
    { object: { totals: { balanceCents: 250_000_000 } }, path: ['totals', 'balanceCents'] },
    { object: { fields: { amount: 40_000_000 } }, path: ['fields'] },
    { object: { note: 'cualquier cosa' }, path: ['note'] },
    { object: { payload: { address: 'x' } }, path: ['payload'] },
    { object: { token: 'secreto' }, path: ['token'] },
    { object: { uri: 'tel:+573001234567' }, path: ['uri'] },
  ])('redacts $path', ({ object, path: fieldPath }) => {
    const line = logged((logger) => logger.info(object, 'test: redaction'));
    const written = fieldPath.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], line);
    expect(written).toBe('[redacted]');
  });

  it('masks personal data in error messages and stacks', () => {
    const line = logged((logger) => logger.error({ err: new Error('Refused to open "tel:+573001234567"') }, 'dial: failed'));
    const err = line.err as { message: string; stack: string; type: string };
    expect(err.type).toBe('Error');
    expect(err.message).toBe('Refused to open "tel:********67"');
    expect(err.stack).not.toContain('3001234567');
  });

  it('masks personal data in a message built from data', () => {
    const line = logged((logger) => logger.warn(`lookup failed for CC-${DEBTOR.docNumber}`));
    expect(line.msg).toBe('lookup failed for CC-********50');
  });

  it.each([
    [{}, 'info'],
    [{ VITEST: 'true' }, 'silent'],
    [{ VITEST: 'true', GESTIONA_LOG_FILE: '/tmp/x.log' }, 'info'],
    [{ VITEST: 'true', GESTIONA_LOG_LEVEL: 'debug' }, 'debug'],
  ])('defaults the level for %j to %s', (env, level) => {
    expect(defaultLogLevel(env)).toBe(level);
  });
});
