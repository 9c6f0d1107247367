/**
 * `npm run demo`: the main job on the embedded defaults. Starts the central server on an SQLite file
 * seeded with the sample portfolio, prints the demo accounts, and opens the workstation logged out:
 * Electron when its binary is installed, otherwise browser mode (printed URL). `--browser` forces
 * browser mode. Ctrl-C stops everything.
 *
 * `npm start` runs the same launcher without seeding (`--no-seed`), against the data left by a demo.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBrowserMode } from '../main/bridge/browser-mode.ts';
import { startServer } from '../server/src/app.ts';
import { seedDemo } from '../server/src/demo-seed.ts';
import { createLogger } from '../server/src/logger.ts';
import { pino } from 'pino';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const flags = new Set(process.argv.slice(2));
const dataDir = process.env.GESTIONA_DEMO_DIR ?? join(repoRoot, '.data', 'demo');
const serverPort = Number(process.env.GESTIONA_SERVER_PORT ?? 4780);
const bridgePort = Number(process.env.GESTIONA_BRIDGE_PORT ?? 4790);

/** Returns the Electron binary's path when it is installed, without the download that requiring `electron` starts. */
function installedElectronBinary(): string | null {
  const packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Returns why Electron cannot run here, or null when its binary and its native SQLite build are present. */
function electronUnavailableReason(): string | null {
  if (installedElectronBinary() === null) return 'the Electron binary is not installed (its download is blocked or was skipped)';
  if (!existsSync(join(repoRoot, '.native/electron/better_sqlite3_multiple_ciphers.node'))) {
    const build = spawnSync('npm', ['run', '-s', 'native:electron'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) return 'better-sqlite3-multiple-ciphers could not be built for Electron (npm run native:electron)';
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

const USAGE = `Usage: npm run demo [-- --browser]

Starts the central server on an SQLite file seeded with the sample portfolio and opens the
workstation (Electron if installed, otherwise browser mode).

Options:
  --browser   serve browser mode even when Electron is installed
  --no-seed   do not seed (used by npm start)
  --help      print this text

Environment:
  GESTIONA_SERVER_PORT  server port (default 4780)
  GESTIONA_BRIDGE_PORT  browser-mode port (default 4790)
  GESTIONA_DEMO_DIR     data folder (default .data/demo)`;

/** Turns a busy port into one line naming the setting that moves it. */
function explainStartError(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    return `${error.message}: another program (or another demo) uses that port. Stop it, or choose other ports with GESTIONA_SERVER_PORT and GESTIONA_BRIDGE_PORT.`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function main(): Promise<void> {
  if (flags.has('--help') || flags.has('-h')) {
    console.log(USAGE);
    return;
  }
  const unknown = [...flags].filter((flag) => !['--browser', '--no-seed'].includes(flag));
  if (unknown.length > 0) {
    console.error(`Unknown option ${unknown.join(' ')}.\n\n${USAGE}`);
    process.exit(2);
  }
  mkdirSync(join(dataDir, 'workstation'), { recursive: true });

  // JSON logs go to files so the terminal shows only what a person needs: accounts and the URL.
  const serverLogFile = join(dataDir, 'server.log');
  process.env.GESTIONA_LOG_FILE ??= join(dataDir, 'workstation.log');
  const logger = createLogger({ destination: pino.destination({ dest: serverLogFile, mkdir: true, sync: false }) });
  const server = await startServer({ dbPath: join(dataDir, 'server.sqlite'), port: serverPort, logger });
  console.log(`Central server: ${server.url} (database ${join(dataDir, 'server.sqlite')})`);
  // Server commands default to .data/server.sqlite, not the demo's database, and would create it empty.
  const demoDb = relative(repoRoot, join(dataDir, 'server.sqlite'));
  const dbFlag = demoDb.startsWith('..') || isAbsolute(demoDb) ? join(dataDir, 'server.sqlite') : demoDb;
  console.log(`Server commands act on this demo only with --db ${dbFlag}, e.g. npm run server -- holds list --db ${dbFlag}`);
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
    electron = spawn(installedElectronBinary()!, [repoRoot], { stdio: 'inherit', env: { ...process.env, GESTIONA_SERVER_URL: server.url } });
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
  console.log(`Logs: ${serverLogFile} and ${process.env.GESTIONA_LOG_FILE}`);
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
  console.error(`The demo failed to start: ${explainStartError(error)}`);
  process.exit(1);
});
