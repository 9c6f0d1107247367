/**
 * Strategies end to end in Chromium through browser mode. An administrator widens the first
 * segment's rule in the admin screen, checks in the preview how many debtors would move, and
 * publishes. Then an agent signs in on the same workstation, whose worklist, synced from the
 * server, shows a debtor of the old segment under the new one and no debtor left in the old one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationApi } from '@gestiona/core/ipc';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026 at 10:00, inside the weekday window.
const NOW = '2026-12-07T10:00:00-05:00';

declare global {
  interface Window {
    gestiona: WorkstationApi;
  }
}

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(NOW);
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

async function signOut(): Promise<void> {
  const { page } = stack;
  await page.getByTestId('logout-button').click();
  await page.getByTestId('logout-confirm-button').click();
  await visible(page.getByTestId('login-username'));
}

/** Lists the ids of the agent's debtors in a segment through the same API the worklist uses. */
async function debtorsInSegment(segment: string): Promise<string[]> {
  return stack.page.evaluate(async (segmentId) => {
    const list = await window.gestiona['worklist:list']({ offset: 0, limit: 200, segment: segmentId });
    if (!list.ok) throw new Error(list.error.message);
    return list.value.items.map((item) => item.debtorId);
  }, segment);
}

describe('strategy administration in the browser', () => {
  let movedDebtorId: string;

  it('finds an agent debtor in the early segment', async () => {
    const { page } = stack;
    await page.goto(stack.workstation.url);
    await signIn('agente1');
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    const early = await debtorsInSegment('temprana');
    expect(early.length).toBeGreaterThan(0);
    movedDebtorId = early[0]!;
    await signOut();
  });

  it('previews and publishes a wider first segment', async () => {
    const { page } = stack;
    await signIn('admin');
    await page.getByTestId('top-nav-admin').click();
    await visible(page.getByTestId('strategy-editor'));

    await page.locator('[data-testid="segment-row"][data-segment-id="preventiva"] .segment-select').click();
    const condition = page.getByTestId('segment-detail').getByTestId('rule-condition').nth(1);
    expect(await condition.getByTestId('condition-variable').inputValue()).toBe('daysPastDue');
    await condition.getByTestId('condition-value').fill('30');

    await page.getByTestId('strategy-preview').click();
    const move = page.locator('[data-testid="preview-move"][data-from="temprana"][data-to="preventiva"]');
    await visible(move);
    expect(Number((await move.locator('td').nth(2).textContent())?.replace(/\D/g, ''))).toBeGreaterThan(0);

    await page.getByTestId('strategy-reason').fill('Preventiva hasta 30 días de mora');
    await page.getByTestId('strategy-publish').click();
    await expect.poll(() => page.getByTestId('strategy-notice').textContent(), { timeout: 20_000 }).toContain('publicada');
    await signOut();
  });

  it('shows the new segment on the agent worklist', async () => {
    const { page } = stack;
    await signIn('agente1');
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    await expect.poll(() => debtorsInSegment('temprana'), { timeout: 30_000 }).toEqual([]);
    await page.getByTestId('worklist-segment-filter').selectOption('preventiva');
    const row = page.locator(`[data-testid="worklist-row"][data-debtor-id="${movedDebtorId}"]`);
    await page.getByTestId('worklist-search').fill(movedDebtorId.replace(/^[A-Z]+-/, ''));
    await visible(row);
    expect(await row.getByTestId('worklist-segment').getAttribute('data-segment-id')).toBe('preventiva');
    expect(await row.getByTestId('worklist-segment').textContent()).toBe('Preventiva');
  });
});
