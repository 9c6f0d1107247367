import { migration001 } from './001_portfolio.ts';
import { migration002 } from './002_sync.ts';
import { migration003 } from './003_server_nodes.ts';
import { migration004 } from './004_evidence.ts';
import type { Migration } from './types.ts';

export type { Migration } from './types.ts';

/** Every migration, oldest first. Append only: a shipped migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004];
