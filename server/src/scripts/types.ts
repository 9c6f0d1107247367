/** Records of the script history, as the store returns them. */
import type { Script } from '@gestiona/core/script';

export type ScriptSource = 'resources' | 'admin';

export interface ScriptVersionRecord {
  id: number;
  scriptId: string;
  version: string;
  script: Script;
  sha256: string;
  source: ScriptSource;
  publishedBy: { id: string; username: string; fullName: string } | null;
  /** ISO instant (UTC). */
  publishedAt: string;
  reason: string | null;
  changeSeq: number;
}

export interface ScriptPublishInput {
  /** The script as received; validated by the store. */
  script: unknown;
  reason?: string | null | undefined;
  publishedBy: string;
  now: Date;
}

export interface ScriptPublication {
  /** False when the script was already in force with the same content. */
  published: boolean;
  current: ScriptVersionRecord;
  previous: ScriptVersionRecord | null;
}
