/**
 * Screen problems only a browser shows: the catalog editor on a colliding new code, the width of the
 * callback slot list, and the sign-out confirmation offline, which must be readable and keep its
 * buttons inside a 1366×768 window.
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
  stack.setClock(MONDAY);
});

afterAll(async () => {
  await stack?.stop();
});

/** WCAG 2 contrast ratio of two CSS `rgb(…)` colours. */
function contrast(foreground: string, background: string): number {
  const luminance = (css: string): number => {
    const [r, g, b] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((part) => {
      const channel = Number(part) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

async function signIn(role: 'admin' | 'agent'): Promise<void> {
  const { page, users } = stack;
  const user = users.find((candidate) => candidate.role === role)!;
  await page.goto(stack.workstation.url);
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

describe('screen fixes in the browser', () => {
  it('catalog editor: proposes a version and keeps a colliding new code editable', async () => {
    const { page } = stack;
    await signIn('admin');
    await page.getByTestId('top-nav-admin').click();
    await page.getByTestId('admin-tab-catalog').click();
    await visible(page.getByTestId('catalog-editor'));

    // No error before any edit: the next version is proposed.
    expect(await page.getByTestId('catalog-version').inputValue()).toBe('2026.4');
    expect(await page.getByTestId('catalog-problems').count()).toBe(0);

    // Compliance classes have Spanish names only.
    const classes = await page.getByTestId('catalog-code-class').locator('option').allTextContents();
    expect(classes).toEqual(['Contacto con el titular', 'Contacto con tercero', 'Sin contacto']);

    await page.getByRole('button', { name: 'Añadir código a Sin contacto' }).click();
    await page.getByTestId('catalog-code-id').fill('PP');
    expect(await page.getByTestId('catalog-problems').textContent()).toContain('Código PP: está repetido en el catálogo.');
    expect(await page.getByTestId('catalog-code-id').isDisabled()).toBe(false);
    expect(await page.getByTestId('catalog-code-class').isDisabled()).toBe(false);

    await page.getByTestId('catalog-code-id').fill('PX');
    expect(await page.getByTestId('catalog-problems').count()).toBe(0);

    // Right after a publish, the editor proposes the version after the new one and shows no error.
    await page.getByTestId('catalog-reason').fill('Código PX de prueba');
    await page.getByTestId('catalog-publish').click();
    await visible(page.getByTestId('catalog-notice'));
    expect(await page.getByTestId('catalog-notice').textContent()).toContain('Catálogo 2026.4 publicado');
    await expect.poll(() => page.getByTestId('catalog-version').inputValue()).toBe('2026.5');
    expect(await page.getByTestId('catalog-problems').count()).toBe(0);
    await signOut();
  });

  it('callback slot list shows its placeholder in full', async () => {
    const { page } = stack;
    await signIn('agent');
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

    await page.locator('body').press('v');
    const picker = page.getByTestId('wrapup-field-callbackAt');
    await picker.locator('option').nth(1).waitFor({ state: 'attached', timeout: 20_000 });
    const room = await picker.evaluate((select: HTMLSelectElement) => {
      const style = getComputedStyle(select);
      const context = document.createElement('canvas').getContext('2d')!;
      context.font = style.font;
      return {
        text: select.options[select.selectedIndex]!.text,
        textWidth: context.measureText(select.options[select.selectedIndex]!.text).width,
        innerWidth: select.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight),
      };
    });
    expect(room.text).toBe('Seleccione un horario permitido…');
    // Chromium draws the drop-down arrow inside the padding box, about 20 px wide.
    expect(room.innerWidth).toBeGreaterThanOrEqual(room.textWidth + 20);

    await page.locator('body').press('Escape');
    await page.locator('body').press('n');
    await page.locator('body').press('Enter');
    await expect.poll(() => page.getByTestId('wrapup-panel').count(), { timeout: 15_000 }).toBe(0);
  });

  it('sign-out confirmation offline is readable and on screen', async () => {
    const { page } = stack;
    await stack.stopServer();
    await expect.poll(() => page.getByTestId('sync-status').textContent(), { timeout: 30_000 }).toBe('Sin conexión');

    await page.getByTestId('logout-button').click();
    await visible(page.getByTestId('logout-confirm'));
    expect(await page.getByTestId('logout-confirm').textContent()).toContain('Sin conexión no podrá volver a cargarlos');

    const layout = await page.evaluate(() => {
      const box = (testId: string) => document.querySelector(`[data-testid="${testId}"]`)!.getBoundingClientRect();
      const confirm = document.querySelector<HTMLElement>('[data-testid="logout-confirm"]')!;
      const text = confirm.querySelector<HTMLElement>('.logout-confirm-text')!;
      const button = document.querySelector<HTMLElement>('[data-testid="logout-confirm-button"]')!;
      const cancel = Array.from(confirm.querySelectorAll('button')).find((candidate) => candidate.textContent === 'Cancelar')!;
      return {
        viewport: { width: window.innerWidth, height: window.innerHeight },
        pageWidth: document.documentElement.scrollWidth,
        confirm: box('logout-confirm-button'),
        cancel: cancel.getBoundingClientRect(),
        textColour: getComputedStyle(text).color,
        textBackground: getComputedStyle(confirm).backgroundColor,
        buttonColour: getComputedStyle(button).color,
        buttonBackground: getComputedStyle(button).backgroundColor,
      };
    });
    expect(layout.viewport).toEqual({ width: 1366, height: 768 });
    expect(layout.pageWidth).toBeLessThanOrEqual(layout.viewport.width);
    for (const rect of [layout.confirm, layout.cancel]) {
      expect(rect.left).toBeGreaterThanOrEqual(0);
      expect(rect.right).toBeLessThanOrEqual(layout.viewport.width);
      expect(rect.top).toBeGreaterThanOrEqual(0);
      expect(rect.bottom).toBeLessThanOrEqual(layout.viewport.height);
    }
    expect(contrast(layout.textColour, layout.textBackground)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(layout.buttonColour, layout.buttonBackground)).toBeGreaterThanOrEqual(4.5);
  }, 120_000);
});

describe('browser-mode token pasted into an open tab', () => {
  it('reloads with the pasted token', async () => {
    const page = await stack.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO', timezoneId: 'America/Bogota' });
    try {
      const withToken = new URL(stack.workstation.url);
      const bare = `${withToken.origin}/`;
      await page.goto(bare);
      await visible(page.getByText('Falta la clave de esta sesión local', { exact: false }));

      // Same document, new fragment: only the bridge's hashchange handler can pick the token up.
      await page.goto(`${bare}${withToken.hash}`);
      // The earlier tests may leave the desk signed in, so either screen shows that the bridge answered.
      await visible(page.getByTestId('login-username').or(page.getByTestId('logout-button')));
      expect(await page.getByText('Falta la clave de esta sesión local', { exact: false }).count()).toBe(0);
      expect(new URL(page.url()).hash).toBe('');
    } finally {
      await page.close();
    }
  });
});
