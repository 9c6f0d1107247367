export interface Migration {
  /** Consecutive from 1. SQLite stores the applied version in `PRAGMA user_version`, PostgreSQL in `schema_migrations`. */
  version: number;
  name: string;
  sql: string;
}
