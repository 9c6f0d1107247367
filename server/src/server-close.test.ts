import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES, useTestBackend } from './fixtures/backends.ts';
import { connectWorkstation, login, startTestServer } from './fixtures/server.ts';

describe.each(BACKEND_NAMES)('server close on %s', (backendName) => {
  const backend = useTestBackend(backendName);

  it('records disconnects before closing the store', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const location = await backend.createDatabase();
    const server = await startTestServer(location, { logger: pino({ level: 'info' }, sink) });
    await server.store.createUser({ username: 'agente1', fullName: 'Laura Gómez', role: 'agent', password: 'secreto-123' });
    const { token } = await login(server.url, 'agente1', 'secreto-123', 'ws-cierre');
    const sockets = [];
    for (let index = 0; index < 5; index += 1) sockets.push(await connectWorkstation(server.url, { token, workstationId: 'ws-cierre' }));

    await server.close();
    for (const socket of sockets) socket.close();

    expect(lines.filter((line) => line.includes('record workstation disconnect: failed'))).toEqual([]);
    expect(lines.some((line) => line.includes('stop server: done'))).toBe(true);
  });
});
