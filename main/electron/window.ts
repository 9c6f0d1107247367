/**
 * The locked-down workstation window: sandboxed, context-isolated, no Node, no navigation, no new
 * windows, no permissions, and our CSP on every response.
 */
import { BrowserWindow, session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../security-policy.ts';

export interface WindowOptions {
  preload: string;
  /** URL of the renderer: `app://gestiona/index.html`, or the dev server's URL. */
  entryUrl: string;
  devTools: boolean;
}

export function lockDownSession(): void {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
        'X-Content-Type-Options': ['nosniff'],
      },
    });
  });
}

export async function createMainWindow(options: WindowOptions): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1366,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Gestiona',
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: options.devTools,
    },
  });

  denyNavigation(window.webContents);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(options.entryUrl);
  return window;
}

/** Rejects every navigation, redirect, popup and webview, because the renderer is a single page. */
function denyNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}
