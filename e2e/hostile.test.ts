/**
 * A hostile page against browser mode in Chromium. Script run in the page forges calls the screens
 * never make: unknown channels, malformed arguments, dials of a reference or of another debtor's
 * number, a typification of an attempt that does not exist, and bridge calls without the token.
 * Each is rejected with its error code, nothing is dialed, and the rejections are logged. A debtor
 * whose name is HTML and whose data contains file:// and smb:// addresses renders as text only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebtorView, SessionState, WorkstationApi } from '@gestiona/core/ipc';
import { IPC_CHANNELS } from '@gestiona/core/ipc-channels';
import type { Result } from '@gestiona/core/result';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026 at 10:00 in Bogotá: not a holiday, inside the weekday window.
const MONDAY = '2026-12-07T10:00:00-05:00';

const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_REFERENCE = '<svg onload=window.__pwned=3>';
const HOSTILE_DOC = '99887766';
const HOSTILE_ID = `CC-${HOSTILE_DOC}`;
const FILE_URL = 'file:///etc/passwd';
const SMB_URL = 'smb://host/share';

/** One debtor as a creditor's semicolon CSV; the name needs CSV quoting because it contains quotes. */
const HOSTILE_PORTFOLIO = [
  'tipo_documento;numero_documento;nombre;ciudad;numero_obligacion;entidad;producto;saldo;valor_vencido;dias_mora;' +
    'celular;celular_autorizado;celular_fuente;celular_fecha;celular_evidencia;referencia1_nombre;referencia1_relacion;referencia1_telefono',
  `CC;${HOSTILE_DOC};"${HOSTILE_NAME.replaceAll('"', '""')}";${FILE_URL};HX-1;Banco Andino;consumo;1.000.000,00;100.000,00;10;` +
    `3157778899;sí;${SMB_URL};01/02/2024;<script>window.__pwned=2</script>;${HOSTILE_REFERENCE};hermana;3168889900`,
].join('\n');

declare global {
  interface Window {
    gestiona: WorkstationApi;
    __pwned?: number;
  }
}

let stack: Stack;
let scratch: string;
let logFile: string;
let hostile: DebtorView;

/** Reads and parses the workstation's log lines. */
function logLines(): Array<Record<string, unknown>> {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

async function dispatch<T>(channel: string, args: unknown): Promise<T> {
  const result = await stack.workstation.workstation.dispatch(channel, args);
  if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'gestiona-hostile-'));
  logFile = join(scratch, 'workstation.log');
  // Read when the stack builds its loggers and its token store: the workstation logs to a file we
  // can read, and its token key stays in the scratch folder instead of the user's home.
  process.env.GESTIONA_LOG_FILE = logFile;
  process.env.GESTIONA_CONFIG_DIR = join(scratch, 'config');
  try {
    stack = await startStack(MONDAY);
  } finally {
    delete process.env.GESTIONA_LOG_FILE;
    delete process.env.GESTIONA_CONFIG_DIR;
  }

  const { page, users, server } = stack;
  const agent = users.find((user) => user.role === 'agent')!;
  await page.goto(stack.workstation.url);
  await page.getByTestId('login-username').fill(agent.username);
  await page.getByTestId('login-password').fill(agent.password);
  await page.getByTestId('login-submit').click();
  await waitFor('the worklist', async () => ((await page.getByTestId('worklist-row').count()) > 0 ? true : null));

  // The hostile file goes through the real import, then to the logged-in agent.
  const now = new Date(MONDAY);
  await server.store.importPortfolio({ fileName: 'cartera-hostil.csv', bytes: Buffer.from(HOSTILE_PORTFOLIO, 'utf8'), importedBy: 'e2e', now });
  await server.store.leaseUnassigned(now);
  const agentId = (await server.store.findUserByUsername(agent.username))!.id;
  if ((await server.store.activeLease(HOSTILE_ID, now))?.agentId !== agentId) await server.store.reassignDebtor(HOSTILE_ID, agentId, now);

  hostile = await waitFor('the hostile debtor on the workstation', async () => {
    await dispatch('sync:now', {});
    const opened = await stack.workstation.workstation.dispatch('debtor:open', { debtorId: HOSTILE_ID });
    return opened.ok ? (opened.value as DebtorView) : null;
  });
});

