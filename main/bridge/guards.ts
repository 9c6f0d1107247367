/**
 * Request checks of the local bridge. The bridge listens on 127.0.0.1, but any web page the agent
 * opens could still send requests to it. So every API call needs the per-launch token, and the
 * Host and Origin headers must name the bridge itself, which defeats DNS rebinding.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newBridgeToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time; hashing first makes both sides the same length. */
export function tokenMatches(expected: string, presented: string | null | undefined): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

export class OriginPolicy {
  private readonly hosts: ReadonlySet<string>;
  private readonly origins: ReadonlySet<string>;

  constructor(port: number) {
    const hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
    this.hosts = new Set(hosts);
    this.origins = new Set(hosts.map((host) => `http://${host}`));
  }

  /** The Host header must be exactly the bridge's own address, port included. */
  hostAllowed(host: string | undefined): boolean {
    return host !== undefined && this.hosts.has(host.toLowerCase());
  }

  /** Requests without an Origin come from the page's own navigation or from tools; a foreign one is refused. */
  originAllowed(origin: string | undefined): boolean {
    return origin === undefined || this.origins.has(origin.toLowerCase());
  }
}
