/**
 * Steps shared by every kind of versioned central content (rule pack, catalog, scripts, strategy):
 * the hash that identifies a publication, the rule that one version names one content, and the
 * instant a new publication takes in the history.
 */
import { createHash } from 'node:crypto';
import { formatDateTime } from '@gestiona/core/format';
import { AppError } from '@gestiona/core/result';

/** Returns the hash `publishContent` keeps for every published item: SHA-256 of the feed entry's JSON. */
export function entryHash(entry: unknown): string {
  return createHash('sha256').update(JSON.stringify(entry)).digest('hex');
}

/** An earlier publication of the same version, as the history tables list them. */
export interface EarlierPublication {
  sha256: string;
  /** ISO instant, or any date text `Date` parses. */
  publishedAt: string;
}

/**
 * Rejects a version published before with other content, because workstation records and evidence
 * name only the version. `conflictMessage` turns the earlier publication's Bogotá date into the
 * Spanish sentence for the administrator.
 */
export function assertVersionFree(earlier: readonly EarlierPublication[], sha256: string, conflictMessage: (publishedOn: string) => string): void {
  const other = earlier.find((row) => row.sha256 !== sha256);
  if (other === undefined) return;
  throw new AppError('conflict', conflictMessage(formatDateTime(new Date(other.publishedAt).toISOString())), { version: 'ya usada con otro contenido' });
}

/**
 * Returns the instant of a new publication. The history orders publications by instant, so a
 * server clock that went back (or another node's clock behind this one) must not place the new
 * one before the one it replaces.
 */
export function publicationInstant(now: Date, previous: { publishedAt: string } | null): Date {
  const previousMs = previous === null ? -Infinity : Date.parse(previous.publishedAt);
  return new Date(Math.max(now.getTime(), previousMs));
}
