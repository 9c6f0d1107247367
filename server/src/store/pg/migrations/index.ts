import type { Migration } from '../../migrations/types.ts';
import { migration001 } from './001_portfolio.ts';
import { migration002 } from './002_sync.ts';
import { migration003 } from './003_server_nodes.ts';
import { migration004 } from './004_evidence.ts';

/** Every PostgreSQL migration, oldest first, numbered like the SQLite ones. Append only: a shipped migration is never edited. */
export const PG_MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004];
