/**
 * Starts the whole product for a browser test: the central server on a fresh SQLite file seeded with
 * the sample portfolio, a browser-mode workstation with a settable test clock, and headless Chromium.
 * Server and workstation share one test clock, so leases and gate decisions agree on "now".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startBrowserMode } from '../../main/bridge/browser-mode.ts';
import { startServer } from '../../server/src/app.ts';
import { seedDemo } from '../../server/src/demo-seed.ts';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Stack {
  server: Awaited<ReturnType<typeof startServer>>;
  workstation: Awaited<ReturnType<typeof startBrowserMode>>;
  browser: Browser;
  page: Page;
  users: Awaited<ReturnType<typeof seedDemo>>['users'];
  /** Sets the trusted time of the workstation and the server's clock to the same instant. */
  setClock(iso: string): void;
  /** Stops the central server, as a lost link to a branch office would look to the workstation. */
  stopServer(): Promise<void>;
  /** Starts the central server again on the same database file and port. */
  restartServer(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** How often the server looks for content published outside it, e.g. by the command line (default 15 s). */
  contentPollMs?: number;
}

export async function startStack(startAt: string, options: StackOptions = {}): Promise<Stack> {
  // The bridge exposes its test-clock route only when this is set as well as `testClock: true`.
  process.env.GESTIONA_TEST_CLOCK = '1';
  const dir = mkdtempSync(join(tmpdir(), 'gestiona-e2e-'));
  // The browser-mode token key lives outside the data folder, by default in the user's config
  // folder; tests keep it in their own scratch folder instead.
  process.env.GESTIONA_CONFIG_DIR ??= join(dir, 'config');
  let now = new Date(startAt);

  const dbPath = join(dir, 'server.sqlite');
  let server = await startServer({ dbPath, port: 0, now: () => now, contentPollMs: options.contentPollMs });
  const serverPort = server.port;
  const { users } = await seedDemo(server.store, { portfolioFile: join(repoRoot, 'resources/sample-portfolio.csv'), now });
  const workstation = await startBrowserMode({
    workstation: { dataDir: join(dir, 'workstation'), serverUrl: server.url, dialer: 'manual' },
    rendererDir: join(repoRoot, 'out/renderer'),
    port: 0,
    testClock: true,
  });

  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is missing. Install it with: sudo apt-get install chromium');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'es-CO', timezoneId: 'America/Bogota' });

  const setClock = (iso: string): void => {
    now = new Date(iso);
    if (!workstation.setClock) throw new Error('The workstation was started without its test clock.');
    workstation.setClock(iso);
  };
  setClock(startAt);

  let serverRunning = true;
  return {
    get server() {
      return server;
    },
    workstation,
    browser,
    page,
    users,
    setClock,
    async stopServer() {
      await server.close();
      serverRunning = false;
    },
    async restartServer() {
      server = await startServer({ dbPath, port: serverPort, now: () => now, contentPollMs: options.contentPollMs });
      serverRunning = true;
    },
    async stop() {
      await browser.close();
      await workstation.close();
      if (serverRunning) await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Waits until the locator's single element is visible; fails with Playwright's own timeout message. */
export async function visible(locator: Locator, timeout = 20_000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout });
}
