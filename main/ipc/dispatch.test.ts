import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipcContract } from '@gestiona/core/ipc';
import { IPC_CHANNELS } from '@gestiona/core/ipc-channels';
import { INTERNAL_ERROR_MESSAGE } from '@gestiona/core/result';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

/** Serializes every row of every table, so a test can prove that nothing stored changed. */
function snapshot(dataDir: string): string {
  return withStore(dataDir, (store) => {
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
    return JSON.stringify(tables.map(({ name }) => [name, store.db.prepare(`SELECT * FROM "${name}"`).all()]));
  });
}

describe('dispatch', () => {
  let dir: string;
  let ws: OpenedWorkstation;

  beforeAll(async () => {
    dir = makeTempDir();
    seedDataDir(dir, [makeDebtor('d1')]);
    ws = await openWorkstation(dir, { clock: new SettableClock('2026-03-03T10:00:00-05:00') });
  });

  afterAll(async () => {
    await ws.workstation.close();
    removeDir(dir);
  });

  it.each(['debtor:delete', '', '__proto__', 'constructor', 'auth:login '])('rejects unknown channel "%s"', async (channel) => {
    const result = await ws.workstation.dispatch(channel, {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-input');
  });

  it('names the offending field of malformed arguments', async () => {
    const result = await ws.workstation.dispatch('worklist:list', { offset: -1, limit: 10 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid-input');
      expect(result.error.message).toContain('"offset"');
      expect(Object.keys(result.error.fields ?? {})).toEqual(['offset']);
    }
  });

  it('rejects extra properties', async () => {
    const result = await ws.workstation.dispatch('debtor:open', { debtorId: 'd1', isAdmin: true });
    expect(result.ok ? 'ok' : result.error.code).toBe('invalid-input');
  });

  it.each(IPC_CHANNELS)('rejects generated garbage on %s and stores nothing', async (channel) => {
    const before = snapshot(dir);
    const schema = ipcContract[channel].args;

    await fc.assert(
      fc.asyncProperty(fc.anything({ withObjectString: true, withNullPrototype: true, withMap: true, withSet: true, withBigInt: true }), async (garbage) => {
        fc.pre(!schema.safeParse(garbage).success);
        const result = await ws.workstation.dispatch(channel, garbage);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('invalid-input');
      }),
      { numRuns: 150 },
    );

    expect(snapshot(dir)).toBe(before);
  });

  it('keeps the Spanish message of an expected error', async () => {
    const result = await ws.workstation.dispatch('debtor:open', { debtorId: 'nadie' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'El deudor nadie no está asignado a esta estación. Actualice la lista de trabajo.' },
    });
  });

  it('turns an unexpected failure into a generic internal error', async () => {
    withStore(dir, (store) => store.db.prepare("UPDATE catalog SET body = '{\"version\":1}'").run());
    const result = await ws.workstation.dispatch('catalog:get', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: INTERNAL_ERROR_MESSAGE } });
  });
});
