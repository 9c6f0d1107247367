/**
 * Trust in the central server's TLS certificate, checked once for every connection the
 * workstation opens to it: the socket.io WebSocket and the HTTP login, renewal and sign-out.
 *
 * Without pins, the certificate must chain to Node's bundled root CAs (or to the extra CA the
 * admin configured) and name the server's host, as Node checks by default. Electron's main
 * process runs Node's TLS, so Chromium's and the operating system's certificate stores are not
 * consulted. With pins, the server's own (leaf) certificate must match one of them, whichever CA
 * signed it, if any. A pin replaces the CA, host-name and validity-date checks. So a self-signed
 * certificate works when pinned, and a CA-signed one that differs is rejected.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { Agent, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import { connect, rootCertificates, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.ts';
import type { ServerPin } from './server-pins.ts';

export const UNTRUSTED_CERTIFICATE_MESSAGE =
  'El certificado del servidor no es de confianza: la estación no se conectó al servidor central. ' +
  'Avise al administrador para que revise el certificado del servidor o la huella configurada en esta estación.';

export interface ServerTrustConfig {
  /** Extra CA certificates in PEM, trusted besides Node's bundled roots (an in-house CA). */
  caPem?: string;
  /** Pins of the server's certificate; when not empty, only a certificate matching one is accepted. */
  pins?: readonly ServerPin[];
}

/** Fingerprints of a certificate, in the two forms a pin can take. */
export interface CertificateFingerprints {
  /** SHA-256 of the SubjectPublicKeyInfo (DER), base64, as `sha256/<base64>` pins give it. */
  spkiSha256: string;
  /** SHA-256 of the whole certificate (DER), colon-separated upper-case hex, as `openssl x509 -fingerprint -sha256` prints it. */
  certificateSha256: string;
}

/** The server presented a certificate this workstation does not trust; nothing was sent on that connection. */
export class UntrustedServerCertificateError extends Error {
  readonly host: string;
  /** Node's verification code (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`…) or `PIN_MISMATCH`. */
  readonly reason: string;
  readonly seen: CertificateFingerprints | null;

  constructor(host: string, reason: string, seen: CertificateFingerprints | null) {
    super(`Untrusted server certificate from ${host}: ${reason}`);
    this.name = 'UntrustedServerCertificateError';
    this.host = host;
    this.reason = reason;
    this.seen = seen;
  }
}

export function fingerprintsOf(certificateDer: Buffer): CertificateFingerprints {
  const certificate = new X509Certificate(certificateDer);
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  return {
    spkiSha256: createHash('sha256').update(spki).digest('base64'),
    certificateSha256: certificate.fingerprint256,
  };
}

/** Returns the untrusted-certificate rejection that `error` is or wraps (as `cause`, or a socket.io transport error's `description`), or null. */
export function findUntrustedCertificateError(error: unknown): UntrustedServerCertificateError | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    if (current instanceof UntrustedServerCertificateError) return current;
    seen.add(current);
    const record = current as { cause?: unknown; description?: unknown; error?: unknown };
    current = record.cause ?? record.description ?? record.error;
  }
  return null;
}

/**
 * Time allowed for the TCP connection and the TLS handshake. The request's own timeout starts only
 * once the socket is handed over, so a server that accepts and never responds would otherwise keep
 * the socket open.
 */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 20_000;

/** Rejections with the same reason and certificate are logged on the 1st, 10th, 20th… occurrence: reconnection retries them for hours. */
const LOG_EVERY = 10;

/**
 * Builds the HTTPS agent that both the socket.io client and the HTTP calls use. Each TLS handshake
 * completes and the certificate is judged before the socket is handed to HTTP or WebSocket, so a
 * rejected server never receives a request, a password or a token.
 */
export function createServerTrustAgent(config: ServerTrustConfig, logger: Logger, handshakeTimeoutMs = DEFAULT_HANDSHAKE_TIMEOUT_MS): Agent {
  const pins = config.pins ?? [];
  const ca = config.caPem === undefined ? undefined : [...rootCertificates, config.caPem];
  const rejections = new Map<string, number>();

  const judge = (host: string, socket: TLSSocket): UntrustedServerCertificateError | null => {
    const peer: PeerCertificate = socket.getPeerCertificate(false);
    const seen = peer.raw === undefined ? null : fingerprintsOf(peer.raw);
    if (pins.length > 0) {
      if (seen !== null && pins.some((pin) => matchesPin(pin, seen))) return null;
      return new UntrustedServerCertificateError(host, 'PIN_MISMATCH', seen);
    }
    if (socket.authorized) return null;
    return new UntrustedServerCertificateError(host, String(socket.authorizationError ?? 'UNKNOWN'), seen);
  };

  const logRejection = (rejection: UntrustedServerCertificateError): void => {
    const key = `${rejection.host} ${rejection.reason} ${rejection.seen?.certificateSha256 ?? ''}`;
    const count = (rejections.get(key) ?? 0) + 1;
    rejections.set(key, count);
    if (count !== 1 && count % LOG_EVERY !== 0) return;
    logger.warn(
      {
        host: rejection.host,
        reason: rejection.reason,
        seenSpkiSha256: rejection.seen?.spkiSha256 ?? null,
        seenCertificateSha256: rejection.seen?.certificateSha256 ?? null,
        expectedPins: pins.map((pin) => pin.text),
        rejections: count,
      },
      'verify server certificate: rejected',
    );
  };

  class ServerTrustAgent extends Agent {
    override createConnection(options: RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
      const host = options.hostname ?? options.host ?? 'localhost';
      const socket = connect({
        ...(options as Record<string, unknown>),
        host,
        port: Number(options.port ?? 443),
        servername: options.servername ?? (isIP(host) === 0 ? host : undefined),
        ca,
        // The chain and host name are judged below, after the handshake and before any byte of the request.
        rejectUnauthorized: false,
      });
      const fail = (error: Error): void => {
        socket.destroy();
        callback?.(error, socket);
      };
      socket.once('error', fail);
      socket.setTimeout(handshakeTimeoutMs, () => fail(new Error(`TLS handshake with ${host} timed out after ${handshakeTimeoutMs} ms`)));
      socket.once('secureConnect', () => {
        socket.removeListener('error', fail);
        socket.setTimeout(0);
        const rejection = judge(host, socket);
        if (rejection === null) {
          callback?.(null, socket);
          return;
        }
        logRejection(rejection);
        fail(rejection);
      });
      return undefined;
    }
  }

  // No TLS session cache, so that every connection goes through a full handshake and the check above.
  return new ServerTrustAgent({ keepAlive: false, maxCachedSessions: 0 });
}

function matchesPin(pin: ServerPin, seen: CertificateFingerprints): boolean {
  return pin.kind === 'spki' ? pin.value === seen.spkiSha256 : pin.value === seen.certificateSha256;
}
