/**
 * The main job end to end in Chromium through browser mode. The agent logs in and opens the worklist.
 * A dial on a Sunday is blocked with its reason and next slot, and a dial on a weekday is allowed.
 * Leaving without typifying is refused, and after typifying the event is stored on the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DebtorView, WorkstationApi } from '@gestiona/core/ipc';
import { startStack, visible, type Stack } from './support/stack.ts';

// Friday 4 Dec 2026 at noon: the demo leases (7 days) cover the Sunday and the Monday below.
const SEEDED_AT = '2026-12-04T12:00:00-05:00';
const SUNDAY = '2026-12-06T10:00:00-05:00';
const MONDAY = '2026-12-07T10:00:00-05:00';

declare global {
  interface Window {
    gestiona: WorkstationApi;
  }
}

let stack: Stack;
let debtor: DebtorView;
let voicePointId: string;

beforeAll(async () => {
  stack = await startStack(SEEDED_AT);
});

afterAll(async () => {
  await stack?.stop();
});

describe('main job in the browser', () => {
  it('logs in and shows the worklist', async () => {
    const { page, users } = stack;
    stack.setClock(SUNDAY);
    const agent = users.find((user) => user.role === 'agent');
    expect(agent).toBeDefined();

    await page.goto(stack.workstation.url);
    await page.getByTestId('login-username').fill(agent!.username);
    await page.getByTestId('login-password').fill(agent!.password);
    await page.getByTestId('login-submit').click();

    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const firstStatus = page.getByTestId('worklist-status').first();
    // Sunday: no debtor is contactable.
    await expect.poll(() => firstStatus.getAttribute('data-legal-status')).not.toBe('contactable');
  });

  it('blocks a dial on Sunday with its reason and next slot', async () => {
    const { page } = stack;

    // Find, through the same API the screens use, a debtor with an authorised voice number.
    const found = await page.evaluate(async () => {
      const list = await window.gestiona['worklist:list']({ offset: 0, limit: 50 });
      if (!list.ok) return null;
      for (const item of list.value.items) {
        const view = await window.gestiona['debtor:open']({ debtorId: item.debtorId });
        if (!view.ok) continue;
        const titular = view.value.persons.find((person) => person.role === 'debtor');
        const voice = titular?.contactPoints.find((point) => point.channel === 'voice' && point.authorized && !point.flagged);
        if (voice) return { view: view.value, pointId: voice.id };
      }
      return null;
    });
    expect(found).not.toBeNull();
    debtor = found!.view;
    voicePointId = found!.pointId;

    await page.getByTestId('worklist-search').fill(debtor.docNumber);
    const row = page.locator(`[data-testid="worklist-row"][data-debtor-id="${debtor.id}"]`);
    await row.click();
    await visible(page.getByTestId('debtor-name'));
    expect(await page.getByTestId('debtor-name').textContent()).toContain(debtor.fullName);
    expect(await page.getByTestId('script-step').first().getAttribute('data-step-kind')).toMatch(/greeting|identity-check/);

    const point = page.locator(`[data-testid="contact-point"][data-contact-point-id="${voicePointId}"]`);
    await point.getByTestId('dial-button').click();

    const blocked = page.getByTestId('gate-blocked');
    await visible(blocked);
    expect(await blocked.getByTestId('gate-rule').allTextContents()).toEqual(['R3']);
    expect(await blocked.getByTestId('gate-reason').first().textContent()).toMatch(/domingo/i);
    const nextSlot = await blocked.getByTestId('gate-next-slot').textContent();
    expect(nextSlot).toMatch(/lunes/i);
    expect(nextSlot).toContain('07:00');
    expect(await page.getByTestId('wrapup-panel').count()).toBe(0);
  });

  it('allows a dial on a weekday and enters wrap-up', async () => {
    const { page } = stack;
    stack.setClock(MONDAY);

    const point = page.locator(`[data-testid="contact-point"][data-contact-point-id="${voicePointId}"]`);
    await point.getByTestId('dial-button').click();

    await visible(page.getByTestId('call-placed'));
    await visible(page.getByTestId('wrapup-panel'));
    // The catalog was stored by the first pull, after sign-in: the form must offer its codes anyway.
    await visible(page.getByTestId('wrapup-code-NC'));
    expect(await page.getByTestId('gate-blocked').count()).toBe(0);
  });

  it('refuses to leave the debtor without typifying', async () => {
    const { page } = stack;

    await page.getByTestId('back-to-worklist').click();
    await visible(page.getByTestId('wrapup-required'));
    await visible(page.getByTestId('wrapup-panel'));
    expect(await page.getByTestId('debtor-view').count()).toBe(1);

    // Main refuses too: a forged call from the page cannot open another debtor or dial again.
    const refusal = await page.evaluate(async (currentId) => {
      const list = await window.gestiona['worklist:list']({ offset: 0, limit: 5 });
      const other = list.ok ? list.value.items.find((item) => item.debtorId !== currentId) : undefined;
      if (!other) return null;
      const opened = await window.gestiona['debtor:open']({ debtorId: other.debtorId });
      return opened.ok ? 'opened' : opened.error.code;
    }, debtor.id);
    expect(refusal).toBe('wrap-up-pending');

    // The pending wrap-up survives a reload of the screen.
    await page.reload();
    await visible(page.getByTestId('wrapup-panel'));
  });

  it('stores the typified contact on the server', async () => {
    const { page, server } = stack;

    await page.getByTestId('wrapup-code-NC').click();
    await page.getByTestId('wrapup-save').click();
    await expect.poll(() => page.getByTestId('wrapup-panel').count(), { timeout: 20_000 }).toBe(0);

    await expect
      .poll(() => server.store.findInteractions(debtor.id).then((rows) => rows.map((row) => row.code)), { timeout: 20_000 })
      .toEqual(['NC']);
    // The debtor view recorded when the screen reloads after the wrap-up goes in a later push, and
    // the status bar must show it sent without the agent pressing «Sincronizar».
    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 30_000 }).toBe('Pendientes: 0');
  });
});

describe('offline branch office', () => {
  // Wednesday 9 Dec 2026 (Tuesday 8 is a holiday): a new day, so the R5 budget is fresh.
  const WEDNESDAY = '2026-12-09T10:00:00-05:00';

  it('keeps working offline and flushes once on reconnect', async () => {
    const { page } = stack;
    stack.setClock(WEDNESDAY);
    await stack.stopServer();
    await expect
      .poll(() => page.getByTestId('sync-status').getAttribute('data-connection'), { timeout: 30_000 })
      .toBe('offline');

    await page.getByTestId('back-to-worklist').click();
    await page.getByTestId('worklist-search').fill(debtor.docNumber);
    await page.locator(`[data-testid="worklist-row"][data-debtor-id="${debtor.id}"]`).click();
    const point = page.locator(`[data-testid="contact-point"][data-contact-point-id="${voicePointId}"]`);
    await point.getByTestId('dial-button').click();
    await visible(page.getByTestId('wrapup-code-BZ'));
    await page.getByTestId('wrapup-code-BZ').click();
    await page.getByTestId('wrapup-save').click();
    await expect.poll(() => page.getByTestId('wrapup-panel').count(), { timeout: 20_000 }).toBe(0);

    // The view of the debtor's file, the decision and the interaction wait in the outbox.
    expect(await page.getByTestId('sync-pending').textContent()).toContain('3');

    await stack.restartServer();

    // Days passed on the test clock, so the 12-hour session expired while offline. Its renewal token
    // (7 days) is still valid, so the workstation renews on reconnect without a new sign-in.
    await expect
      .poll(() => stack.server.store.findInteractions(debtor.id).then((rows) => rows.map((row) => row.code)), { timeout: 90_000 })
      .toEqual(['NC', 'BZ']);
    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 30_000 }).toContain('Pendientes: 0');
    expect(await page.getByTestId('sync-error').count()).toBe(0);
    expect(await stack.server.store.countEvents()).toBeGreaterThanOrEqual(4);
    // Reconnection backs off with jitter after the outage, so this test gets more time than the others.
  }, 240_000);
});
