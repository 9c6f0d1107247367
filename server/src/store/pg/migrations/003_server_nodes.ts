import type { Migration } from '../../migrations/types.ts';

/**
 * Open sockets per workstation and server node. Each node counts only its own sockets, so one
 * node starting or stopping leaves the others' counts alone, and the counts of a node that stopped
 * reporting are dropped with its row. `workstations.connected` is no longer written.
 */
export const migration003: Migration = {
  version: 3,
  name: 'server-nodes',
  sql: `
    CREATE TABLE server_nodes (
      id text COLLATE "C" PRIMARY KEY,
      started_at utc_instant NOT NULL,
      seen_at utc_instant NOT NULL
    );

    CREATE TABLE workstation_sockets (
      workstation_id text COLLATE "C" NOT NULL REFERENCES workstations(id),
      node_id text COLLATE "C" NOT NULL REFERENCES server_nodes(id) ON DELETE CASCADE,
      sockets integer NOT NULL CHECK (sockets >= 0),
      PRIMARY KEY (workstation_id, node_id)
    );
    CREATE INDEX workstation_sockets_node ON workstation_sockets(node_id);
  `,
};
