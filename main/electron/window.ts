/**
 * The locked-down workstation window: sandboxed, context-isolated, no Node, no navigation, no new
 * windows, no permissions, and our CSP on every response. The policy itself is in
 * `window-policy.ts`, where it is unit-tested; this file wires it into Electron.
 */
import { join } from 'node:path';
import { app, BrowserWindow, session, type WebContents } from 'electron';
import { allowNavigation, allowPermission, headersWithPolicy, MAIN_WINDOW_BOUNDS, mainWindowWebPreferences, windowOpenDecision } from './window-policy.ts';

export interface WindowOptions {
  preload: string;
  /** URL of the renderer: `app://gestiona/index.html`, or the dev server's URL. */
  entryUrl: string;
  devTools: boolean;
}

export function lockDownSession(): void {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(allowPermission(permission)));
  defaultSession.setPermissionCheckHandler((_contents, permission) => allowPermission(permission));
  defaultSession.setDevicePermissionHandler((details) => allowPermission(details.deviceType));
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: headersWithPolicy(details.responseHeaders) });
  });

  // The board's export is the only download: a blob URL the page made from main's reply, saved
  // where the team lead picks in a save dialog. Downloads of any other URL are cancelled.
  defaultSession.on('will-download', (event, item) => {
    if (!item.getURL().startsWith('blob:')) {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions({ title: 'Guardar las cifras del tablero', defaultPath: join(app.getPath('documents'), item.getFilename()) });
  });

  // Any web contents, not only the main window's, gets the same rejections: a webview or popup that
  // slipped through another path still cannot navigate or open windows.
  app.on('web-contents-created', (_event, contents) => denyNavigation(contents));
}

export async function createMainWindow(options: WindowOptions): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    ...MAIN_WINDOW_BOUNDS,
    show: false,
    title: 'Gestiona',
    webPreferences: mainWindowWebPreferences({ preload: options.preload, devTools: options.devTools }),
  });

  denyNavigation(window.webContents);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(options.entryUrl);
  return window;
}

/** Rejects every navigation, redirect, frame navigation, popup and webview, because the renderer is a single page. */
function denyNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!allowNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!allowNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!allowNavigation(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler((details) => windowOpenDecision(details));
}
