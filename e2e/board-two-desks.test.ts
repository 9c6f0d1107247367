/**
 * Two agents' workstations and a team lead's, in Chromium through browser mode. The lead's board
 * follows an agent's dial, wrap-up and typification within the board's push bound. A workstation
 * cut from the server by its own TCP proxy shows as offline while the others stay connected. It
 * raises the offline alert and catches up after reconnecting. Through the board's UI the lead
 * pauses and resumes an agent, reassigns a debtor and opens the debtor's timeline.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dial, dialableDebtor, signIn, startDesk, type Desk } from './support/desks.ts';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026: seeded at 08:00, dials at 10:00, inside the weekday window.
const SEEDED_AT = '2026-12-07T08:00:00-05:00';
const DIAL_AT = '2026-12-07T10:00:00-05:00';
/** The board must show a desk change within this bound after the action: the push hint plus one board read. */
const BOARD_BOUND = { timeout: 1_500, interval: 50 };
/** For steps that wait on sockets connecting or reconnecting with backoff, not on the board's push. */
const SLOW = { timeout: 60_000, interval: 200 };
const OFFLINE_ALERT_MINUTES = 5;

let stack: Stack;
let agentTwo: Desk;
let lead: Desk;

function setClock(iso: string): void {
  stack.setClock(iso);
  agentTwo.workstation.setClock?.(iso);
  lead.workstation.setClock?.(iso);
}

function agentRow(username: string): Locator {
  return lead.page.locator(`[data-testid="board-agent-row"][data-agent="${username}"]`);
}

function fullName(username: string): string {
  return stack.users.find((user) => user.username === username)!.fullName;
}

async function workstationRowOf(username: string): Promise<Locator> {
  const row = lead.page.locator('[data-testid="board-workstation-row"]', { hasText: fullName(username) });
  await visible(row);
  return row;
}

async function typify(page: Page, code: string): Promise<void> {
  await visible(page.getByTestId(`wrapup-code-${code}`));
  await page.getByTestId(`wrapup-code-${code}`).click();
  await page.getByTestId('wrapup-save').click();
  await expect.poll(() => page.getByTestId('wrapup-panel').count(), SLOW).toBe(0);
}

beforeAll(async () => {
  // Read by the server at start; five minutes keep the test's clock jump short.
  process.env.GESTIONA_OFFLINE_ALERT_MINUTES = String(OFFLINE_ALERT_MINUTES);
  stack = await startStack(SEEDED_AT);
  agentTwo = await startDesk(stack, { proxied: true });
  lead = await startDesk(stack, { proxied: false });
  setClock(DIAL_AT);

  await stack.page.goto(stack.workstation.url);
  await signIn(stack, stack.page, 'agente1');
  await agentTwo.page.goto(agentTwo.workstation.url);
  await signIn(stack, agentTwo.page, 'agente2');
  // expect.poll runs only inside a test, so the setup waits with vi.waitFor.
  for (const page of [stack.page, agentTwo.page]) await vi.waitFor(async () => expect(await page.getByTestId('worklist-row').count()).toBeGreaterThan(0), SLOW);

  await lead.page.goto(lead.workstation.url);
  await signIn(stack, lead.page, 'supervisor1');
  await visible(lead.page.getByTestId('board'));
  for (const username of ['agente1', 'agente2']) {
    await vi.waitFor(async () => expect(await agentRow(username).getByTestId('board-agent-state').textContent()).toBe('Disponible'), SLOW);
  }
}, 180_000);

afterAll(async () => {
  await lead?.close();
  await agentTwo?.close();
  await stack?.stop();
  delete process.env.GESTIONA_OFFLINE_ALERT_MINUTES;
});

