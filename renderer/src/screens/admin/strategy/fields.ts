/** Helpers shared by the strategy editor's forms. */

/** Returns the error main or the server sent for a field path such as `segments[0].strategy.priority`, or for anything under it. */
export function fieldError(fields: Record<string, string>, path: string): string | null {
  if (fields[path] !== undefined) return fields[path];
  const nested = Object.keys(fields).find((key) => key.startsWith(`${path}.`) || key.startsWith(`${path}[`));
  return nested === undefined ? null : fields[nested]!;
}

/** Reads a whole number typed by the administrator; null when the text is not one. */
export function parseWholeNumber(text: string): number | null {
  if (!/^-?\d+$/.test(text.trim())) return null;
  return Number(text.trim());
}
