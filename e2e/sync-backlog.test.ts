/**
 * The agent's status bar while the server is unreachable: the connection, the number of unsent
 * events, the age of the oldest, and the warning once that age passes the backlog limit (4 hours).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationApi } from '@gestiona/core/ipc';
import { startStack, visible, type Stack } from './support/stack.ts';

// Friday 4 Dec 2026 at noon: the demo leases (7 days) cover the Monday below.
const SEEDED_AT = '2026-12-04T12:00:00-05:00';
const MONDAY = '2026-12-07T10:00:00-05:00';
const MONDAY_AFTERNOON = '2026-12-07T15:00:00-05:00';

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

describe('sync backlog in the status bar', () => {
  it('shows the age and warns about an old backlog', async () => {
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

    // One typification through the API the screens use: the debtor's view, its decision and its interaction wait in the outbox.
    const saved = await page.evaluate(async () => {
      const list = await window.gestiona['worklist:list']({ offset: 0, limit: 50 });
      if (!list.ok) return 'worklist failed';
      for (const item of list.value.items.filter((candidate) => candidate.legalStatus === 'contactable')) {
        const view = await window.gestiona['debtor:open']({ debtorId: item.debtorId });
        const point = view.ok ? view.value.persons.find((person) => person.role === 'debtor')?.contactPoints.find((candidate) => candidate.dialable) : undefined;
        if (!point) continue;
        const dialed = await window.gestiona['contact:dial']({ debtorId: item.debtorId, contactPointId: point.id, requestId: crypto.randomUUID() });
        if (!dialed.ok || dialed.value.outcome === 'blocked') return 'dial not placed';
        const result = await window.gestiona['wrapup:save']({ attemptId: dialed.value.wrapUp.attemptId, code: 'NC', fields: {}, note: null });
        return result.ok ? 'saved' : result.error.message;
      }
      return 'no contactable debtor';
    });
    expect(saved).toBe('saved');

    await page.reload();
    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 20_000 }).toBe('Pendientes: 3');
    expect(await page.getByTestId('sync-oldest-pending').textContent()).toBe('Pendiente desde hace menos de 1 min');
    expect(await page.getByTestId('sync-backlog-warning').count()).toBe(0);

    // Five hours later, still offline: the reload reads the new trusted time from main.
    stack.setClock(MONDAY_AFTERNOON);
    await page.reload();
    await visible(page.getByTestId('sync-backlog-warning'));
    expect(await page.getByTestId('sync-oldest-pending').textContent()).toBe('Pendiente desde hace 5 h 0 min');
    expect(await page.getByTestId('sync-backlog-warning').textContent()).toContain('3 registro(s) sin enviar al servidor central desde hace 5 h 0 min');
  }, 180_000);
});
