import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { io as connectSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { RulePack } from '@gestiona/core/compliance/types';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import type { RunningServer } from '../app.ts';
import { BACKEND_NAMES, useTestBackend } from '../fixtures/backends.ts';
import { login, startTestServer, tempDir } from '../fixtures/server.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_RESOURCES_DIR } from '../paths.ts';

const NOW = new Date('2026-12-04T09:00:00-05:00');
const PASSWORD = 'clave-segura-1';

/** Copies the resources folder, so that the test can change its rule pack. */
function resourcesCopy(): { path: string; writePack(pack: RulePack): void; remove(): void } {
  const dir = tempDir();
  for (const name of ['catalog.json', 'rule-pack.json', 'strategy.json', 'scripts']) cpSync(join(DEFAULT_RESOURCES_DIR, name), join(dir.path, name), { recursive: true });
  return { path: dir.path, writePack: (pack) => writeFileSync(join(dir.path, 'rule-pack.json'), JSON.stringify(pack)), remove: dir.remove };
}

/** Creates a logger at info level whose JSON lines the test reads. */
function capturedLogger() {
  const lines: { msg: string; [key: string]: unknown }[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as { msg: string }) } });
  return { logger, lines };
}

describe.each(BACKEND_NAMES)('rule pack precedence on %s', (backendName) => {
  const backend = useTestBackend(backendName);
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(location: Awaited<ReturnType<typeof backend.createDatabase>>, resourcesDir: string, extra: { contentPollMs?: number } = {}) {
    const { logger, lines } = capturedLogger();
    const server: RunningServer = await startTestServer(location, { now: () => NOW, resourcesDir, logger, ...extra });
    return { server, lines };
  }

  it('keeps the admin pack over the resources file across restarts', async () => {
    const resources = resourcesCopy();
    cleanups.push(resources.remove);
    const location = await backend.createDatabase();

    const first = await start(location, resources.path);
    const factory = (await first.server.store.listRulePacks(1))[0]!.pack;
    const admin = await first.server.store.createUser({ username: 'admin', fullName: 'Ana Ruiz', role: 'admin', password: PASSWORD });
    await first.server.store.publishRulePack({ pack: { ...factory, version: '2026.2', extraBlockedDates: ['2026-12-07'] }, reason: 'Duelo', publishedBy: admin.id, now: NOW });
    await first.server.close();

    for (const filePack of [factory, { ...factory, version: '2026.9', lastDialMarginMinutes: 20 }]) {
      resources.writePack(filePack);
      const restarted = await start(location, resources.path);
      const inForce = (await restarted.server.store.currentContent()).rulePack;
      await restarted.server.close();

      expect(inForce?.version).toBe('2026.2');
      const skipped = restarted.lines.find((line) => line.msg.startsWith('publish rule pack: resources file skipped'));
      expect(skipped).toMatchObject({ level: 30, fileVersion: filePack.version, inForceVersion: '2026.2', adminVersion: '2026.2', adminUsername: 'admin' });
    }
  });

  it('hints connected sockets after a publish from another process', async () => {
    const resources = resourcesCopy();
    cleanups.push(resources.remove);
    const location = await backend.createDatabase();
    const { server } = await start(location, resources.path, { contentPollMs: 100 });
    cleanups.push(() => server.close());
    const admin = await server.store.createUser({ username: 'admin', fullName: 'Ana Ruiz', role: 'admin', password: PASSWORD });
    await server.store.createUser({ username: 'agente1', fullName: 'Laura Gómez', role: 'agent', password: PASSWORD });
    const { token } = await login(server.url, 'agente1', PASSWORD, 'ws-1');
    const socket = connectSocket(server.url, { auth: { token, workstationId: 'ws-1' }, reconnection: false, transports: ['websocket'] });
    cleanups.push(() => void socket.close());
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));

    // The command line opens the database itself, so the running server's store is never notified of the write.
    const other = await backend.openStore(location);
    cleanups.push(() => other.close());
    const factory = (await other.listRulePacks(1))[0]!.pack;
    const hinted = new Promise<void>((resolve) => socket.once(SOCKET_EVENTS.feedHint, () => resolve()));
    await other.publishRulePack({ pack: { ...factory, version: '2026.2', extraBlockedDates: ['2026-12-07'] }, publishedBy: admin.id, now: NOW });
    await hinted;
  });
});
