/**
 * `npm run demo`: the main job on the embedded defaults. Starts the central server on an SQLite file
 * seeded with the sample portfolio, prints the demo accounts, and opens the workstation logged out:
 * Electron when its binary is installed, otherwise browser mode (printed URL). `--browser` forces
 * browser mode. Ctrl-C stops everything.
 *
 * `npm start` runs the same launcher without seeding (`--no-seed`), against the data left by a demo.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserMode } from '../main/bridge/browser-mode.ts';
import { startServer } from '../server/src/app.ts';
import { seedDemo } from '../server/src/demo-seed.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const flags = new Set(process.argv.slice(2));
const dataDir = process.env.GESTIONA_DEMO_DIR ?? join(repoRoot, '.data', 'demo');
const serverPort = Number(process.env.GESTIONA_SERVER_PORT ?? 4780);
const bridgePort = Number(process.env.GESTIONA_BRIDGE_PORT ?? 4790);

/** Returns why Electron cannot run here, or null when its binary and its native SQLite build are present. */
function electronUnavailableReason(): string | null {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    if (typeof binary !== 'string' || !existsSync(binary)) return 'the Electron binary is not installed';
  } catch {
    return 'the Electron binary is not installed (its download is blocked or was skipped)';
  }
  if (!existsSync(join(repoRoot, '.native/electron/better_sqlite3.node'))) {
    const build = spawnSync('npm', ['run', '-s', 'native:electron'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) return 'better-sqlite3 could not be built for Electron (npm run native:electron)';
  }
  return null;
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed (exit ${result.status}).`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  mkdirSync(join(dataDir, 'workstation'), { recursive: true });

  const server = await startServer({ dbPath: join(dataDir, 'server.sqlite'), port: serverPort });
  console.log(`Central server: ${server.url} (database ${join(dataDir, 'server.sqlite')})`);
  if (!flags.has('--no-seed')) {
    const { users } = await seedDemo(server.store, { portfolioFile: join(repoRoot, 'resources/sample-portfolio.csv'), now: new Date() });
    console.log('\nDemo accounts (user / password / role):');
    for (const user of users) console.log(`  ${user.username.padEnd(12)} ${user.password.padEnd(16)} ${user.role}  ${user.fullName}`);
  }

  const reason = flags.has('--browser') ? 'browser mode was requested (--browser)' : electronUnavailableReason();
  let electron: ChildProcess | null = null;
  let bridge: Awaited<ReturnType<typeof startBrowserMode>> | null = null;

  if (reason === null) {
    run('npm', ['run', '-s', 'build']);
    const electronBinary = createRequire(import.meta.url)('electron') as string;
    electron = spawn(electronBinary, [repoRoot], { stdio: 'inherit', env: { ...process.env, GESTIONA_SERVER_URL: server.url } });
    electron.on('exit', () => void shutdown());
    console.log('\nWorkstation: Electron window opened.');
  } else {
    console.log(`\nElectron is not used: ${reason}. Serving browser mode instead.`);
    run('npm', ['run', '-s', 'build:renderer']);
    bridge = await startBrowserMode({
      workstation: {
        dataDir: join(dataDir, 'workstation'),
        serverUrl: server.url,
        dialer: 'manual',
      },
      rendererDir: join(repoRoot, 'out/renderer'),
      port: bridgePort,
    });
    console.log(`\nWorkstation (browser mode): open ${bridge.url}`);
  }
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  async function shutdown(): Promise<void> {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    electron?.kill('SIGTERM');
    await bridge?.close();
    await server.close();
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error('The demo failed to start:', error);
  process.exit(1);
});
