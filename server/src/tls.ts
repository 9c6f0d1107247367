/**
 * The server's TLS certificate. `serve` reads and checks its PEM files before the server starts, so
 * a wrong file fails at once with its name instead of at the first handshake. The start-up log says
 * whether the server speaks TLS. `loadTlsMaterial` messages are in Spanish because the command line
 * prints them, and the log is in English.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { ConfigResult, TlsFiles } from './config.ts';
import type { Logger } from './logger.ts';

/** Certificate and key of `startServer({ tls })`, PEM text as Node's `tls.createSecureContext` reads it. */
export interface TlsMaterial {
  /** The server's certificate, followed by the intermediate certificates to send with it. */
  cert: string;
  key: string;
}

/** Facts about the server's certificate for the start-up log. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  /** SHA-256 of the certificate, colon-separated hex: the value a workstation can pin. */
  fingerprint256: string;
  /** True before `validFrom` or after `validTo`: clients without a pin reject the certificate then. */
  outsideValidity: boolean;
}

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----';

/** Reads and checks the files; the error names the file and what is wrong with it. */
export async function loadTlsMaterial(files: TlsFiles): Promise<ConfigResult<TlsMaterial>> {
  const read = async (file: string, what: string): Promise<ConfigResult<string>> => {
    try {
      return { ok: true, value: await readFile(file, 'utf8') };
    } catch (error) {
      return { ok: false, message: `No se pudo leer ${what} "${file}": ${error instanceof Error ? error.message : String(error)}` };
    }
  };

  const cert = await read(files.certFile, 'el certificado (--tls-cert)');
  if (!cert.ok) return cert;
  const key = await read(files.keyFile, 'la clave privada (--tls-key)');
  if (!key.ok) return key;
  const chain = files.caFile === undefined ? { ok: true as const, value: '' } : await read(files.caFile, 'los certificados intermedios (--tls-ca)');
  if (!chain.ok) return chain;

  if (!cert.value.includes(PEM_CERTIFICATE)) {
    return { ok: false, message: `"${files.certFile}" no es un certificado PEM (falta ${PEM_CERTIFICATE}). Indique en --tls-cert el certificado del servidor.` };
  }
  if (files.caFile !== undefined && !chain.value.includes(PEM_CERTIFICATE)) {
    return { ok: false, message: `"${files.caFile}" no contiene certificados PEM (falta ${PEM_CERTIFICATE}). Indique en --tls-ca los certificados intermedios.` };
  }

  const material: TlsMaterial = { cert: chain.value === '' ? cert.value : `${cert.value.trimEnd()}\n${chain.value}`, key: key.value };
  try {
    // Fails when the key is not the certificate's, is encrypted, or either file is damaged.
    createSecureContext(material);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      message: `El certificado "${files.certFile}" y la clave "${files.keyFile}" no se pueden usar juntos (${reason}). Verifique que la clave sea la del certificado y que no tenga contraseña.`,
    };
  }
  return { ok: true, value: material };
}

/** Summarises the first certificate of `certPem`, the one the server presents. */
export function summarizeCertificate(certPem: string, now: Date): CertificateSummary {
  const certificate = new X509Certificate(certPem);
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    issuer: certificate.issuer.replace(/\n/g, ', '),
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
    fingerprint256: certificate.fingerprint256,
    outsideValidity: now.getTime() > Date.parse(certificate.validTo) || now.getTime() < Date.parse(certificate.validFrom),
  };
}

/**
 * Logs the certificate in use, or warns when plain HTTP is reachable from other machines. Plain HTTP
 * off loopback stays allowed, because a load balancer or proxy that terminates TLS is a valid setup.
 */
export function logTransportSecurity(logger: Logger, host: string, tls: TlsMaterial | undefined, now: Date): void {
  if (tls) {
    const certificate = summarizeCertificate(tls.cert, now);
    if (certificate.outsideValidity) logger.warn({ certificate }, 'start server: TLS certificate is expired or not yet valid, workstations without a pin will reject it');
    else logger.info({ certificate }, 'start server: TLS enabled');
    return;
  }
  if (!isLoopbackHost(host)) {
    logger.warn({ host }, 'start server: plain HTTP on a non-loopback address, passwords and tokens cross the network unencrypted unless a TLS-terminating proxy is in front');
  }
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
