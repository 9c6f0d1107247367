/**
 * The agent's status bar once the session expired while the server was down and the server came
 * back: it shows the reachable server, the expired offline allowance and a backlog warning that
 * asks for the password, in line with the banner above it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationApi } from '@gestiona/core/ipc';
import { startStack, visible, type Stack } from './support/stack.ts';

// Friday 4 Dec 2026 at noon: the demo leases (7 days) cover the Monday below.
const SEEDED_AT = '2026-12-04T12:00:00-05:00';
const MONDAY = '2026-12-07T10:00:00-05:00';
// Eight days later: past the session (12 h), its renewal (7 days) and the offline allowance (72 h).
const EIGHT_DAYS_LATER = '2026-12-15T10:00:00-05:00';

declare global {
  interface Window {
    gestiona: WorkstationApi;
  }
}

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(SEEDED_AT);
});

afterAll(async () => {
  await stack?.stop();
});

describe('status bar after the session expired', () => {
  it('shows the reachable server and asks for the password', async () => {
    const { page, users } = stack;
    stack.setClock(MONDAY);
    const agent = users.find((user) => user.role === 'agent')!;
    await page.goto(stack.workstation.url);
    await page.getByTestId('login-username').fill(agent.username);
    await page.getByTestId('login-password').fill(agent.password);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 30_000 }).toBe('En línea');

    await stack.stopServer();
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 30_000 }).toBe('Sin conexión');
    // One debtor's view, queued while the server is down.
    const opened = await page.evaluate(async () => {
      const list = await window.gestiona['worklist:list']({ offset: 0, limit: 50 });
      if (!list.ok || list.value.items.length === 0) return 'worklist failed';
      const view = await window.gestiona['debtor:open']({ debtorId: list.value.items[0]!.debtorId });
      return view.ok ? 'opened' : view.error.message;
    });
    expect(opened).toBe('opened');

    stack.setClock(EIGHT_DAYS_LATER);
    await stack.restartServer();
    await visible(page.getByTestId('server-available'), 60_000);
    await page.reload();
    await visible(page.getByTestId('server-available'), 30_000);

    expect(await page.getByTestId('sync-status').textContent()).toBe('Servidor disponible — sesión vencida');
    expect(await page.getByTestId('offline-session').textContent()).toMatch(/^Sesión sin conexión vencida el \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    const warning = await page.getByTestId('sync-backlog-warning').textContent();
    expect(warning).toContain('pulse «Ingresar contraseña» en el aviso de arriba para enviarlos.');
    expect(warning).not.toContain('revise la red');

    await page.getByTestId('reauth-open').click();
    await page.getByTestId('reauth-password').fill(agent.password);
    await page.getByTestId('reauth-submit').click();
    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 30_000 }).toBe('Pendientes: 0');
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 30_000 }).toBe('En línea');
    expect(await page.getByTestId('offline-session').count()).toBe(0);
  }, 180_000);
});
