import type { Migration } from '../../migrations/types.ts';
import { migration001 } from './001_portfolio.ts';
import { migration002 } from './002_sync.ts';
import { migration003 } from './003_server_nodes.ts';
import { migration004 } from './004_evidence.ts';
import { migration005 } from './005_rule_packs.ts';
import { migration006 } from './006_schedule_requests.ts';
import { migration007 } from './007_session_renewal.ts';
import { migration008 } from './008_alarm_lookups.ts';
import { migration009 } from './009_obligation_terms.ts';
import { migration010 } from './010_lease_releases.ts';
import { migration011 } from './011_debtor_views.ts';
import { migration012 } from './012_teams.ts';
import { migration013 } from './013_strategies.ts';
import { migration014 } from './014_script_versions.ts';
import { migration015 } from './015_catalog_versions.ts';
import { migration016 } from './016_promises.ts';
import { migration017 } from './017_reassignments.ts';
import { migration018 } from './018_agent_state_changes.ts';
import { migration019 } from './019_channel_sends.ts';

/** Every PostgreSQL migration, oldest first, numbered like the SQLite ones. Append only: a shipped migration is never edited. */
export const PG_MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016, migration017, migration018, migration019];
