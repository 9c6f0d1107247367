import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcContract, type IpcValue } from '@gestiona/core/ipc';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import { DEMO_USERS } from '../../server/src/demo-seed.ts';
import type { RunningServer } from '../../server/src/app.ts';
import { startTestServer } from '../test-support/server.ts';
import { makeTempDir, MemorySecretStore, openWorkstation, removeDir, type OpenedWorkstation } from '../test-support/workstation.ts';
import { STRATEGY_FORBIDDEN_MESSAGE } from './admin-strategy.ts';

const demoUser = (username: string) => DEMO_USERS.find((user) => user.username === username)!;

describe('admin strategy channels', () => {
  let root: string;
  let server: RunningServer;
  const opened: OpenedWorkstation[] = [];

  async function signedIn(username: string): Promise<OpenedWorkstation> {
    const dataDir = path.join(root, `ws-${opened.length}`);
    mkdirSync(dataDir);
    const ws = await openWorkstation(dataDir, { serverUrl: server.url, secretStore: new MemorySecretStore(null) });
    opened.push(ws);
    const user = demoUser(username);
    const result = await ws.call('auth:login', { username: user.username, password: user.password });
    if (!result.ok) throw new Error(`login of ${username} failed: ${result.error.message}`);
    return ws;
  }

  async function current(ws: OpenedWorkstation): Promise<IpcValue<'admin:strategy-get'>> {
    const result = await ws.call('admin:strategy-get', {});
    if (!result.ok) throw new Error(result.error.message);
    return ipcContract['admin:strategy-get'].result.parse(result.value);
  }

  /** Copies the set with the first segment's upper bound of days past due raised, so that debtors move into it. */
  function widened(set: StrategySet, version: string): StrategySet {
    const copy = structuredClone(set);
    copy.version = version;
    const first = copy.segments[0]!;
    first.rule = { all: [{ variable: 'daysPastDue', op: 'lte', value: 60 }] };
    return copy;
  }

  beforeAll(async () => {
    root = makeTempDir('gestiona-admin-strategy-');
    const serverDir = path.join(root, 'server');
    mkdirSync(serverDir);
    server = await startTestServer(serverDir);
  });

  afterAll(async () => {
    for (const ws of opened) await ws.workstation.close();
    await server?.close();
    removeDir(root);
  });

  it('reads the set in force with the rule vocabulary', async () => {
    const { current: publication, vocabulary } = await current(await signedIn('admin'));
    expect(publication.strategy.segments.map((segment) => segment.id)).toEqual(['preventiva', 'temprana', 'media', 'tardia', 'castigada']);
    expect(vocabulary.variables.find((variable) => variable.name === 'daysPastDue')?.label).toBe('Días de mora (máximo entre obligaciones)');
    expect(vocabulary.opsByType.boolean).toEqual(['eq', 'neq']);
  });

  it('previews the movement without storing it', async () => {
    const ws = await signedIn('admin');
    const before = await current(ws);
    const result = await ws.call('admin:strategy-preview', { strategy: widened(before.current.strategy, 'prueba-vista') });
    if (!result.ok) throw new Error(result.error.message);
    const preview = ipcContract['admin:strategy-preview'].result.parse(result.value);

    const into = preview.moves.filter((move) => move.toId === 'preventiva' && move.fromId !== 'preventiva');
    expect(into.length).toBeGreaterThan(0);
    expect(into.every((move) => move.toName === 'Preventiva' && move.count > 0)).toBe(true);
    expect(preview.moves.reduce((total, move) => total + move.count, 0)).toBe(preview.total);
    expect((await current(ws)).current.version).toBe(before.current.version);
  });

  it('publishes a new version', async () => {
    const ws = await signedIn('admin');
    const before = await current(ws);
    const result = await ws.call('admin:strategy-publish', { strategy: widened(before.current.strategy, 'prueba-2'), reason: 'Ampliar preventiva' });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value).toMatchObject({ version: 'prueba-2' });

    const after = await current(ws);
    expect(after.current).toMatchObject({ version: 'prueba-2', publishedBy: demoUser('admin').fullName });
  });

  it('names the segment and field of an invalid set', async () => {
    const ws = await signedIn('admin');
    const set = structuredClone((await current(ws)).current.strategy);
    set.version = 'prueba-mala';
    set.segments[1]!.strategy.priority = 'variableInexistente * 2';
    const result = await ws.call('admin:strategy-publish', { strategy: set });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.message).toContain('segmento "Temprana"');
    expect(Object.keys(result.error.fields ?? {})).toContain('segments[1].strategy.priority');
  });

  it.each(['supervisor1', 'agente1'])('refuses %s in main', async (username) => {
    const ws = await signedIn(username);
    for (const [channel, args] of [
      ['admin:strategy-get', {}],
      ['admin:strategy-preview', { strategy: { version: 'x', segments: [] } }],
      ['admin:strategy-publish', { strategy: { version: 'x', segments: [] } }],
    ] as const) {
      const result = await ws.call(channel, args);
      expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: STRATEGY_FORBIDDEN_MESSAGE } });
    }
  });
});