/** Polls outside a test, where expect.poll is not available. */
async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('hostile portfolio content', () => {
  it('renders an HTML name as text in the worklist', async () => {
    const { page } = stack;
    await page.getByTestId('worklist-search').fill(HOSTILE_DOC);
    const row = page.locator(`[data-testid="worklist-row"][data-debtor-id="${HOSTILE_ID}"]`);
    await visible(row);

    expect(await row.locator('.debtor-cell').textContent()).toBe(HOSTILE_NAME);
    expect(await row.locator('img, svg, script').count()).toBe(0);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  });

  it('renders the name, city and authorisation source as text in the debtor view', async () => {
    const { page } = stack;
    const startUrl = page.url();
    await page.locator(`[data-testid="worklist-row"][data-debtor-id="${HOSTILE_ID}"]`).click();
    await visible(page.getByTestId('debtor-name'));

    const view = page.getByTestId('debtor-view');
    expect(await page.getByTestId('debtor-name').textContent()).toContain(HOSTILE_NAME);
    expect(await view.textContent()).toContain(FILE_URL);
    expect(await view.textContent()).toContain(SMB_URL);
    expect(await view.textContent()).toContain(HOSTILE_REFERENCE);
    expect(await view.locator('img, svg, script, iframe, object, embed').count()).toBe(0);
    expect(await view.locator('a[href]').count()).toBe(0);

    // Clicking the addresses must not navigate anywhere.
    await view.getByText(FILE_URL, { exact: false }).first().click();
    await view.getByText(SMB_URL, { exact: false }).first().click();
    expect(page.url()).toBe(startUrl);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  });
});

