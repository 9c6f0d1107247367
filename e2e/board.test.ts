/**
 * The team lead's board end to end in Chromium through browser mode. An agent dials and typifies
 * one contact, and a second dial to the same person is blocked by the limit of one contact per person per Bogotá day (R5). Then a team
 * lead signs in on the same workstation and the board shows that work, read from the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationApi } from '@gestiona/core/ipc';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026: seeded at 08:00, dials at 10:00, inside the weekday window.
const SEEDED_AT = '2026-12-07T08:00:00-05:00';
const DIAL_AT = '2026-12-07T10:00:00-05:00';

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

async function signIn(username: string): Promise<void> {
  const { page, users } = stack;
  const user = users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`demo user ${username} missing`);
  await visible(page.getByTestId('login-username'));
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
}

describe('team lead board in the browser', () => {
  it('records an agent contact and a blocked dial', async () => {
    const { page } = stack;
    stack.setClock(DIAL_AT);
    await page.goto(stack.workstation.url);
    await signIn('agente1');
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // Find, through the same API the screens use, a debtor with an authorised voice number.
    const found = await page.evaluate(async () => {
      const list = await window.gestiona['worklist:list']({ offset: 0, limit: 50 });
      if (!list.ok) return null;
      for (const item of list.value.items) {
        const view = await window.gestiona['debtor:open']({ debtorId: item.debtorId });
        if (!view.ok) continue;
        const titular = view.value.persons.find((person) => person.role === 'debtor');
        const voice = titular?.contactPoints.find((point) => point.channel === 'voice' && point.authorized && !point.flagged);
        if (voice) return { debtorId: item.debtorId, docNumber: view.value.docNumber, pointId: voice.id };
      }
      return null;
    });
    expect(found).not.toBeNull();
    const { debtorId, docNumber, pointId } = found!;

    await page.getByTestId('worklist-search').fill(docNumber);
    await page.locator(`[data-testid="worklist-row"][data-debtor-id="${debtorId}"]`).click();
    const point = page.locator(`[data-testid="contact-point"][data-contact-point-id="${pointId}"]`);
    await point.getByTestId('dial-button').click();
    await visible(page.getByTestId('wrapup-code-NC'));
    await page.getByTestId('wrapup-code-NC').click();
    await page.getByTestId('wrapup-save').click();
    await expect.poll(() => page.getByTestId('wrapup-panel').count(), { timeout: 20_000 }).toBe(0);

    // A second contact with the same person on the same day is blocked and recorded.
    await point.getByTestId('dial-button').click();
    const blocked = page.getByTestId('gate-blocked');
    await visible(blocked);
    expect(await blocked.getByTestId('gate-rule').allTextContents()).toEqual(['R5']);

    await expect.poll(() => page.getByTestId('sync-pending').textContent(), { timeout: 30_000 }).toContain('Pendientes: 0');
    await expect.poll(() => stack.server.store.findInteractions(debtorId).then((rows) => rows.length), { timeout: 20_000 }).toBe(1);
  });

  it('shows the agent work on the board to a team lead', async () => {
    const { page } = stack;
    await page.getByTestId('logout-button').click();
    await page.getByTestId('logout-confirm-button').click();
    await signIn('supervisor1');

    const board = page.getByTestId('board');
    await visible(board);
    expect(await page.getByTestId('worklist').count()).toBe(0);

    const agentRow = page.locator('[data-testid="board-agent-row"][data-agent="agente1"]');
    await visible(agentRow);
    await expect.poll(() => agentRow.getByTestId('board-agent-interactions').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await agentRow.getByTestId('board-agent-worked').textContent()).toBe('1');
    expect(await agentRow.getByTestId('board-agent-promises').textContent()).toBe('0');
    expect(await agentRow.getByTestId('board-agent-blocked').textContent()).toBe('1');
    // agente1 signed out on the only workstation, which now belongs to the team lead.
    expect(await agentRow.getAttribute('data-state')).toBe('offline');
    expect(await agentRow.getByTestId('board-agent-state').textContent()).toBe('Sin conexión');

    const otherAgents = page.locator('[data-testid="board-agent-row"]:not([data-agent="agente1"])');
    expect(await otherAgents.count()).toBe(2);
    for (const text of await otherAgents.getByTestId('board-agent-interactions').allTextContents()) expect(text).toBe('0');

    const summary = page.getByTestId('board-compliance-summary');
    expect(await summary.getAttribute('data-decisions')).toBe('2');
    expect(await summary.getAttribute('data-blocked')).toBe('1');
    const rules = page.getByTestId('board-blocked-rule');
    expect(await rules.count()).toBe(1);
    expect(await rules.first().getAttribute('data-rule')).toBe('R5');
    expect(await rules.first().getAttribute('data-count')).toBe('1');

    const workstation = page.getByTestId('board-workstation-row');
    await expect.poll(() => workstation.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => workstation.first().getAttribute('data-online'), { timeout: 20_000 }).toBe('true');
    expect(await workstation.first().getByTestId('board-workstation-last-seen').textContent()).toBe('07/12/2026 10:00');
  });

  it('refuses the board to an agent', async () => {
    const { page } = stack;
    await page.getByTestId('logout-button').click();
    await page.getByTestId('logout-confirm-button').click();
    await signIn('agente2');
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId('board').count()).toBe(0);

    const refusal = await page.evaluate(async () => {
      const result = await window.gestiona['board:get']({});
      return result.ok ? 'ok' : result.error.code;
    });
    expect(refusal).toBe('forbidden');
  });
});
