/** Every migration in order; a migration's version is its position, counted from 1. */
import { sql as initial } from './001_initial.ts';
import { sql as wrapUpEffects } from './002_wrap_up_effects.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'wrap-up effects and rejected outbox', sql: wrapUpEffects },
];

export const LATEST_VERSION = MIGRATIONS.length;
