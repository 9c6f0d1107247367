/** Every migration in order; a migration's version is its position, counted from 1. */
import { sql as initial } from './001_initial.ts';
import { sql as wrapUpEffects } from './002_wrap_up_effects.ts';
import { sql as decisionChain } from './003_decision_chain.ts';
import { sql as personTimeZones } from './004_person_time_zones.ts';
import { sql as offlineSignIn } from './005_offline_sign_in.ts';
import { sql as obligationTerms } from './006_obligation_terms.ts';
import { sql as strategyTasks } from './007_strategy_tasks.ts';
import { sql as scriptPaths } from './008_script_paths.ts';
import { sql as collectionHolds } from './009_collection_holds.ts';
import { sql as promises } from './010_promises.ts';
import { sql as serverSends } from './011_server_sends.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'wrap-up effects and rejected outbox', sql: wrapUpEffects },
  { version: 3, name: 'decision chain and clock jumps', sql: decisionChain },
  { version: 4, name: 'person time zones and schedule requests', sql: personTimeZones },
  { version: 5, name: 'offline sign-in', sql: offlineSignIn },
  { version: 6, name: 'obligation terms', sql: obligationTerms },
  { version: 7, name: 'strategy, timeline tasks and worklist caches', sql: strategyTasks },
  { version: 8, name: 'script paths', sql: scriptPaths },
  { version: 9, name: 'collection holds', sql: collectionHolds },
  { version: 10, name: 'promises and payments', sql: promises },
  { version: 11, name: 'server sends in the ledger', sql: serverSends },
];

export const LATEST_VERSION = MIGRATIONS.length;
