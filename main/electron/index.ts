/**
 * Electron entry of the workstation: one instance, one locked-down window, and the same
 * `Workstation` that browser mode runs, reached over IPC.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, safeStorage, shell, type BrowserWindow } from 'electron';
import { AppError } from '@gestiona/core/result';
import { FileSecretStore } from '../bridge/secret-file.ts';
import { FileDatabaseKeyStore } from '../db/encryption-key-file.ts';
import { createLogger, subsystemLogger } from '../logger.ts';
import { serverTrustFromEnvironment } from '../net/trust-config.ts';
import type { SecretStore } from '../secret-store.ts';
import { createWorkstation, type Workstation } from '../workstation.ts';
import { registerIpc } from './ipc.ts';
import { registerRendererScheme, RENDERER_ENTRY, serveRenderer } from './renderer-protocol.ts';
import { SafeStorageSecretStore } from './secret-store.ts';
import { createMainWindow, lockDownSession } from './window.ts';
import { checkExternalUri } from './window-policy.ts';

const DEFAULT_SERVER_URL = 'http://127.0.0.1:4780';
/** Written by scripts/build-electron-native.ts. Its name differs from the plain better-sqlite3 build of earlier versions, which cannot decrypt. */
const ELECTRON_NATIVE_ADDON = path.join('.native', 'electron', 'better_sqlite3_multiple_ciphers.node');

// The built main process lives in out/main/; the preload and the renderer sit beside it.
const OUT_DIR = fileURLToPath(new URL('../', import.meta.url));
const REPOSITORY_ROOT = path.resolve(OUT_DIR, '..');

const logger = createLogger({ name: 'gestiona-electron' });
const shellLogger = subsystemLogger(logger, 'ipc');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerRendererScheme();
  void start();
}

async function start(): Promise<void> {
  let window: BrowserWindow | null = null;
  let workstation: Workstation | null = null;

  app.on('second-instance', () => {
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  await app.whenReady();
  lockDownSession();

  const rendererDir = path.join(OUT_DIR, 'renderer');
  serveRenderer(rendererDir);
  // electron-vite sets this for `electron-vite dev`; a packaged app always loads its own files.
  const devServer = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  const entryUrl = devServer ?? RENDERER_ENTRY;

  // GESTIONA_DATA_DIR moves the database, for example off a roaming profile that lives on a share.
  const dataDir = process.env.GESTIONA_DATA_DIR || app.getPath('userData');
  try {
    workstation = await createWorkstation({
      dataDir,
      serverUrl: process.env.GESTIONA_SERVER_URL ?? DEFAULT_SERVER_URL,
      serverTrust: serverTrustFromEnvironment(),
      dialer: process.env.GESTIONA_DIALER === 'softphone' ? 'softphone' : 'manual',
      softphoneScheme: process.env.GESTIONA_SOFTPHONE_SCHEME === 'sip' ? 'sip' : 'tel',
      openUri: openDialUri,
      secretStore: sessionSecretStore(dataDir),
      databaseKeyStore: databaseKeyStore(dataDir),
      logger,
      ...nativeBindingOption(),
    });
  } catch (error) {
    logger.fatal({ err: error, dataDir }, 'start workstation: failed');
    // Without a window the agent would see nothing: a damaged database or a data folder on a
    // share explains itself in Spanish, anything else gets the generic text.
    const message = error instanceof AppError ? error.message : 'Gestiona no pudo iniciar. Avise a soporte técnico.';
    dialog.showErrorBox('Gestiona no puede iniciar', message);
    app.exit(1);
    return;
  }

  const unregister = registerIpc({ workstation, window: () => window, trustedOrigin: new URL(entryUrl), logger: shellLogger });
  window = await createMainWindow({ preload: path.join(OUT_DIR, 'preload', 'index.cjs'), entryUrl, devTools: !app.isPackaged });
  window.on('closed', () => {
    window = null;
  });

  app.on('window-all-closed', () => app.quit());

  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !workstation) return;
    // Closing the store waits for a dial in flight, so quitting pauses until it has finished.
    event.preventDefault();
    closing = true;
    unregister();
    workstation.close().then(
      () => app.quit(),
      (error: unknown) => {
        logger.error({ err: error }, 'close workstation: failed');
        app.exit(1);
      },
    );
  });
}

/**
 * Returns the store of the session token. On Linux without a keyring, safeStorage encrypts with a
 * hard-coded password (its `basic_text` backend, see electronjs.org/docs/api/safe-storage), which
 * protects nothing. The key-file store of browser mode at least keeps its key out of the data
 * folder. Must run after `app.whenReady()`, before which the backend reads as `unknown`.
 */
function sessionSecretStore(dataDir: string): SecretStore {
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    logger.warn({ backend: 'basic_text' }, 'start workstation: no keyring, session token kept in an AES-GCM file with a separate key file');
    return new FileSecretStore(dataDir, { logger: subsystemLogger(logger, 'session') });
  }
  return new SafeStorageSecretStore(dataDir);
}

/** Returns the store of the database key, with the same keychain rule as the session token's. */
function databaseKeyStore(dataDir: string): SecretStore {
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return new FileDatabaseKeyStore(dataDir, { logger: subsystemLogger(logger, 'store') });
  }
  return new SafeStorageSecretStore(dataDir, 'database-key.bin');
}

/** Hands a dial URI to the system softphone; any other URI is rejected before it reaches the OS. */
async function openDialUri(uri: string): Promise<void> {
  checkExternalUri(uri);
  await shell.openExternal(uri, { activate: true });
}

/**
 * The SQLite addon in node_modules (better-sqlite3-multiple-ciphers) is built for Node's ABI (tests,
 * browser mode); Electron loads the copy that `npm run native:electron` builds for its own ABI.
 */
function nativeBindingOption(): { nativeBinding?: string } {
  if (!process.versions.electron) return {};
  const binding = path.join(REPOSITORY_ROOT, ELECTRON_NATIVE_ADDON);
  // NOTE: a packaged app has no repository folder. Packaging must rebuild the addon for
  // Electron inside node_modules, because the default loader is the fallback there.
  return existsSync(binding) ? { nativeBinding: binding } : {};
}
