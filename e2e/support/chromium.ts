/** Locates the system Chromium the browser tests drive; this project never downloads a browser. */
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

/** Path of the Chromium binary: `GESTIONA_CHROMIUM` when set, else the first Debian/Ubuntu location found. */
export function chromiumPath(): string | null {
  const configured = process.env.GESTIONA_CHROMIUM;
  if (configured) return existsSync(configured) ? configured : null;
  return CANDIDATES.find((candidate) => existsSync(candidate)) ?? null;
}

/** Flags for a headless Chromium on a closed network: no sandbox (root in CI), no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
