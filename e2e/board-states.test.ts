/**
 * Agent states on the team lead's board end to end, in Chromium through browser mode. An agent on
 * one workstation dials, ends the call, typifies and pauses. A team lead on a second workstation
 * sees the board follow each step, and the paused row turn red past its limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationApi } from '@gestiona/core/ipc';
import { startBrowserMode } from '../main/bridge/browser-mode.ts';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026: seeded at 08:00, dials at 10:00, inside the weekday window.
const SEEDED_AT = '2026-12-07T08:00:00-05:00';
const DIAL_AT = '2026-12-07T10:00:00-05:00';

declare global {
  interface Window {
    gestiona: WorkstationApi;
  }
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

let stack: Stack;
let leadDir: string;
let leadWorkstation: Awaited<ReturnType<typeof startBrowserMode>>;
let leadPage: Page;

/** Sets the same instant on the server, the agent's workstation and the team lead's. */
function setClock(iso: string): void {
  stack.setClock(iso);
  leadWorkstation.setClock?.(iso);
}

beforeAll(async () => {
  stack = await startStack(SEEDED_AT);
  leadDir = mkdtempSync(join(tmpdir(), 'gestiona-e2e-lead-'));
  leadWorkstation = await startBrowserMode({
    workstation: { dataDir: leadDir, serverUrl: stack.server.url, dialer: 'manual' },
    rendererDir: join(repoRoot, 'out/renderer'),
    port: 0,
    testClock: true,
  });
  leadPage = await stack.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO', timezoneId: 'America/Bogota' });
  setClock(DIAL_AT);
});

afterAll(async () => {
  await leadPage?.close();
  await leadWorkstation?.close();
  await stack?.stop();
  if (leadDir) rmSync(leadDir, { recursive: true, force: true });
});

async function signIn(page: Page, username: string): Promise<void> {
  const user = stack.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`demo user ${username} missing`);
  await visible(page.getByTestId('login-username'));
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
}

describe('agent states on the board', () => {
  it('follows a call, a wrap-up and a pause', async () => {
    const { page } = stack;
    await page.goto(stack.workstation.url);
    await signIn(page, 'agente1');
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    await leadPage.goto(leadWorkstation.url);
    await signIn(leadPage, 'supervisor1');
    await visible(leadPage.getByTestId('board'));
    const agentRow = leadPage.locator('[data-testid="board-agent-row"][data-agent="agente1"]');
    const boardState = agentRow.getByTestId('board-agent-state');
    await expect.poll(() => boardState.textContent(), { timeout: 20_000 }).toBe('Disponible');

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
    await page.locator(`[data-testid="contact-point"][data-contact-point-id="${pointId}"]`).getByTestId('dial-button').click();
    await expect.poll(() => page.getByTestId('agent-desk-state').textContent(), { timeout: 20_000 }).toBe('En llamada');
    await expect.poll(() => boardState.textContent(), { timeout: 20_000 }).toBe('En llamada');

    await page.getByTestId('call-ended-button').click();
    await expect.poll(() => boardState.textContent(), { timeout: 20_000 }).toBe('En cierre de gestión');

    await page.getByTestId('wrapup-code-NC').click();
    await page.getByTestId('wrapup-save').click();
    await expect.poll(() => boardState.textContent(), { timeout: 20_000 }).toBe('Disponible');

    await page.getByTestId('pause-reason').selectOption('Almuerzo');
    await page.getByTestId('pause-button').click();
    await expect.poll(() => boardState.textContent(), { timeout: 20_000 }).toBe('En pausa');
    expect(await agentRow.getByTestId('board-agent-pause-reason').textContent()).toBe(' (Almuerzo)');
    expect(await agentRow.getAttribute('data-limit')).toBe('normal');

    // 31 minutes later the pause is past its red limit of 30 minutes.
    setClock('2026-12-07T10:31:30-05:00');
    // The renderer learns the trusted time with a session update, which a sync step sends.
    await leadPage.getByRole('button', { name: 'Sincronizar' }).click();
    await expect.poll(() => agentRow.getAttribute('data-limit'), { timeout: 20_000 }).toBe('red');

    // A paused agent cannot dial: main rejects it before the gate.
    const refused = await page.evaluate(
      async ({ debtorId, pointId }) => window.gestiona['contact:dial']({ debtorId, contactPointId: pointId, requestId: crypto.randomUUID() }),
      { debtorId, pointId },
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toMatch(/^Está en pausa \(Almuerzo\)/);
  });
});
