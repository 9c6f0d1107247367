import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '@gestiona/core/ipc-channels';
import { CONTENT_SECURITY_POLICY } from '../security-policy.ts';
import { closedLocalPort, makeTempDir, MemorySecretStore, removeDir } from '../test-support/workstation.ts';
import { startBrowserMode, type BrowserMode } from './browser-mode.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser mode bridge', () => {
  let dir: string;
  let mode: BrowserMode;
  let port: number;
  const previousFlag = process.env.GESTIONA_TEST_CLOCK;

  async function start(testClock: boolean): Promise<void> {
    mode = await startBrowserMode({
      workstation: {
        dataDir: path.join(dir, 'data'),
        serverUrl: `http://127.0.0.1:${await closedLocalPort()}`,
        dialer: 'manual',
        secretStore: new MemorySecretStore(),
      },
      rendererDir: path.join(dir, 'renderer'),
      port: 0,
      testClock,
    });
    port = Number(new URL(mode.url).port);
  }

  function ipc(channel: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return request(port, {
      method: 'POST',
      path: `/ipc/${channel}`,
      headers: { 'content-type': 'application/json', 'x-gestiona-token': mode.token, origin: `http://127.0.0.1:${port}`, ...headers },
      body: JSON.stringify(body),
    });
  }

  beforeEach(() => {
    dir = makeTempDir('gestiona-bridge-');
    mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'renderer', 'index.html'), '<html><head><title>G</title></head><body><script type="module" src="./assets/app.js"></script></body></html>');
    writeFileSync(path.join(dir, 'renderer', 'assets', 'app.js'), 'export {};');
    writeFileSync(path.join(dir, 'secret.txt'), 'fuera del renderer');
  });

  afterEach(async () => {
    await mode?.close();
    removeDir(dir);
    if (previousFlag === undefined) delete process.env.GESTIONA_TEST_CLOCK;
    else process.env.GESTIONA_TEST_CLOCK = previousFlag;
  });

  it('refuses to start without the built screens', async () => {
    removeDir(path.join(dir, 'renderer'));
    const starting = startBrowserMode({
      workstation: { dataDir: path.join(dir, 'data'), serverUrl: 'http://127.0.0.1:9', dialer: 'manual', secretStore: new MemorySecretStore() },
      rendererDir: path.join(dir, 'renderer'),
      port: 0,
    });
    await expect(starting).rejects.toThrow(/falta index\.html\)\. Compílelas con "npm run build:renderer"/);
  });

  it('prints a 127.0.0.1 address with the token in the fragment', async () => {
    await start(false);
    expect(mode.url).toBe(`http://127.0.0.1:${port}/#token=${mode.token}`);
    expect(mode.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves index.html with the bridge before the first script and the CSP', async () => {
    await start(false);
    const reply = await request(port, { path: '/' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.body.indexOf('<script src="/bridge.js"></script>')).toBeLessThan(reply.body.indexOf('./assets/app.js'));
    expect(reply.body).toContain('<script src="/bridge.js"></script>');
  });

  it('generates a bridge with every channel', async () => {
    await start(false);
    const reply = await request(port, { path: '/bridge.js' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('javascript');
    for (const channel of IPC_CHANNELS) expect(reply.body).toContain(`"${channel}"`);
    expect(reply.body).toContain('onPush');
  });

  it.each(['/../secret.txt', '/%2e%2e/secret.txt', '/assets/', '/assets', '/nada.js', '/..%5csecret.txt'])('returns 404 for %s', async (pathName) => {
    await start(false);
    const reply = await request(port, { path: pathName });
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('fuera del renderer');
  });

  it('serves assets under the renderer folder', async () => {
    await start(false);
    const reply = await request(port, { path: '/assets/app.js' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    { case: 'a missing token', headers: { 'x-gestiona-token': '' } },
    { case: 'a wrong token', headers: { 'x-gestiona-token': 'x'.repeat(43) } },
  ])('answers 401 to $case', async ({ headers }) => {
    await start(false);
    const reply = await ipc('session:get', {}, headers);
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'not-authenticated' } });
  });

  it.each([
    { case: 'a foreign Origin', headers: (_p: number): Record<string, string> => ({ origin: 'http://evil.example' }) },
    { case: 'a foreign Host', headers: (p: number): Record<string, string> => ({ host: `evil.example:${p}` }) },
    { case: 'another port in Origin', headers: (p: number): Record<string, string> => ({ origin: `http://127.0.0.1:${p + 1}` }) },
  ])('answers 403 to $case', async ({ headers }) => {
    await start(false);
    const reply = await ipc('session:get', {}, headers(port));
    expect(reply.status).toBe(403);
    const page = await request(port, { path: '/', headers: headers(port) });
    expect(page.status).toBe(403);
  });

  it('returns an error envelope for an unknown channel', async () => {
    await start(false);
    const reply = await ipc('debtor:delete', {});
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('dispatches a valid call', async () => {
    await start(false);
    const reply = await ipc('session:get', {});
    const envelope = JSON.parse(reply.body) as { ok: boolean; value: { user: unknown; dialerAdapter: string } };
    expect(envelope.ok).toBe(true);
    expect(envelope.value).toMatchObject({ user: null, dialerAdapter: 'manual' });
  });

  it('rejects a body that is not JSON', async () => {
    await start(false);
    const reply = await request(port, {
      method: 'POST',
      path: '/ipc/session:get',
      headers: { 'content-type': 'application/json', 'x-gestiona-token': mode.token },
      body: '{no',
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('streams pushes to a client with the token', async () => {
    await start(false);
    const received = new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `/push?token=${encodeURIComponent(mode.token)}`, headers: { host: `127.0.0.1:${port}` } }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('data: ')) {
            resolve(text);
            req.destroy();
          } else if (text.includes(': connected')) {
            void ipc('auth:logout', {});
          }
        });
      });
      req.on('error', reject);
    });
    const text = await received;
    expect(text).toContain('"type":"session"');
  });

  it('refuses the push stream without the token', async () => {
    await start(false);
    const reply = await request(port, { path: '/push?token=nope' });
    expect(reply.status).toBe(401);
  });

  it.each([
    { case: 'when not requested', testClock: false, flag: '1' },
    { case: 'without GESTIONA_TEST_CLOCK=1', testClock: true, flag: undefined },
  ])('has no test-clock route $case', async ({ testClock, flag }) => {
    if (flag === undefined) delete process.env.GESTIONA_TEST_CLOCK;
    else process.env.GESTIONA_TEST_CLOCK = flag;
    await start(testClock);
    expect(mode.setClock).toBeUndefined();
    const reply = await request(port, {
      method: 'POST',
      path: '/test/clock',
      headers: { 'content-type': 'application/json', 'x-gestiona-token': mode.token },
      body: JSON.stringify({ at: '2026-03-01T10:00:00-05:00' }),
    });
    expect(reply.status).toBe(404);
    const session = JSON.parse((await ipc('session:get', {})).body) as { value: { now: string } };
    expect(session.value.now).not.toBe('2026-03-01T10:00:00-05:00');
  });

  it('sets the trusted time through the test-clock route when both flags are on', async () => {
    process.env.GESTIONA_TEST_CLOCK = '1';
    await start(true);
    expect(mode.setClock).toBeTypeOf('function');

    const withoutToken = await request(port, { method: 'POST', path: '/test/clock', body: JSON.stringify({ at: '2026-03-01T10:00:00-05:00' }) });
    expect(withoutToken.status).toBe(401);

    const reply = await request(port, {
      method: 'POST',
      path: '/test/clock',
      headers: { 'content-type': 'application/json', 'x-gestiona-token': mode.token },
      body: JSON.stringify({ at: '2026-03-01T10:00:00-05:00' }),
    });
    expect(reply.status).toBe(204);
    const session = JSON.parse((await ipc('session:get', {})).body) as { value: { now: string } };
    expect(session.value.now).toBe('2026-03-01T10:00:00-05:00');
  });
});
