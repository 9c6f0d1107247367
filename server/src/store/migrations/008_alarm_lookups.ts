import type { Migration } from './types.ts';

/**
 * Indexes for the alarm reads that run often: every `state:report` looks for an alarm already
 * raised for the same workstation, kind and detail, and every board refresh reads today's
 * unacknowledged alarms. Without them both scan the whole table, which only grows.
 */
export const migration008: Migration = {
  version: 8,
  name: 'alarm-lookups',
  sql: `
    CREATE INDEX alarms_workstation_kind ON alarms(workstation_id, kind);
    CREATE INDEX alarms_open ON alarms(acknowledged_at, created_at);
  `,
};
