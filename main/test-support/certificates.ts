/**
 * Test certificates made with the machine's `openssl` (Node's crypto cannot write X.509): a CA and
 * a certificate it signed, and self-signed certificates, all with EC P-256 keys, for 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fingerprintsOf, type CertificateFingerprints } from '../net/server-trust.ts';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
  fingerprints: CertificateFingerprints;
}

export interface TestCertificates {
  caPem: string;
  caFile: string;
  /** Signed by the CA, for IP 127.0.0.1. */
  caSigned: TestCertificate;
  /** Signed by the CA for the name gestiona.test only, so 127.0.0.1 does not match it. */
  caSignedOtherName: TestCertificate;
  /** Self-signed for IP 127.0.0.1. */
  selfSigned: TestCertificate;
  /** Another self-signed certificate for IP 127.0.0.1, with its own key. */
  otherSelfSigned: TestCertificate;
}

const KEY_OPTIONS = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function load(dir: string, name: string): TestCertificate {
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}.key`);
  const certPem = readFileSync(certFile, 'utf8');
  return { certPem, keyPem: readFileSync(keyFile, 'utf8'), certFile, keyFile, fingerprints: fingerprintsOf(pemToDer(certPem)) };
}

function pemToDer(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64');
}

function selfSigned(dir: string, name: string): TestCertificate {
  openssl(dir, ['req', '-x509', ...KEY_OPTIONS, '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
  return load(dir, name);
}

function signedByCa(dir: string, name: string, subjectAltName: string): TestCertificate {
  openssl(dir, ['req', ...KEY_OPTIONS, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${subjectAltName}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
  return load(dir, name);
}

/** Writes every certificate into `dir` (an existing temporary folder). */
export function makeTestCertificates(dir: string): TestCertificates {
  openssl(dir, ['req', '-x509', ...KEY_OPTIONS, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Gestiona Test CA']);
  const caFile = path.join(dir, 'ca.pem');
  return {
    caPem: readFileSync(caFile, 'utf8'),
    caFile,
    caSigned: signedByCa(dir, 'server', 'IP:127.0.0.1'),
    caSignedOtherName: signedByCa(dir, 'other-name', 'DNS:gestiona.test'),
    selfSigned: selfSigned(dir, 'self-signed'),
    otherSelfSigned: selfSigned(dir, 'other-self-signed'),
  };
}
