/**
 * Returns the URL with its password replaced by `***`, for logs and error messages. A value that
 * does not parse as a URL is replaced whole, because it may still contain the password.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
