/** Content Security Policy of every renderer response, in Electron and in browser mode alike. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Whether a URI may be handed to the operating system: only `tel:` or `sip:` followed by an E.164
 * phone number, so nothing else (file://, http://, shell metacharacters) ever leaves the workstation.
 */
export function isExternalDialUri(uri: string): boolean {
  return /^(tel|sip):\+[1-9]\d{7,14}$/.test(uri);
}
