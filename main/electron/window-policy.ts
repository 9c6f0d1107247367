/**
 * The lockdown policy of the workstation window as plain values and functions, without importing
 * Electron, so that unit tests prove it under Node. `window.ts`, `ipc.ts` and `index.ts` only
 * wire these into Electron's hooks.
 */
import { CONTENT_SECURITY_POLICY, isExternalDialUri } from '../security-policy.ts';

/**
 * `webPreferences` of the main window. The renderer is untrusted: it runs sandboxed, isolated
 * from the preload's world, without Node, with same-origin checks on, and it cannot host
 * webviews or load http content into an https page.
 */
export function mainWindowWebPreferences(options: { preload: string; devTools: boolean }) {
  return {
    preload: options.preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: options.devTools,
  } as const;
}

export const MAIN_WINDOW_BOUNDS = { width: 1366, height: 800, minWidth: 1024, minHeight: 640 } as const;

/** Denies every navigation, redirect and frame navigation, because the renderer is a single page. */
export function allowNavigation(_url: string): false {
  return false;
}

/** Denies every `window.open` and `target=_blank` link. A dial goes through `contact:dial`, never through a link. */
export function windowOpenDecision(_details: { url: string }): { action: 'deny' } {
  return { action: 'deny' };
}

/** Denies every permission (camera, microphone, notifications, geolocation, clipboard, USB, serial…), because the renderer needs none. */
export function allowPermission(_permission: string): false {
  return false;
}

/**
 * Returns the response headers with our CSP and `nosniff`. Any CSP or X-Content-Type-Options header that a
 * response already carried is replaced, whatever its case, so a dev server or a proxy cannot
 * loosen the policy.
 */
export function headersWithPolicy(headers: Record<string, string[] | string> | undefined): Record<string, string[] | string> {
  const replaced = new Set(['content-security-policy', 'content-security-policy-report-only', 'x-content-type-options']);
  const result: Record<string, string[] | string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!replaced.has(name.toLowerCase())) result[name] = value;
  }
  result['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  result['X-Content-Type-Options'] = ['nosniff'];
  return result;
}

/** Throws unless `uri` is a `tel:`/`sip:` phone URI. The error names the scheme, never the number. */
export function checkExternalUri(uri: string): void {
  if (isExternalDialUri(uri)) return;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1] ?? '(none)';
  throw new Error(`Invalid dial URI with the scheme "${scheme}:": only tel: and sip: phone URIs are allowed`);
}

/**
 * Returns whether an IPC call comes from our page: the frame's URL must have exactly the trusted scheme
 * and host. `URL.origin` is "null" for custom schemes such as `app://`, so scheme and host are
 * compared instead, and never by substring.
 */
export function isTrustedFrameUrl(frameUrl: string, trusted: URL): boolean {
  let url: URL;
  try {
    url = new URL(frameUrl);
  } catch {
    return false;
  }
  return url.protocol === trusted.protocol && url.host === trusted.host;
}
