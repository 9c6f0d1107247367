/**
 * A TCP proxy on 127.0.0.1 that a test places between a workstation and the server, to cut,
 * delay or silence the link the way a branch office's network does.
 */
import net from 'node:net';

export type ProxyMode =
  /** Bytes flow both ways, after `delayMs` if set. */
  | 'forward'
  /** New connections are closed at once, as with the server's host unreachable. */
  | 'refuse'
  /**
   * Bytes are read and discarded in both directions while sockets stay open, as a half-open link
   * after a router dropped its state: neither side receives a close.
   */
  | 'blackhole';

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** A pair that was ever silenced stays silent, because bytes were lost in the middle of its stream. */
  silenced: boolean;
}

export class TcpProxy {
  private readonly server: net.Server;
  private readonly targetPort: number;
  private readonly pairs = new Set<Pair>();
  private mode: ProxyMode = 'forward';
  private delayMs = 0;
  /** Connections accepted so far, refused ones included; lets a test see that a client reconnected. */
  connections = 0;

  private constructor(targetPort: number) {
    this.targetPort = targetPort;
    this.server = net.createServer((client) => this.accept(client));
  }

  /** Starts a proxy on a free 127.0.0.1 port that forwards to `targetPort` on 127.0.0.1. */
  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening on TCP');
    return address.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sets how the proxy treats bytes and new connections from now on. `blackhole` also silences open pairs. */
  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'blackhole') for (const pair of this.pairs) pair.silenced = true;
  }

  /**
   * Delays every chunk forwarded from now on by `ms`.
   * NOTE: chunks keep their order only while the delay stays the same, so a test changes it only
   * to 0 or while the link is idle.
   */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Resets every open connection, as a link that went down under open sockets. */
  dropAll(): void {
    for (const pair of this.pairs) {
      pair.client.resetAndDestroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.connections += 1;
    if (this.mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }

    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, silenced: this.mode === 'blackhole' };
    this.pairs.add(pair);
    this.pipe(pair, client, upstream);
    this.pipe(pair, upstream, client);

    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  }

  private pipe(pair: Pair, from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (pair.silenced) return;
      if (this.delayMs === 0) {
        to.write(chunk);
        return;
      }
      // Equal delays fire in scheduling order, so chunks keep their order within a direction.
      setTimeout(() => {
        if (!pair.silenced && !to.destroyed) to.write(chunk);
      }, this.delayMs);
    });
  }
}
