/**
 * The sync client against a scripted socket.io server on 127.0.0.1 that sends a broken feed: an
 * entry that parses but breaks a table constraint, and pull acknowledgements of the wrong shape.
 * The workstation applies nothing, shows why in the status bar, and recovers once the feed is fixed.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toBogotaIso } from '@gestiona/core/format';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import { SettableClock } from '../clock.ts';
import { makeDebtor } from '../test-support/fixtures.ts';
import { makeTempDir, openWorkstation, removeDir, seedDataDir, withStore, type OpenedWorkstation } from '../test-support/workstation.ts';

const WAIT = { timeout: 10_000, interval: 25 };

/**
 * Serializes every row that feed data reaches, with the feed cursor. The rest of `meta` is left
 * out, because connecting writes the workstation id and the last sync time there.
 */
function snapshot(dataDir: string): string {
  return withStore(dataDir, (store) => {
    const tables = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'meta' ORDER BY name").all() as Array<{ name: string }>;
    return JSON.stringify([store.meta.feedCursor(), ...tables.map(({ name }) => [name, store.db.prepare(`SELECT * FROM "${name}"`).all()])]);
  });
}

describe('sync client with a hostile feed', () => {
  let dir: string;
  let http: HttpServer;
  let io: Server;
  let url: string;
  let ws: OpenedWorkstation | undefined;
  let respondToPull: (request: { after: number }) => unknown;

  beforeEach(async () => {
    dir = makeTempDir('gestiona-hostile-feed-');
    seedDataDir(dir, [makeDebtor('d1')]);
    http = createServer();
    io = new Server(http);
    io.on('connection', (socket) => {
      socket.on(SOCKET_EVENTS.clockPing, (_payload: unknown, ack: (response: unknown) => void) => ack({ serverTime: toBogotaIso(Date.now()) }));
      socket.on(SOCKET_EVENTS.pullFeed, (request: { after: number }, ack: (response: unknown) => void) => ack(respondToPull(request)));
      socket.on(SOCKET_EVENTS.pushEvents, (_request: unknown, ack: (response: unknown) => void) => ack({ ok: true, results: [] }));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await ws?.workstation.close();
    ws = undefined;
    io.disconnectSockets(true);
    io.engine.close();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    removeDir(dir);
  });

  async function open(): Promise<OpenedWorkstation> {
    ws = await openWorkstation(dir, { clock: new SettableClock('2026-03-03T10:00:00-05:00'), serverUrl: url, syncTuning: { ackTimeoutMs: 1_000, retryDelayMs: 100 } });
    await vi.waitFor(() => expect(ws!.workstation.sync.status().connection).toBe('online'), WAIT);
    return ws;
  }

  it('stops at an entry that breaks a constraint and recovers', async () => {
    const cursorBefore = withStore(dir, (store) => store.meta.feedCursor());
    const twice = makeDebtor('d2');
    twice.persons = [...twice.persons, twice.persons[0]!];
    respondToPull = (request) => ({
      ok: true,
      entries: [
        { seq: request.after + 1, type: 'debtor.upsert', payload: makeDebtor('d3') },
        { seq: request.after + 2, type: 'debtor.upsert', payload: twice },
      ],
      cursor: request.after + 2,
      hasMore: false,
    });
    const before = snapshot(dir);
    const opened = await open();
    await opened.workstation.sync.flushNow();

    expect(opened.workstation.sync.status().lastError).toBe(
      `El servidor central envió un dato inválido (entrada ${cursorBefore + 2}); la actualización de la cartera está detenida. Avise a soporte.`,
    );
    expect(withStore(dir, (store) => store.meta.feedCursor())).toBe(cursorBefore);
    expect(withStore(dir, (store) => store.debtors.get('d3'))).toBeNull();

    respondToPull = (request) => ({ ok: true, entries: [{ seq: request.after + 1, type: 'debtor.upsert', payload: makeDebtor('d3') }], cursor: request.after + 1, hasMore: false });
    await opened.workstation.sync.flushNow();

    expect(opened.workstation.sync.status().lastError).toBeNull();
    expect(withStore(dir, (store) => store.meta.feedCursor())).toBe(cursorBefore + 1);
    expect(withStore(dir, (store) => store.debtors.get('d3')?.id)).toBe('d3');
    expect(snapshot(dir)).not.toBe(before);
  });

  it.each<[string, unknown]>([
    ['text', 'hola'],
    ['entries that are not a list', { ok: true, entries: 'todo', cursor: 5, hasMore: false }],
    ['a negative cursor', { ok: true, entries: [], cursor: -1, hasMore: false }],
    ['a null', null],
  ])('applies nothing of a pull answered with %s', async (_case, ack) => {
    let pulls = 0;
    respondToPull = () => {
      pulls += 1;
      return ack;
    };
    const before = snapshot(dir);
    const opened = await open();

    await opened.workstation.sync.flushNow();
    // The client treats a malformed acknowledgement as a failed step and pulls again after retryDelayMs.
    await vi.waitFor(() => expect(pulls).toBeGreaterThanOrEqual(3), WAIT);
    expect(opened.workstation.sync.status().connection).not.toBe('offline');

    await opened.workstation.close();
    ws = undefined;
    expect(snapshot(dir)).toBe(before);
  });
});
