/**
 * More workstations for a browser test, next to the one `startStack` starts. Each is a browser-mode
 * workstation with its own data folder and page. One behind its own TCP proxy can be cut from the
 * server while the others stay connected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { WorkstationApi } from '@gestiona/core/ipc';
import { startBrowserMode } from '../../main/bridge/browser-mode.ts';
import { TcpProxy } from '../../main/test-support/tcp-proxy.ts';
import { visible, type Stack } from './stack.ts';

declare global {
  interface Window {
    gestiona: WorkstationApi;
  }
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Desk {
  workstation: Awaited<ReturnType<typeof startBrowserMode>>;
  page: Page;
  /** The proxy between this workstation and the server; null when it connects directly. */
  proxy: TcpProxy | null;
  /** Cuts this workstation's link: new connections are refused and open ones reset. */
  cut(): void;
  /** Restores the link; the workstation reconnects with its own backoff. */
  reconnect(): void;
  close(): Promise<void>;
}

/** Starts a browser-mode workstation on the stack's server, behind a proxy when `proxied`, and opens its page. */
export async function startDesk(stack: Stack, options: { proxied: boolean }): Promise<Desk> {
  const dir = mkdtempSync(join(tmpdir(), 'gestiona-e2e-desk-'));
  const proxy = options.proxied ? await TcpProxy.start(stack.server.port) : null;
  const workstation = await startBrowserMode({
    workstation: { dataDir: dir, serverUrl: proxy?.url ?? stack.server.url, dialer: 'manual' },
    rendererDir: join(repoRoot, 'out/renderer'),
    port: 0,
    testClock: true,
  });
  const page = await stack.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO', timezoneId: 'America/Bogota' });
  return {
    workstation,
    page,
    proxy,
    cut() {
      if (!proxy) throw new Error('This desk connects without a proxy, so its link cannot be cut alone.');
      proxy.setMode('refuse');
      proxy.dropAll();
    },
    reconnect() {
      if (!proxy) throw new Error('This desk connects without a proxy.');
      proxy.setMode('forward');
    },
    async close() {
      await page.close();
      await workstation.close();
      await proxy?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs a demo user in on the page through the login form. */
export async function signIn(stack: Stack, page: Page, username: string): Promise<void> {
  const user = stack.users.find((candidate) => candidate.username === username);
  if (!user) throw new Error(`demo user ${username} missing`);
  await visible(page.getByTestId('login-username'));
  await page.getByTestId('login-username').fill(user.username);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
}

/** Finds a debtor of the signed-in agent with an authorised voice number, through the same API the screens use. */
export async function dialableDebtor(page: Page): Promise<{ debtorId: string; docNumber: string; pointId: string }> {
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
  if (found === null) throw new Error('no debtor with an authorised voice number in the worklist');
  return found;
}

/** Opens the debtor from the worklist and dials the contact point. */
export async function dial(page: Page, target: { debtorId: string; docNumber: string; pointId: string }): Promise<void> {
  await page.getByTestId('worklist-search').fill(target.docNumber);
  await page.locator(`[data-testid="worklist-row"][data-debtor-id="${target.debtorId}"]`).click();
  await page.locator(`[data-testid="contact-point"][data-contact-point-id="${target.pointId}"]`).getByTestId('dial-button').click();
}
