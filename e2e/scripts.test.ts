/**
 * Branching scripts in Chromium through browser mode. The agent walks the script of an open call:
 * the debt steps appear only after the identity answer, the answers work from the keyboard, and the
 * path reaches the server with the interaction. The administrator then edits a script, sees the
 * live check refuse an unknown variable, and publishes a fixed version.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationApi } from '@gestiona/core/ipc';
import { buildDebtorEvidence } from '../server/src/evidence/build-evidence.ts';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026 at 10:00 in Bogotá: a weekday inside the calling window.
const MONDAY = '2026-12-07T10:00:00-05:00';

declare global {
  interface Window {
    gestiona: WorkstationApi;
  }
}

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(MONDAY);
});

afterAll(async () => {
  await stack?.stop();
});

async function signIn(username: string): Promise<void> {
  const { page, users } = stack;
  const user = users.find((candidate) => candidate.username === username)!;
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
}

const current = () => stack.page.locator('[data-testid="script-step"][aria-current="step"]');

describe('agent walks a branching script', () => {
  let debtorId = '';

  it('walks the answers of an open call and stores the path', async () => {
    const { page } = stack;
    await page.goto(stack.workstation.url);
    await signIn('agente1');
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    const found = await page.evaluate(async () => {
      const list = await window.gestiona['worklist:list']({ offset: 0, limit: 50 });
      if (!list.ok) return null;
      for (const item of list.value.items) {
        const view = await window.gestiona['debtor:open']({ debtorId: item.debtorId });
        if (!view.ok) continue;
        const titular = view.value.persons.find((person) => person.role === 'debtor');
        const voice = titular?.contactPoints.find((point) => point.channel === 'voice' && point.authorized && !point.flagged);
        if (voice) return { debtorId: view.value.id, docNumber: view.value.docNumber, pointId: voice.id };
      }
      return null;
    });
    expect(found).not.toBeNull();
    debtorId = found!.debtorId;

    await page.getByTestId('worklist-search').fill(found!.docNumber);
    await page.locator(`[data-testid="worklist-row"][data-debtor-id="${debtorId}"]`).click();
    await visible(current());
    expect(await current().getAttribute('data-step-kind')).toBe('greeting');
    // Before the call the script does not move.
    expect(await page.getByTestId('script-answer').first().isDisabled()).toBe(true);

    await page.locator(`[data-testid="contact-point"][data-contact-point-id="${found!.pointId}"]`).getByTestId('dial-button').click();
    await visible(page.getByTestId('wrapup-panel'));

    await page.getByTestId('script-answer').first().click();
    await expect.poll(() => current().getAttribute('data-step-kind')).toBe('identity-check');
    expect(await page.locator('[data-testid="script-step"][data-step-kind="reason"]').count()).toBe(0);

    await page.locator('[data-testid="script-answer"][data-answer="confirmada"]').click();
    await expect.poll(() => current().getAttribute('data-step-kind')).toBe('reason');
    expect(await current().getByTestId('script-step-text').textContent()).toMatch(/\$\s?[\d.]+/);

    await page.getByTestId('script-answer').first().click();
    await expect.poll(() => current().getAttribute('data-step-kind')).toBe('negotiation');

    // Keyboard: with the focus in the panel, "2" takes the second answer (the first objection) and Backspace goes back.
    await page.getByTestId('script-answer').first().focus();
    await page.keyboard.press('2');
    await expect.poll(() => current().getAttribute('data-step-kind')).toBe('objection');
    await page.keyboard.press('Backspace');
    await expect.poll(() => current().getAttribute('data-step-kind')).toBe('negotiation');

    await page.locator('[data-testid="script-answer"][data-answer="acepta"]').click();
    await expect.poll(() => current().getAttribute('data-step-kind')).toBe('closing');

    await page.getByTestId('wrapup-code-NC').click();
    await page.getByTestId('wrapup-save').click();
    await expect.poll(() => page.getByTestId('wrapup-panel').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => current().getAttribute('data-step-kind')).toBe('greeting');

    await expect
      .poll(() => stack.server.store.findInteractions(debtorId).then((rows) => rows.map((row) => row.scriptPath?.map((entry) => entry.answer ?? '-').join(' '))), { timeout: 30_000 })
      .toEqual(['- confirmada - acepta']);

    // The evidence export names the steps and the answers the agent took.
    const evidence = await buildDebtorEvidence(stack.server.store, debtorId, new Date(MONDAY));
    expect(evidence?.contacts[0]?.scriptPath?.text).toMatch(/^Guion guion-\w+ [\d.]+: Saludo → Verificación de identidad \[Identidad confirmada\] → .+ → .+ \[Acepta una opción de pago\]$/);
  });
});

describe('administrator edits a script', () => {
  it('shows the live check and publishes a new version', async () => {
    const { page } = stack;
    await page.getByTestId('back-to-worklist').click();
    await page.getByTestId('logout-button').click();
    await page.getByTestId('logout-confirm-button').click();
    await signIn('admin');

    await page.getByTestId('top-nav-admin').click();
    await page.getByTestId('admin-tab-scripts').click();
    await visible(page.getByTestId('script-editor'));
    await expect.poll(() => page.getByTestId('script-list-item').count(), { timeout: 20_000 }).toBe(5);
    await visible(page.getByTestId('script-check-ok'));

    const greeting = page.locator('[data-testid="script-edit-step"][data-step-id="saludo"] textarea');
    const original = await greeting.inputValue();
    await greeting.fill(`${original} Su cuota es {{cuota}}.`);
    await visible(page.getByTestId('script-problems'));
    expect(await page.locator('[data-testid="script-edit-step"][data-step-id="saludo"] [data-testid="script-step-problem"]').first().textContent()).toContain('{{cuota}}');
    expect(await page.getByTestId('script-publish').isDisabled()).toBe(true);

    await greeting.fill(`${original} Gracias por atender.`);
    await visible(page.getByTestId('script-check-ok'));
    await page.getByRole('button', { name: 'Siguiente versión' }).click();
    const version = await page.getByTestId('script-version').inputValue();
    await page.getByTestId('script-publish').click();
    await visible(page.getByTestId('script-publish-notice'));

    const published = await stack.server.store.listScripts();
    const first = published.find((record) => record.version === version);
    expect(first?.source).toBe('admin');
    expect(first?.script.steps[0]?.text).toContain('Gracias por atender.');
  });
});
