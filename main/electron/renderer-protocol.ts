/**
 * Serves the built renderer under `app://gestiona/` instead of `file://`, so the page has a real
 * origin that IPC sender checks can compare, and every response carries our CSP.
 */
import { protocol } from 'electron';
import { readStaticFile } from '../bridge/static-files.ts';
import { CONTENT_SECURITY_POLICY } from '../security-policy.ts';

export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'gestiona';
export const RENDERER_ENTRY = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/** Must run before the app is ready: Chromium fixes scheme privileges at startup. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Content-Type-Options': 'nosniff' };
    if (url.host !== RENDERER_HOST || request.method !== 'GET') return new Response('Not found', { status: 404, headers });

    const file = await readStaticFile(rendererDir, url.pathname);
    if (!file) return new Response('Not found', { status: 404, headers });
    return new Response(new Uint8Array(file.body), { status: 200, headers: { ...headers, 'Content-Type': file.contentType } });
  });
}
