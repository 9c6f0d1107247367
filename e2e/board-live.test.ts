/**
 * The live board end to end in Chromium through browser mode: today's figures per team and queue,
 * the charts, the drill-down behind a figure, and an agent's state change pushed to the team lead's
 * screen well before the fallback refresh.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_EVENTS } from '@gestiona/core/sync';
import { connectWorkstation, login } from '../server/src/fixtures/server.ts';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026, 10:00 in Bogotá.
const NOW = '2026-12-07T10:00:00-05:00';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(NOW);
});

afterAll(async () => {
  await stack?.stop();
});

describe('live board in the browser', () => {
  it('shows the figures per team and queue and opens the debtors behind one', async () => {
    const { page, users } = stack;
    const lead = users.find((user) => user.username === 'supervisor1')!;
    await page.goto(stack.workstation.url);
    await visible(page.getByTestId('login-username'));
    await page.getByTestId('login-username').fill(lead.username);
    await page.getByTestId('login-password').fill(lead.password);
    await page.getByTestId('login-submit').click();
    await visible(page.getByTestId('board-figures'));

    const rows = page.getByTestId('board-figures-row');
    expect(await rows.first().getAttribute('data-kind')).toBe('total');
    expect(await page.locator('[data-testid="board-figures-row"][data-kind="team"]').count()).toBe(2);
    const total = rows.first();
    const pending = Number(await total.getByTestId('board-figure-pending').textContent());
    expect(pending).toBeGreaterThan(0);

    await total.getByTestId('board-figure-pending').getByRole('button').click();
    const drill = page.getByTestId('board-drill');
    await visible(drill);
    await expect.poll(() => drill.getByTestId('board-drill-total').getAttribute('data-total')).toBe(String(pending));
    expect(await drill.getByTestId('board-drill-agent').count()).toBeGreaterThan(0);
    const debtors = drill.getByTestId('board-drill-debtor');
    // Only the rows in view are in the page.
    expect(await debtors.count()).toBeGreaterThan(0);
    expect(await debtors.count()).toBeLessThanOrEqual(Math.min(pending, 40));
    expect(await debtors.first().textContent()).toMatch(/^Deudor .+ \(CC-\d+\)/);
    await drill.getByTestId('board-drill-close').click();
    expect(await page.getByTestId('board-drill').count()).toBe(0);
  });

  it('lists the queues as the segments of the strategy in force, in its order', async () => {
    const { page } = stack;
    const strategy = (await stack.server.store.listStrategies(1))[0]!.strategy;
    const queues = page.locator('[data-testid="board-figures-row"][data-kind="queue"]');
    await visible(queues.first());

    const keys = await queues.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-key')));
    const expected = strategy.segments.map((segment) => segment.id).filter((id) => keys.includes(id));
    // Every debtor of the demo has a segment of the strategy, so no «Sin segmento» row.
    expect(keys).toEqual(expected);
    expect(keys.length).toBeGreaterThan(0);
    const names = new Map(strategy.segments.map((segment) => [segment.id, segment.name]));
    expect(await queues.first().locator('td').first().textContent()).toBe(names.get(keys[0]!));
    // A queue's wrap-up time is a figure like the others, not a dash.
    expect(await queues.first().getByTestId('board-figure-wrap-up').getByRole('button').count()).toBe(1);
  });

  it('charts today by hour and the last 30 days', async () => {
    const { page } = stack;
    const chart = page.getByTestId('board-chart');
    await visible(chart);
    expect(await chart.getAttribute('data-points')).toBe('15');
    expect(await chart.locator('svg.recharts-surface').count()).toBeGreaterThan(0);

    await page.locator('[data-testid="board-trend-range"][data-range="30d"]').click();
    await expect.poll(() => page.getByTestId('board-chart').getAttribute('data-points')).toBe('30');
  });

  it("shows an agent's pause on the lead's board within a second and a half, without waiting for the fallback refresh", async () => {
    const { page, server, users } = stack;
    const agent = users.find((user) => user.username === 'agente3')!;
    const session = await login(server.url, agent.username, agent.password, 'ws-agente3');
    const socket = await connectWorkstation(server.url, { token: session.token, workstationId: 'ws-agente3' });
    try {
      const row = page.locator('[data-testid="board-agent-row"][data-agent="agente3"]');
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('available');

      expect(await socket.emitWithAck(SOCKET_EVENTS.reportState, { agentState: 'paused', agentStateSince: '2026-12-07T09:58:00-05:00', pauseReason: 'Almuerzo' })).toEqual({
        ok: true,
      });
      await expect.poll(() => row.getAttribute('data-state'), { timeout: 1_500, interval: 50 }).toBe('paused');
      expect(await row.getByTestId('board-agent-pause-reason').textContent()).toBe(' (Almuerzo)');
    } finally {
      socket.close();
    }
  });
});