describe('forged calls from the page', () => {
  it.each(['debtor:delete', '__proto__', 'constructor', 'contact:dial ', 'test/clock', '../ipc/contact:dial'])(
    'rejects the unknown channel %j',
    async (channel) => {
      const envelope = await stack.page.evaluate(async (name) => {
        const token = sessionStorage.getItem('gestiona.bridgeToken') ?? '';
        const response = await fetch(`/ipc/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-gestiona-token': token },
          body: '{}',
        });
        return (await response.json()) as Result<unknown>;
      }, channel);
      expect(envelope).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    },
  );

  it.each(IPC_CHANNELS)('rejects malformed arguments on %s', async (channel) => {
    const codes = await stack.page.evaluate(async (name) => {
      const call = window.gestiona[name] as (args: unknown) => Promise<Result<unknown>>;
      const forged: unknown[] = [null, 42, 'texto', [1, 2], { evil: true }, { debtorId: { $gt: '' } }];
      const results = await Promise.all(forged.map((args) => call(args)));
      return results.map((result) => (result.ok ? 'ok' : result.error.code));
    }, channel);
    expect(codes).toEqual(['invalid-input', 'invalid-input', 'invalid-input', 'invalid-input', 'invalid-input', 'invalid-input']);
  });

  it('blocks a dial on a reference under R8 and places no call', async () => {
    const reference = hostile.persons.find((person) => person.role === 'reference')!;
    expect(reference.contactPoints[0]!.dialable).toBe(false);

    const result = await stack.page.evaluate(
      ([debtorId, contactPointId]) => window.gestiona['contact:dial']({ debtorId: debtorId!, contactPointId: contactPointId!, requestId: crypto.randomUUID() }),
      [hostile.id, reference.contactPoints[0]!.id],
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.value.outcome).toBe('blocked');
      expect(result.value.decision.rules).toContain('R8');
    }
  });

  it("rejects a dial with another debtor's contact point", async () => {
    const code = await stack.page.evaluate(async (hostileId) => {
      const list = await window.gestiona['worklist:list']({ offset: 0, limit: 20 });
      if (!list.ok) return 'no worklist';
      const other = list.value.items.find((item) => item.debtorId !== hostileId);
      if (!other) return 'no other debtor';
      const view = await window.gestiona['debtor:open']({ debtorId: other.debtorId });
      if (!view.ok) return 'cannot open';
      const point = view.value.persons.flatMap((person) => person.contactPoints).find((candidate) => candidate.channel === 'voice');
      if (!point) return 'no voice point';
      const result = await window.gestiona['contact:dial']({ debtorId: hostileId, contactPointId: point.id, requestId: crypto.randomUUID() });
      return result.ok ? `dialed: ${result.value.outcome}` : result.error.code;
    }, hostile.id);
    expect(code).toBe('not-found');
  });

  it('rejects a dial of a debtor not leased to this workstation', async () => {
    const code = await stack.page.evaluate(async () => {
      const result = await window.gestiona['contact:dial']({ debtorId: 'CC-1', contactPointId: 'CC-1/celular', requestId: crypto.randomUUID() });
      return result.ok ? 'dialed' : result.error.code;
    });
    expect(code).toBe('not-found');
  });

  it('rejects a typification of an attempt that does not exist', async () => {
    const code = await stack.page.evaluate(async () => {
      const result = await window.gestiona['wrapup:save']({ attemptId: crypto.randomUUID(), code: 'PP', fields: { amount: 1, date: '2026-12-08' }, note: null });
      return result.ok ? 'saved' : result.error.code;
    });
    expect(code).toBe('not-found');
  });

  it.each([
    { case: 'without the token', token: null },
    { case: 'with a wrong token', token: 'x'.repeat(43) },
    { case: 'with the token in the wrong place', token: 'query' },
  ])('rejects a direct bridge call $case', async ({ token }) => {
    const reply = await stack.page.evaluate(
      async ({ token: presented, contactPointId }) => {
        const real = sessionStorage.getItem('gestiona.bridgeToken') ?? '';
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        let path = '/ipc/contact:dial';
        if (presented === 'query') path += `?token=${encodeURIComponent(real)}`;
        else if (presented !== null) headers['x-gestiona-token'] = presented;
        const response = await fetch(path, {
          method: 'POST',
          headers,
          body: JSON.stringify({ debtorId: 'CC-99887766', contactPointId, requestId: crypto.randomUUID() }),
        });
        return { status: response.status, body: (await response.json()) as Result<unknown> };
      },
      { token, contactPointId: hostile.persons[0]!.contactPoints[0]!.id },
    );
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ ok: false, error: { code: 'not-authenticated' } });
  });

  it('dialed nothing: no wrap-up, no attempt, no contact on the server', async () => {
    const session = await dispatch<SessionState>('session:get', {});
    expect(session.wrapUp).toBeNull();

    const view = await dispatch<DebtorView>('debtor:open', { debtorId: HOSTILE_ID });
    expect(view.history).toEqual([]);

    await dispatch('sync:now', {});
    await expect.poll(async () => (await dispatch<SessionState>('session:get', {})).sync.pending, { timeout: 20_000 }).toBe(0);
    expect(await stack.server.store.findLedger(HOSTILE_ID)).toEqual([]);
    expect(await stack.server.store.findInteractions(HOSTILE_ID)).toEqual([]);
    expect(await stack.page.evaluate(() => window.__pwned)).toBeUndefined();
  });

  it('logged every rejection', () => {
    const lines = logLines();
    const count = (msg: string, match: (line: Record<string, unknown>) => boolean = () => true): number =>
      lines.filter((line) => line.msg === msg && match(line)).length;

    expect(count('dispatch: unknown channel rejected')).toBeGreaterThanOrEqual(6);
    expect(count('dispatch: request rejected', (line) => line.code === 'invalid-input')).toBeGreaterThanOrEqual(IPC_CHANNELS.length * 6);
    expect(count('dispatch: request rejected', (line) => line.code === 'not-found' && line.channel === 'contact:dial')).toBeGreaterThanOrEqual(2);
    expect(count('dispatch: request rejected', (line) => line.code === 'not-found' && line.channel === 'wrapup:save')).toBeGreaterThanOrEqual(1);
    expect(count('dial: blocked by gate', (line) => Array.isArray(line.rules) && line.rules.includes('R8'))).toBe(1);
    expect(count('bridge: IPC call without a valid token')).toBeGreaterThanOrEqual(3);
    expect(count('dial: allowed, attempt recorded')).toBe(0);
  });
});

describe('a note with file and share addresses', () => {
  it('is kept as text through a real typification, and nothing navigates', async () => {
    const { page } = stack;
    const startUrl = page.url();
    const mobile = hostile.persons.find((person) => person.role === 'debtor')!.contactPoints.find((point) => point.channel === 'voice')!;

    await page.locator(`[data-testid="contact-point"][data-contact-point-id="${mobile.id}"]`).getByTestId('dial-button').click();
    await visible(page.getByTestId('wrapup-panel'));

    const note = `Ver ${FILE_URL} y ${SMB_URL} <a href="${FILE_URL}">aquí</a>`;
    await page.getByTestId('wrapup-note').fill(note);
    expect(await page.getByTestId('wrapup-note').inputValue()).toBe(note);
    expect(await page.getByTestId('wrapup-panel').locator('a[href]').count()).toBe(0);

    await page.getByTestId('wrapup-code-NC').click();
    await page.getByTestId('wrapup-save').click();
    await expect.poll(() => page.getByTestId('wrapup-panel').count(), { timeout: 20_000 }).toBe(0);

    expect(page.url()).toBe(startUrl);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    await expect
      .poll(() => stack.server.store.findInteractions(HOSTILE_ID).then((rows) => rows.map((row) => [row.code, row.note])), { timeout: 20_000 })
      .toEqual([['NC', note]]);
  });
});
