import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loginResponseSchema } from '@gestiona/core/sync';
import { tempDir } from '../fixtures/server.ts';
import { buildHttpApp, type LoginProtection } from '../http.ts';
import { openStore } from '../store/open-store.ts';
import type { ServerStore } from '../store/types.ts';

const NOW = new Date('2026-12-04T10:00:00-05:00');
const MINUTE = 60_000;
const PASSWORD = 'clave-segura-1';

interface Route {
  url: string;
  advance(ms: number): void;
  logLines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the real HTTP app on 127.0.0.1:0 with a manual clock for lockout and rate limit, logging to memory. */
async function startRoute(store: ServerStore, protection: Omit<LoginProtection, 'clock'> = {}): Promise<Route> {
  let ms = 0;
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = buildHttpApp({ store, logger: pino({ level: 'debug' }, sink), now: () => new Date(NOW.getTime() + ms), loginProtection: { ...protection, clock: () => ms } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    advance: (step) => {
      ms += step;
    },
    logLines,
    close: () => app.close(),
  };
}

function login(route: Route, username: string, password: string): Promise<Response> {
  return fetch(`${route.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, workstationId: 'ws-1' }),
  });
}

describe('POST /api/auth/login protection', () => {
  const dir = tempDir();
  let store: ServerStore;
  let route: Route;

  beforeAll(async () => {
    store = await openStore({ dbPath: join(dir.path, 'server.sqlite'), logger: pino({ level: 'silent' }) });
    await store.createUser({ username: 'agente1', fullName: 'Ana María Peña', role: 'agent', password: PASSWORD }, NOW);
    await store.createUser({ username: 'agente2', fullName: 'Julián Muñoz', role: 'agent', password: PASSWORD }, NOW);
  });

  afterEach(async () => {
    await route?.close();
  });

  afterAll(async () => {
    await store.close();
    dir.remove();
  });

  it('locks the account at the fifth failure and says until when', async () => {
    route = await startRoute(store);
    for (let i = 0; i < 4; i += 1) expect((await login(route, 'agente1', 'mala')).status).toBe(401);

    const locked = await login(route, 'agente1', 'mala');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect(await locked.json()).toEqual({
      error:
        'Demasiados intentos fallidos con este usuario. Por seguridad, el inicio de sesión queda bloqueado hasta las 10:15 del 04/12/2026 (15 minutos). Si olvidó la contraseña, pida a su supervisor que la restablezca.',
      retryAfterSeconds: 900,
    });
  });

  it('rejects even the right password while locked, and accepts it after the lock', async () => {
    route = await startRoute(store);
    for (let i = 0; i < 5; i += 1) await login(route, 'agente1', 'mala');

    route.advance(14 * MINUTE);
    const rejected = await login(route, 'agente1', PASSWORD);
    expect(rejected.status).toBe(429);
    expect(((await rejected.json()) as { error: string }).error).toContain('hasta las 10:15 del 04/12/2026 (1 minuto)');

    route.advance(MINUTE);
    const accepted = await login(route, 'agente1', PASSWORD);
    expect(accepted.status).toBe(200);
    expect(loginResponseSchema.parse(await accepted.json()).user.username).toBe('agente1');
  });

  it('leaves other accounts open while one is locked', async () => {
    route = await startRoute(store);
    for (let i = 0; i < 5; i += 1) await login(route, 'agente1', 'mala');
    expect((await login(route, 'agente2', PASSWORD)).status).toBe(200);
  });

  it('resets the count after a successful login', async () => {
    route = await startRoute(store);
    for (let i = 0; i < 4; i += 1) await login(route, 'agente1', 'mala');
    expect((await login(route, 'agente1', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) expect((await login(route, 'agente1', 'mala')).status).toBe(401);
  });

  it('locks the address after failures across usernames', async () => {
    route = await startRoute(store, {
      lockout: {
        perUsername: { maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
        perAddress: { maxFailures: 6, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE },
      },
    });
    for (let i = 0; i < 5; i += 1) expect((await login(route, `nadie${i}`, 'mala')).status).toBe(401);

    const locked = await login(route, 'nadie5', 'mala');
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { error: string }).error).toMatch(/^Demasiados intentos fallidos desde esta dirección de red/);
    expect((await login(route, 'agente2', PASSWORD)).status).toBe(429);
  });

  it('logs a lock with a username hash and never the username or password', async () => {
    route = await startRoute(store);
    for (let i = 0; i < 5; i += 1) await login(route, 'ClaveEnElUsuario', 'otra-clave-secreta');

    const lockLine = route.logLines.find((line) => line.msg === 'login: locked after repeated failures');
    expect(lockLine).toMatchObject({ level: 40, scope: 'username', address: '127.0.0.1', workstationId: 'ws-1', lockMs: 15 * MINUTE });
    expect(lockLine?.usernameHash).toMatch(/^[0-9a-f]{12}$/);
    const text = JSON.stringify(route.logLines);
    expect(text).not.toContain('ClaveEnElUsuario');
    expect(text).not.toContain('otra-clave-secreta');
  });

  it('rejects a burst of login requests beyond the rate limit', async () => {
    route = await startRoute(store, { rate: { burst: 3, perMinute: 6 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await login(route, 'agente2', PASSWORD)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);

    const rejected = await login(route, 'agente2', PASSWORD);
    expect(rejected.headers.get('retry-after')).toBe('10');
    expect(await rejected.json()).toEqual({ error: 'Demasiadas solicitudes de inicio de sesión desde esta dirección de red. Intente de nuevo en 10 segundos.' });
    expect(route.logLines.filter((line) => line.msg === 'limit login requests: request rejected')).toHaveLength(1);

    route.advance(10_000);
    expect((await login(route, 'agente2', PASSWORD)).status).toBe(200);
  });

  it('rate-limits malformed bodies too', async () => {
    route = await startRoute(store, { rate: { burst: 2, perMinute: 1 } });
    const post = (): Promise<Response> => fetch(`${route.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect([(await post()).status, (await post()).status, (await post()).status]).toEqual([400, 400, 429]);
  });

  it('names a disabled account only with the right password', async () => {
    await store.createUser({ username: 'agente3', fullName: 'Marta Ríos', role: 'agent', password: PASSWORD }, NOW);
    await store.disableUser('agente3', NOW);
    route = await startRoute(store);

    const disabled = await login(route, 'agente3', PASSWORD);
    expect(disabled.status).toBe(403);
    expect(await disabled.json()).toEqual({
      error: 'Su usuario está deshabilitado en el servidor central. Pida a su supervisor que lo habilite de nuevo; mientras tanto no puede iniciar sesión.',
      reason: 'user-disabled',
    });
    const wrong = await login(route, 'agente3', 'mala');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'Usuario o contraseña incorrectos.' });

    // No session was opened for the refused sign-in: disabling the account again ends none.
    await store.setUserActive('agente3', true);
    expect((await store.disableUser('agente3', NOW))?.endedSessions).toBe(0);
  });

  it('does not limit the health route', async () => {
    route = await startRoute(store, { rate: { burst: 1, perMinute: 1 } });
    await login(route, 'agente2', PASSWORD);
    expect((await login(route, 'agente2', PASSWORD)).status).toBe(429);
    expect((await fetch(`${route.url}/api/health`)).status).toBe(200);
  });
});
