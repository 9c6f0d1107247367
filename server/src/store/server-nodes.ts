/** The server nodes using the database; deleting a node's row also deletes its socket counts. */
import type { SqlConnection } from './sql.ts';

export class ServerNodesTable {
  constructor(private readonly sql: SqlConnection) {}

  /** Registers the node, or records that it is still running. */
  async touch(nodeId: string, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.sql.run(
      'INSERT INTO server_nodes (id, started_at, seen_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at',
      [nodeId, at, at],
    );
  }

  /**
   * Registers the node unless it is there already. Unlike `touch` it never updates the row, so
   * many sockets connecting at once do not conflict over it.
   */
  async ensure(nodeId: string, now: Date): Promise<void> {
    const at = now.toISOString();
    await this.sql.run('INSERT INTO server_nodes (id, started_at, seen_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING', [nodeId, at, at]);
  }

  /** Removes every other node last seen before the instant, or every other node when the instant is null. Returns how many. */
  removeOthers(nodeId: string, seenBefore: Date | null): Promise<number> {
    if (seenBefore === null) return this.sql.run('DELETE FROM server_nodes WHERE id <> ?', [nodeId]);
    return this.sql.run('DELETE FROM server_nodes WHERE id <> ? AND seen_at < ?', [nodeId, seenBefore.toISOString()]);
  }

  async remove(nodeId: string): Promise<void> {
    await this.sql.run('DELETE FROM server_nodes WHERE id = ?', [nodeId]);
  }
}
