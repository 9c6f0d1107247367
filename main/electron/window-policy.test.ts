import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../security-policy.ts';
import { openDialUri } from '../bridge/open-uri.ts';
import {
  allowNavigation,
  allowPermission,
  checkExternalUri,
  headersWithPolicy,
  isTrustedFrameUrl,
  mainWindowWebPreferences,
  windowOpenDecision,
} from './window-policy.ts';

/** CSP directives as a map from name to sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name!, sources] as const;
    }),
  );
}

describe('main window webPreferences', () => {
  const preferences = mainWindowWebPreferences({ preload: '/app/preload/index.cjs', devTools: false });

  it.each([
    ['sandbox', true],
    ['contextIsolation', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['webviewTag', false],
    ['navigateOnDragDrop', false],
    ['devTools', false],
  ] as const)('sets %s to %s', (name, value) => {
    expect(preferences[name]).toBe(value);
  });

  it('keeps the preload path and opens dev tools only when asked', () => {
    expect(preferences.preload).toBe('/app/preload/index.cjs');
    expect(mainWindowWebPreferences({ preload: 'p', devTools: true }).devTools).toBe(true);
  });

  it('is what the window is created with', () => {
    const source = readFileSync(fileURLToPath(new URL('./window.ts', import.meta.url)), 'utf8');
    expect(source).toContain('webPreferences: mainWindowWebPreferences(');
    expect(source).not.toMatch(/sandbox:\s*false|contextIsolation:\s*false|nodeIntegration:\s*true|webSecurity:\s*false/);
  });
});

describe('navigation, popups and permissions', () => {
  it.each([
    'app://gestiona/index.html',
    'https://example.com/',
    'file:///etc/passwd',
    'smb://host/share',
    'javascript:alert(1)',
    'tel:+573001234567',
  ])('denies navigation to %s', (url) => {
    expect(allowNavigation(url)).toBe(false);
  });

  it.each(['https://example.com/', 'about:blank', 'app://gestiona/index.html', 'file:///C:/Windows/System32/cmd.exe'])('denies window.open of %s', (url) => {
    expect(windowOpenDecision({ url })).toEqual({ action: 'deny' });
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'clipboard-sanitized-write', 'openExternal', 'usb', 'serial', 'hid', 'fullscreen'])(
    'denies the %s permission',
    (permission) => {
      expect(allowPermission(permission)).toBe(false);
    },
  );
});

describe('Content Security Policy', () => {
  const policy = directives(CONTENT_SECURITY_POLICY);

  it("starts from default-src 'none'", () => {
    expect(CONTENT_SECURITY_POLICY.startsWith("default-src 'none'")).toBe(true);
  });

  it.each(['script-src', 'style-src', 'connect-src', 'font-src'])('limits %s to the page itself', (name) => {
    expect(policy.get(name)).toEqual(["'self'"]);
  });

  it.each([
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ])('sets %s to %j', (name, sources) => {
    expect(policy.get(name)).toEqual(sources);
  });

  it.each(["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'file:', 'blob:'])('never allows %s', (source) => {
    for (const sources of policy.values()) expect(sources).not.toContain(source);
  });

  it('allows no frames, objects or workers beyond default-src', () => {
    for (const name of ['frame-src', 'child-src', 'object-src', 'worker-src']) expect(policy.has(name)).toBe(false);
  });
});

describe('headersWithPolicy', () => {
  it('adds the CSP and nosniff', () => {
    expect(headersWithPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY], 'X-Content-Type-Options': ['nosniff'] });
  });

  it('replaces a looser policy in any case and keeps other headers', () => {
    const headers = headersWithPolicy({
      'content-security-policy': ["default-src *; script-src 'unsafe-inline'"],
      'CONTENT-SECURITY-POLICY-REPORT-ONLY': ['default-src *'],
      'x-content-type-options': ['sniff'],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      'X-Content-Type-Options': ['nosniff'],
    });
  });
});

describe('openExternal allow-list', () => {
  it.each(['tel:+573001234567', 'sip:+576015550000'])('allows %s', (uri) => {
    expect(() => checkExternalUri(uri)).not.toThrow();
  });

  it.each([
    ['file:///etc/passwd', 'file'],
    ['smb://host/share', 'smb'],
    ['https://example.com', 'https'],
    ['javascript:alert(1)', 'javascript'],
    ['tel:3001234567', 'tel'],
    ['tel:+573001234567;ext=1', 'tel'],
    ['tel:+57300&calc.exe', 'tel'],
    ['sip:+573001234567@evil.example', 'sip'],
    ['ms-settings:', 'ms-settings'],
    ['', '(none)'],
  ])('rejects %s naming only the scheme %s', (uri, scheme) => {
    expect(() => checkExternalUri(uri)).toThrow(`Invalid dial URI with the scheme "${scheme}:": only tel: and sip: phone URIs are allowed`);
  });

  it('rejects in browser mode too, without running the opener', async () => {
    await expect(openDialUri('file:///etc/passwd', 'linux')).rejects.toThrow('Invalid dial URI with the scheme "file:"');
    await expect(openDialUri('tel:+57300 & calc', 'win32')).rejects.toThrow('Invalid dial URI with the scheme "tel:"');
  });
});

describe('isTrustedFrameUrl', () => {
  const trusted = new URL('app://gestiona/index.html');

  it.each([
    ['app://gestiona/index.html', true],
    ['app://gestiona/otra.html#x', true],
    ['app://gestiona.evil/index.html', false],
    ['app://evil/gestiona/index.html', false],
    ['https://gestiona/index.html', false],
    ['file:///app/gestiona/index.html', false],
    ['about:blank', false],
    ['', false],
    ['no es una URL', false],
  ])('trusts %s: %s', (url, expected) => {
    expect(isTrustedFrameUrl(url, trusted)).toBe(expected);
  });

  it('compares host and port exactly for a dev server', () => {
    const dev = new URL('http://localhost:5173/');
    expect(isTrustedFrameUrl('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedFrameUrl('http://localhost:5174/index.html', dev)).toBe(false);
    expect(isTrustedFrameUrl('http://localhost.evil.example:5173/', dev)).toBe(false);
  });
});
