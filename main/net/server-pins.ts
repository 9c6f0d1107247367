/**
 * Pins of the central server's certificate, as an admin writes them in the workstation's
 * configuration. Two forms are accepted, both SHA-256:
 *
 * - `sha256/<base64>`: the hash of the certificate's public key (SubjectPublicKeyInfo), the form
 *   of HTTP public-key pinning and of curl's `--pinnedpubkey` (which writes `sha256//`). It
 *   survives a renewal of the certificate that keeps the key.
 * - 64 hex digits, with or without colons: the hash of the whole certificate, as
 *   `openssl x509 -noout -fingerprint -sha256` prints it. It changes with every new certificate.
 */
import { z } from 'zod';

export interface ServerPin {
  kind: 'spki' | 'certificate';
  /** Base64 for `spki`; colon-separated upper-case hex for `certificate`, as Node's `fingerprint256`. */
  value: string;
  /** The pin as the admin wrote it, for logs. */
  text: string;
}

const SPKI_PREFIX = 'sha256/';
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Parses one pin; returns null when it has neither form. */
export function parseServerPin(raw: string): ServerPin | null {
  const text = raw.trim();
  if (text.toLowerCase().startsWith(SPKI_PREFIX)) {
    // A base64 digest may itself start with "/", so the curl form is recognised by its length.
    const afterPrefix = text.slice(SPKI_PREFIX.length);
    const value = BASE64_SHA256.test(afterPrefix) ? afterPrefix : afterPrefix.replace(/^\//, '');
    return BASE64_SHA256.test(value) ? { kind: 'spki', value, text } : null;
  }
  const hex = text.replace(/^sha256 fingerprint=/i, '').replace(/:/g, '');
  if (!HEX_SHA256.test(hex)) return null;
  const value = hex.toUpperCase().match(/../g)!.join(':');
  return { kind: 'certificate', value, text };
}

/** A list of pins separated by commas or line breaks, as `GESTIONA_SERVER_PINS` contains it. */
export const serverPinListSchema = z.string().transform((raw, context) => {
  const pins: ServerPin[] = [];
  for (const item of raw.split(/[,\n]+/).map((part) => part.trim()).filter((part) => part !== '')) {
    const pin = parseServerPin(item);
    if (pin === null) {
      context.addIssue({
        code: 'custom',
        message: `Invalid server certificate pin "${item}": expected sha256/<base64 of the public key's SHA-256> or the certificate's SHA-256 fingerprint as 64 hex digits.`,
      });
      return z.NEVER;
    }
    pins.push(pin);
  }
  return pins;
});
