/**
 * Builds better-sqlite3-multiple-ciphers (the encrypted SQLite the workstation uses) for Electron's
 * ABI into `.native/electron/better_sqlite3_multiple_ciphers.node`, which the Electron shell loads
 * through the package's `nativeBinding` option. The package is compiled in a temporary copy, so its
 * `build` folder in node_modules keeps Node's build for tests and browser mode, and `npm test` and
 * `npm start` work in either order. The server keeps plain better-sqlite3 under Node.
 *
 *   tsx scripts/build-electron-native.ts
 *
 * node-gyp downloads Electron's headers from electronjs.org. On a machine without that access, set
 * GESTIONA_ELECTRON_HEADERS to a folder with the unpacked headers of the installed Electron version.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = fileURLToPath(new URL('../', import.meta.url));
const PACKAGE_NAME = 'better-sqlite3-multiple-ciphers';
const PACKAGE_DIR = path.join(REPOSITORY_ROOT, 'node_modules', PACKAGE_NAME);
const NODE_GYP = path.join(REPOSITORY_ROOT, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
// Not better_sqlite3.node: a plain build of an earlier version left there cannot decrypt the database.
const OUTPUT = path.join(REPOSITORY_ROOT, '.native', 'electron', 'better_sqlite3_multiple_ciphers.node');
const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';
/** Compiling SQLite takes a few minutes on a small machine; a download that stalls ends the build. */
const BUILD_TIMEOUT_MS = 20 * 60_000;

function fail(reason: string): never {
  console.error(`build-electron-native: ${reason}`);
  process.exit(1);
}

function installedVersion(packageDir: string, name: string): string {
  const file = path.join(packageDir, 'package.json');
  if (!existsSync(file)) fail(`${name} is not installed (${file} is missing); run npm install first.`);
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const version = typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : undefined;
  if (typeof version !== 'string') fail(`${file} has no version field.`);
  return version;
}

/** Returns one line with the reason node-gyp failed: a failed header download, or node-gyp's own error. */
function failureReason(output: string): string {
  const lines = output.split('\n').map((line) => line.trim()).filter(Boolean);
  const download = lines.find((line) => line.startsWith('gyp http GET'))?.replace('gyp http GET ', '');
  const networkError = /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|\b40[34]\b/.test(output);
  if (download && networkError) {
    return `could not download Electron's headers (${download}); without access to electronjs.org, set GESTIONA_ELECTRON_HEADERS to a local copy of them.`;
  }
  const error = lines.find((line) => /^gyp ERR! stack Error:/.test(line)) ?? lines.find((line) => line.startsWith('gyp ERR!')) ?? lines.at(-1) ?? 'no output';
  return `node-gyp failed: ${error.replace(/^gyp ERR!\s*(stack\s*)?/, '')}`;
}

/**
 * npm passes its configuration to child processes as `npm_config_*` variables, and node-gyp reads
 * them as options: an inherited `npm_config_nodedir` (set on some machines to the system Node)
 * silently builds for Node's ABI instead of Electron's. Those variables are dropped here.
 */
function buildEnvironment(workDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_config_(nodedir|target|runtime|dist_url|disturl|devdir|arch)$/i.test(name)) env[name] = value;
  }
  env.npm_config_devdir = path.join(workDir, 'gyp');
  return env;
}

/** An Electron build must not load in plain Node: Node rejects its NODE_MODULE_VERSION. */
function loadsInNode(addon: string): boolean {
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addon)})`], { encoding: 'utf8' });
  return probe.status === 0;
}

function main(): void {
  const electronVersion = installedVersion(path.join(REPOSITORY_ROOT, 'node_modules', 'electron'), 'electron');
  installedVersion(PACKAGE_DIR, PACKAGE_NAME);
  if (!existsSync(NODE_GYP)) fail(`node-gyp is not installed (${NODE_GYP} is missing).`);

  const workDir = mkdtempSync(path.join(tmpdir(), 'gestiona-native-'));
  try {
    const copy = path.join(workDir, PACKAGE_NAME);
    // The copy leaves Node's build behind, so nothing of it can end up in Electron's.
    cpSync(PACKAGE_DIR, copy, { recursive: true, filter: (source) => !source.startsWith(path.join(PACKAGE_DIR, 'build')) });

    const headers = process.env.GESTIONA_ELECTRON_HEADERS;
    const args = [
      NODE_GYP,
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${electronVersion}`,
      headers ? `--nodedir=${path.resolve(headers)}` : `--dist-url=${ELECTRON_HEADERS_URL}`,
    ];
    console.log(`build-electron-native: compiling ${PACKAGE_NAME} for Electron ${electronVersion} in ${copy}`);
    const result = spawnSync(process.execPath, args, { cwd: copy, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS, env: buildEnvironment(workDir) });
    if (result.error) fail(`node-gyp could not run: ${result.error.message}`);
    if (result.status !== 0) fail(failureReason(`${result.stdout}\n${result.stderr}`));

    const built = path.join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) fail(`node-gyp finished but ${built} is missing.`);
    if (loadsInNode(built)) fail(`the addon was built for Node ${process.version}, not for Electron ${electronVersion}; check the headers folder.`);
    mkdirSync(path.dirname(OUTPUT), { recursive: true });
    copyFileSync(built, OUTPUT);
    console.log(`build-electron-native: wrote ${path.relative(REPOSITORY_ROOT, OUTPUT)}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main();
