/**
 * Fast typifying in Chromium through browser mode. Each code's shortcut is shown on its button and
 * chooses it, and only the chosen code's fields show. A callback offers only legal slots. Esc clears
 * the choice without leaving the wrap-up, and Enter saves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationApi } from '@gestiona/core/ipc';
import { startStack, visible, type Stack } from './support/stack.ts';

// Friday 4 Dec 2026 at noon: the demo leases (7 days) cover the Monday below.
const SEEDED_AT = '2026-12-04T12:00:00-05:00';
const MONDAY = '2026-12-07T10:00:00-05:00';

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

describe('fast typifying in the browser', () => {
  it('wrap-up keys: shortcut, Esc, Enter', async () => {
    const { page, users } = stack;
    stack.setClock(MONDAY);
    const agent = users.find((user) => user.role === 'agent')!;
    await page.goto(stack.workstation.url);
    await page.getByTestId('login-username').fill(agent.username);
    await page.getByTestId('login-password').fill(agent.password);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('worklist-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);

    const found = await page.evaluate(async () => {
      const list = await window.gestiona['worklist:list']({ offset: 0, limit: 50 });
      if (!list.ok) return null;
      for (const item of list.value.items) {
        const view = await window.gestiona['debtor:open']({ debtorId: item.debtorId });
        if (!view.ok) continue;
        const voice = view.value.persons.find((person) => person.role === 'debtor')?.contactPoints.find((point) => point.channel === 'voice' && point.dialable);
        if (voice) return { debtorId: view.value.id, docNumber: view.value.docNumber, pointId: voice.id };
      }
      return null;
    });
    expect(found).not.toBeNull();
    await page.getByTestId('worklist-search').fill(found!.docNumber);
    await page.locator(`[data-testid="worklist-row"][data-debtor-id="${found!.debtorId}"]`).click();
    await page.locator(`[data-testid="contact-point"][data-contact-point-id="${found!.pointId}"]`).getByTestId('dial-button').click();
    await visible(page.getByTestId('wrapup-panel'));

    // The shortcut is printed on the button.
    expect(await page.getByTestId('wrapup-code-VL').locator('kbd').textContent()).toBe('V');

    await page.locator('body').press('v');
    expect(await page.getByTestId('wrapup-code-VL').getAttribute('aria-pressed')).toBe('true');
    const picker = page.getByTestId('wrapup-field-callbackAt');
    await picker.locator('option').nth(1).waitFor({ state: 'attached', timeout: 20_000 });
    // Monday 10:00 with today's contact made (R5) and Tuesday 8 December a holiday (R4): the first
    // legal slot is Wednesday 07:00, and no Sunday is offered.
    const options = await picker.locator('option').allTextContents();
    expect(options[0]).toBe('Seleccione un horario permitido…');
    expect(options[1]).toBe('07:00');
    const days = await picker.locator('optgroup').evaluateAll((groups) => groups.map((group) => group.getAttribute('label')));
    expect(days[0]).toBe('miércoles 09/12/2026');
    expect(days.some((day) => day?.startsWith('domingo'))).toBe(false);
    // Only the chosen code's fields are shown.
    expect(await page.locator('[data-testid^="wrapup-field-"]').count()).toBe(1);

    await page.locator('body').press('Escape');
    expect(await page.getByTestId('wrapup-code-VL').getAttribute('aria-pressed')).toBe('false');
    expect(await page.locator('[data-testid^="wrapup-field-"]').count()).toBe(0);
    await visible(page.getByTestId('wrapup-panel'));

    await page.locator('body').press('n');
    expect(await page.getByTestId('wrapup-code-NC').getAttribute('aria-pressed')).toBe('true');
    await page.locator('body').press('Enter');
    await expect.poll(() => page.getByTestId('wrapup-panel').count(), { timeout: 15_000 }).toBe(0);
  });
});
