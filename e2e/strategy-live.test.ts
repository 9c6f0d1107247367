/**
 * A strategy change reaches a signed-in agent live, in Chromium through browser mode.
 * The agent keeps the worklist open on one workstation, filtered to one debtor of the early
 * segment. An administrator on another workstation widens the first segment's rule and publishes.
 * The agent's row then shows the new segment within a few seconds: nothing is clicked or typed on
 * the agent's page after the publication, and the agent does not sign in again. The same holds for
 * a set published with `npm run server -- strategy publish`, which writes the database from another
 * process: the server hears of it through its content watch, not through its own store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Condition } from '@gestiona/core/strategy/schema';
import { createLogger } from '../server/src/logger.ts';
import { openStore } from '../server/src/store/open-store.ts';
import type { ServerStore } from '../server/src/store/types.ts';
import { strategyCommand } from '../server/src/strategy/strategy-cli.ts';
import { signIn, startDesk, type Desk } from './support/desks.ts';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026 at 10:00, inside the weekday window.
const NOW = '2026-12-07T10:00:00-05:00';
/** The publication's feed hint, one pull and one worklist read: a few seconds even on a shared machine. */
const LIVE_BOUND = { timeout: 5_000, interval: 100 };
const SLOW = { timeout: 60_000, interval: 200 };

/** Interval of the server's poll for publications made outside it, short so that the command-line case fits the same bound. */
const CONTENT_POLL_MS = 1_000;

let stack: Stack;
let admin: Desk;

beforeAll(async () => {
  stack = await startStack(NOW, { contentPollMs: CONTENT_POLL_MS });
  admin = await startDesk(stack, { proxied: false });
  admin.workstation.setClock?.(NOW);

  await stack.page.goto(stack.workstation.url);
  await signIn(stack, stack.page, 'agente1');
  await vi.waitFor(async () => expect(await stack.page.getByTestId('worklist-row').count()).toBeGreaterThan(0), SLOW);

  await admin.page.goto(admin.workstation.url);
  await signIn(stack, admin.page, 'admin');
  await admin.page.getByTestId('top-nav-admin').click();
  await visible(admin.page.getByTestId('strategy-editor'));
}, 180_000);

afterAll(async () => {
  await admin?.close();
  await stack?.stop();
});

/** Lists the ids of the agent's debtors in a segment through the same API the worklist uses. */
async function agentDebtorsIn(segment: string): Promise<string[]> {
  return stack.page.evaluate(async (segmentId) => {
    const list = await window.gestiona['worklist:list']({ offset: 0, limit: 200, segment: segmentId });
    if (!list.ok) throw new Error(list.error.message);
    return list.value.items.map((item) => item.debtorId);
  }, segment);
}

describe('strategy change seen live by a signed-in agent', () => {
  it('moves the open row after an admin-screen publication', async () => {
    const agent = stack.page;
    const early = await agentDebtorsIn('temprana');
    expect(early.length).toBeGreaterThan(0);
    const movedDebtorId = early[0]!;

    // The agent narrows the open worklist to that debtor before the change, then leaves the page alone.
    await agent.getByTestId('worklist-search').fill(movedDebtorId.replace(/^[A-Z]+-/, ''));
    const row = agent.locator(`[data-testid="worklist-row"][data-debtor-id="${movedDebtorId}"]`);
    await visible(row);
    const segmentTag = row.getByTestId('worklist-segment');
    expect(await segmentTag.getAttribute('data-segment-id')).toBe('temprana');

    await admin.page.locator('[data-testid="segment-row"][data-segment-id="preventiva"] .segment-select').click();
    const condition = admin.page.getByTestId('segment-detail').getByTestId('rule-condition').nth(1);
    expect(await condition.getByTestId('condition-variable').inputValue()).toBe('daysPastDue');
    await condition.getByTestId('condition-value').fill('30');
    // Publishing is enabled once the administrator has seen the preview of the moves.
    await admin.page.getByTestId('strategy-preview').click();
    await visible(admin.page.locator('[data-testid="preview-move"][data-from="temprana"][data-to="preventiva"]'));
    await admin.page.getByTestId('strategy-reason').fill('Preventiva hasta 30 días de mora');
    await admin.page.getByTestId('strategy-publish').click();
    await expect.poll(() => admin.page.getByTestId('strategy-notice').textContent(), SLOW).toContain('publicada');

    // From here on the agent's page is only read.
    await expect.poll(() => segmentTag.getAttribute('data-segment-id'), LIVE_BOUND).toBe('preventiva');
    expect(await segmentTag.textContent()).toBe('Preventiva');
    expect(await agentDebtorsIn('temprana')).toEqual([]);
    // Still the same session: the agent never went back to the login form.
    expect(await agent.getByTestId('login-username').count()).toBe(0);
  }, 120_000);

  it('moves the open row after a command-line publication', async () => {
    const agent = stack.page;
    const middle = await agentDebtorsIn('media');
    expect(middle.length).toBeGreaterThan(0);
    const movedDebtorId = middle[0]!;

    await agent.getByTestId('worklist-search').fill(movedDebtorId.replace(/^[A-Z]+-/, ''));
    const row = agent.locator(`[data-testid="worklist-row"][data-debtor-id="${movedDebtorId}"]`);
    await visible(row);
    const segmentTag = row.getByTestId('worklist-segment');
    expect(await segmentTag.getAttribute('data-segment-id')).toBe('media');

    const dir = mkdtempSync(join(tmpdir(), 'gestiona-e2e-strategy-'));
    try {
      const current = await withCliStore(async (store) => (await store.listStrategies(1))[0]!.strategy);
      const wider = structuredClone(current);
      wider.version = `${current.version}-cli`;
      const preventiva = wider.segments.find((segment) => segment.id === 'preventiva')!;
      const rule = preventiva.rule;
      const band = 'all' in rule ? rule.all.find((node): node is Condition => 'variable' in node && node.variable === 'daysPastDue') : undefined;
      if (band === undefined) throw new Error('the preventive segment has no daysPastDue condition');
      band.value = 90;
      const file = join(dir, 'estrategia.json');
      writeFileSync(file, JSON.stringify(wider));

      const errors: string[] = [];
      const code = await strategyCommand(['publish', file, '--by', 'admin', '--reason', 'Preventiva hasta 90 días de mora'], {
        withStore: (_values, work) => withCliStore(work),
        out: () => undefined,
        err: (line) => void errors.push(line),
        now: () => new Date(NOW),
      });
      expect(errors).toEqual([]);
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    await expect.poll(() => segmentTag.getAttribute('data-segment-id'), LIVE_BOUND).toBe('preventiva');
    expect(await agentDebtorsIn('media')).toEqual([]);
    expect(await agent.getByTestId('login-username').count()).toBe(0);
  }, 120_000);
});

/** Opens the server's database the way the command line does: a store of its own, which the running server does not listen to. */
async function withCliStore<T>(work: (store: ServerStore) => Promise<T>): Promise<T> {
  const store = await openStore({ dbPath: stack.server.store.path, logger: createLogger({ level: 'silent' }) });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
