/**
 * The catalog editor in Chromium through browser mode: the administrator changes a shortcut, sees
 * the Spanish problem naming the code, fixes it, retires a code and publishes a new version, which
 * the server records in its history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, visible, type Stack } from './support/stack.ts';

// Monday 7 Dec 2026 at 10:00.
const NOW = '2026-12-07T10:00:00-05:00';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(NOW);
});

afterAll(async () => {
  await stack?.stop();
});

describe('catalog editor in the browser', () => {
  it('shows problems in Spanish and publishes a new version', async () => {
    const { page, users } = stack;
    const admin = users.find((user) => user.role === 'admin')!;
    await page.goto(stack.workstation.url);
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();

    await page.getByTestId('top-nav-admin').click();
    await page.getByTestId('admin-tab-catalog').click();
    await visible(page.getByTestId('catalog-editor'));
    expect(await page.getByTestId('catalog-current').textContent()).toContain('(archivo de fábrica)');

    // A shortcut already used by another code is named in Spanish and blocks publishing.
    await page.getByTestId('catalog-code-NC').click();
    await page.getByTestId('catalog-code-shortcut').fill('P');
    await page.getByTestId('catalog-version').fill('2026.50');
    expect(await page.getByTestId('catalog-problems').textContent()).toContain('Código NC: el atajo P ya lo usa el código PP.');
    expect(await page.getByTestId('catalog-publish').isDisabled()).toBe(true);

    await page.getByTestId('catalog-code-shortcut').fill('X');
    expect(await page.getByTestId('catalog-problems').count()).toBe(0);

    // A published code is retired, never deleted, and its class is fixed.
    await page.getByTestId('catalog-code-OC').click();
    expect(await page.getByTestId('catalog-code-class').isDisabled()).toBe(true);
    await page.getByTestId('catalog-code-remove').click();
    expect(await page.getByTestId('catalog-code-retired').isChecked()).toBe(true);

    await page.getByTestId('catalog-reason').fill('Atajo X para No contesta, retira Ocupado');
    await page.getByTestId('catalog-publish').click();
    await visible(page.getByTestId('catalog-notice'));
    expect(await page.getByTestId('catalog-notice').textContent()).toContain('Catálogo 2026.50 publicado');

    const history = await stack.server.store.listCatalogVersions();
    expect(history.map((entry) => [entry.version, entry.source])).toEqual([
      ['2026.50', 'admin'],
      [history[1]!.version, 'resources'],
    ]);
    const published = history[0]!.catalog;
    expect(published.codes.find((code) => code.code === 'NC')?.shortcut).toBe('X');
    expect(published.codes.find((code) => code.code === 'OC')?.retired).toBe(true);
  });
});
