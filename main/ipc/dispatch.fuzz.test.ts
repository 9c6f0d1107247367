/**
 * Near-valid hostile arguments on every channel: a valid request with one field replaced by a
 * wrong type, a huge string, deep nesting or a prototype-pollution key. Each must come back as an
 * `invalid-input` envelope worded in Spanish, with no throw, no stored change and no call placed.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcContract } from '@gestiona/core/ipc';
import { IPC_CHANNELS, type IpcChannel } from '@gestiona/core/ipc-channels';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

// Tuesday 3 March 2026 at 10:00 in Bogotá: inside the weekday window, so a valid dial would be placed.
const TUESDAY_10 = '2026-03-03T10:00:00-05:00';

/** A request each channel accepts, which the mutations below break one field at a time. */
const VALID_ARGS: Record<IpcChannel, Record<string, unknown>> = {
  'auth:login': { username: 'agente1', password: 'clave-valida' },
  'auth:logout': {},
  'session:get': {},
  'worklist:list': { offset: 0, limit: 10, search: 'María' },
  'debtor:open': { debtorId: 'd1' },
  'contact:dial': { debtorId: 'd1', contactPointId: 'd1-c1', requestId: randomUUID() },
  'wrapup:save': { attemptId: randomUUID(), code: 'NC', fields: {}, note: null },
  'contact:confirm-identity': { attemptId: randomUUID() },
  'script:walk': { debtorId: 'd1' },
  'script:answer': { move: 'answer', attemptId: randomUUID(), stepId: 'saludo', answer: null },
  'admin:scripts-list': {},
  'admin:scripts-publish': {
    script: {
      id: 'guion-prueba',
      version: '1',
      name: 'Prueba',
      steps: [
        { id: 'saludo', kind: 'greeting', title: 'Saludo', text: 'Hola' },
        { id: 'cierre', kind: 'closing', title: 'Cierre', text: 'Gracias' },
      ],
    },
    reason: null,
  },
  'catalog:get': {},
  'wrapup:callback-slots': { attemptId: randomUUID(), code: 'VL' },
  'admin:catalog-get': {},
  'admin:catalog-publish': { catalog: { version: '2026.9', codes: [] }, reason: null },
  'sync:now': {},
  'board:get': {},
  'alarm:acknowledge': { alarmId: 1 },
  'agent:status': {},
  'agent:pause': { reason: 'Almuerzo' },
  'agent:resume': {},
  'agent:call-ended': { attemptId: randomUUID() },
  'board:export': { format: 'xlsx' },
  'board:actions': {},
  'board:debtors': { agentId: 'a1', query: 'María' },
  'board:reassign': { debtorIds: ['d1'], toAgentId: 'a2' },
  'board:debtor-timeline': { debtorId: 'd1' },
  'board:pause-agent': { agentId: 'a1', reason: 'Reunión' },
  'board:resume-agent': { agentId: 'a1' },
  'board:trends': { range: 'today' },
  'board:drill': { figure: 'promises', scope: 'all' },
  'admin:strategy-get': {},
  'admin:strategy-preview': { strategy: { version: '2', segments: [] } },
  'admin:strategy-publish': { strategy: { version: '2', segments: [] }, reason: 'Ajuste de reglas' },
};

const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

/** Nested arrays `depth` levels deep, deeper than any schema of the contract. */
function nested(depth: number): unknown {
  let value: unknown = 'fondo';
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }),
  fc.constantFrom<unknown>(
    'x'.repeat(1_000_000),
    '',
    ' ',
    '\u0000',
    '<img src=x onerror=alert(1)>',
    Number.NaN,
    Number.POSITIVE_INFINITY,
    -0,
    1e308,
    -1,
    2 ** 53,
    true,
    null,
    undefined,
    [],
    {},
    nested(5_000),
    JSON.parse('{"__proto__": {"polluted": true}}'),
    () => 'función',
    Symbol('símbolo'),
  ),
);

type Mutation = { kind: 'replace'; key: string; value: unknown } | { kind: 'remove'; key: string } | { kind: 'add'; key: string; value: unknown } | { kind: 'whole'; value: unknown };

function mutation(channel: IpcChannel): fc.Arbitrary<Mutation> {
  const keys = Object.keys(VALID_ARGS[channel]);
  const options: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('add' as const), key: fc.oneof(fc.constantFrom(...POLLUTION_KEYS), fc.string()), value: hostileValue }),
    fc.record({ kind: fc.constant('whole' as const), value: hostileValue }),
  ];
  if (keys.length > 0) {
    options.push(fc.record({ kind: fc.constant('replace' as const), key: fc.constantFrom(...keys), value: hostileValue }));
    options.push(fc.record({ kind: fc.constant('remove' as const), key: fc.constantFrom(...keys) }));
  }
  return fc.oneof(...options);
}

/** Applies a mutation; keys are defined as own properties, so `__proto__` arrives as JSON.parse would deliver it. */
function mutate(base: Record<string, unknown>, change: Mutation): unknown {
  if (change.kind === 'whole') return change.value;
  const copy: Record<string, unknown> = { ...base };
  if (change.kind === 'remove') delete copy[change.key];
  else Object.defineProperty(copy, change.key, { value: change.value, enumerable: true, configurable: true, writable: true });
  return copy;
}

function tableCounts(dataDir: string): Record<string, number> {
  return withStore(dataDir, (store) => {
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, (store.db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
  });
}

describe('dispatch with hostile arguments', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  beforeAll(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1')]);
    ws = await openWorkstation(dir, { clock: new SettableClock(TUESDAY_10) });
  });

  afterAll(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  it.each(IPC_CHANNELS)('rejects a broken field on %s', async (channel) => {
    const before = tableCounts(dir);
    const schema = ipcContract[channel].args;

    await fc.assert(
      fc.asyncProperty(mutation(channel), async (change) => {
        const args = mutate(VALID_ARGS[channel], change);
        fc.pre(!schema.safeParse(args).success);

        const result = await ws.workstation.dispatch(channel, args);

        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.code).toBe('invalid-input');
        expect(result.error.message).toMatch(/^Datos inválidos en "[^"]*": .+\. Corrija el valor e intente de nuevo\.$/);
        expect(result.error.message).not.toMatch(/\b(Invalid|Expected|expected|Unrecognized|received)\b/);
        expect(result.error.message.length).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );

    expect(ws.dialed).toEqual([]);
    expect(tableCounts(dir)).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // Found by the property above: a forged key with a quote broke the quoted path of the message.
  it.each([
    ['"', 'fields[\\u0022]'],
    ['a b', 'fields[a b]'],
    ['monto', 'fields.monto'],
  ])('names the forged field key %j in a well-formed message', async (key, path) => {
    // A date is no valid field value, so the key is the one the message names.
    const result = await ws.workstation.dispatch('wrapup:save', { ...VALID_ARGS['wrapup:save'], fields: { [key]: new Date(0) } });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toMatch(/^Datos inválidos en "[^"]*": .+\. Corrija el valor e intente de nuevo\.$/);
    expect(result.error.message).toContain(`"${path}`);
  });

  it('keeps the prototype clean when typification fields carry __proto__', async () => {
    const fields = JSON.parse('{"__proto__": "contaminado", "constructor": "x"}') as Record<string, unknown>;
    const result = await ws.workstation.dispatch('wrapup:save', { ...VALID_ARGS['wrapup:save'], fields });

    expect(result.ok ? 'ok' : result.error.code).toBe('not-found');
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(typeof ({} as { constructor: unknown }).constructor).toBe('function');
  });
});