describe('board with two agent desks', () => {
  it('follows a dial, a wrap-up and a typification', async () => {
    const page = stack.page;
    const state = agentRow('agente1').getByTestId('board-agent-state');
    const target = await dialableDebtor(page);

    await dial(page, target);
    await expect.poll(() => state.textContent(), BOARD_BOUND).toBe('En llamada');

    await page.getByTestId('call-ended-button').click();
    await expect.poll(() => state.textContent(), BOARD_BOUND).toBe('En cierre de gestión');

    await page.getByTestId('wrapup-code-NC').click();
    await page.getByTestId('wrapup-save').click();
    await expect.poll(() => state.textContent(), BOARD_BOUND).toBe('Disponible');
    await expect.poll(() => agentRow('agente1').getByTestId('board-agent-interactions').textContent(), BOARD_BOUND).toBe('1');
  }, 60_000);

  it('pauses and resumes an agent from the board', async () => {
    const row = agentRow('agente1');
    await row.getByTestId('board-pause-reason').selectOption('Reunión');
    await row.getByTestId('board-pause-agent').click();
    await expect.poll(() => lead.page.getByTestId('board-action-notice').textContent(), SLOW).toBe(`${fullName('agente1')} quedó en pausa (Reunión).`);

    await expect.poll(() => stack.page.getByTestId('agent-desk-state').textContent(), SLOW).toBe('En pausa (Reunión)');
    expect(await stack.page.getByTestId('agent-paused-by').textContent()).toContain(`Pausa indicada por ${fullName('supervisor1')}`);
    await expect.poll(() => row.getByTestId('board-agent-state').textContent(), BOARD_BOUND).toBe('En pausa');

    await row.getByTestId('board-resume-agent').click();
    await expect.poll(() => stack.page.getByTestId('agent-desk-state').textContent(), SLOW).toBe('Disponible');
    await expect.poll(() => row.getByTestId('board-agent-state').textContent(), SLOW).toBe('Disponible');
  }, 60_000);

  it('shows a cut desk offline and catches it up', async () => {
    const page = agentTwo.page;
    const target = await dialableDebtor(page);
    agentTwo.cut();

    await expect.poll(() => agentRow('agente2').getByTestId('board-agent-state').textContent(), SLOW).toBe('Sin conexión');
    const workstation = await workstationRowOf('agente2');
    expect(await workstation.getAttribute('data-online')).toBe('false');
    // The agent on the other desk stays connected.
    expect(await agentRow('agente1').getByTestId('board-agent-state').textContent()).toBe('Disponible');

    // The cut desk keeps working: the decision and the typification wait in its outbox.
    await dial(page, target);
    await typify(page, 'NC');
    expect(await page.getByTestId('sync-pending').textContent()).toMatch(/Pendientes: [1-9]/);

    setClock('2026-12-07T10:10:00-05:00');
    const alert = lead.page.locator('[data-testid="board-offline-alert"]', { hasText: fullName('agente2') });
    await expect.poll(() => alert.textContent(), SLOW).toMatch(/^La estación \S+ \(.+\) lleva \d+ min sin conexión con el servidor, desde el 07\/12\/2026 10:0\d\./);

    agentTwo.reconnect();
    await expect.poll(() => agentRow('agente2').getByTestId('board-agent-interactions').textContent(), SLOW).toBe('1');
    await expect.poll(() => workstation.getByTestId('board-workstation-pending').textContent(), SLOW).toBe('0');
    expect(await workstation.getAttribute('data-online')).toBe('true');
    await expect.poll(() => alert.count(), SLOW).toBe(0);
  }, 240_000);

  it('reassigns a debtor and opens its timeline', async () => {
    await agentRow('agente1').getByTestId('board-reassign-from').click();
    const form = lead.page.getByTestId('board-reassign-form');
    await visible(form);
    const firstDebtor = form.getByTestId('board-reassign-debtor').first();
    await visible(firstDebtor);
    const debtorId = (await firstDebtor.getAttribute('data-debtor'))!;
    await firstDebtor.check();
    await form.getByTestId('board-reassign-target').selectOption({ label: fullName('agente2') });
    await form.getByTestId('board-reassign-submit').click();
    await expect.poll(() => lead.page.getByTestId('board-action-notice').textContent(), SLOW).toMatch(/^Reasignación registrada/);

    const reassignment = lead.page.locator(`[data-testid="board-reassignment-row"][data-debtor="${debtorId}"]`);
    await visible(reassignment);
    // agente1's desk is connected, so it releases the debtor and the handover comes at once.
    await expect.poll(async () => `${await reassignment.getAttribute('data-state')}: ${await reassignment.getByTestId('board-reassignment-state').textContent()}`, SLOW).toMatch(/^done/);
    const inWorklistOf = (page: Page) =>
      page.evaluate(async (id) => {
        const list = await window.gestiona['worklist:list']({ offset: 0, limit: 200, search: id.slice(3) });
        return list.ok && list.value.items.some((item) => item.debtorId === id);
      }, debtorId);
    await expect.poll(() => inWorklistOf(agentTwo.page), SLOW).toBe(true);
    await expect.poll(() => inWorklistOf(stack.page), SLOW).toBe(false);

    await reassignment.getByRole('button').click();
    const timeline = lead.page.getByTestId('debtor-timeline');
    await visible(timeline);
    await expect.poll(() => timeline.locator('[data-testid="debtor-timeline-item"][data-kind="reassignment"]').count(), SLOW).toBe(1);
    expect(await timeline.locator('[data-testid="debtor-timeline-item"][data-kind="lease"]').count()).toBeGreaterThanOrEqual(2);
  }, 120_000);
});
