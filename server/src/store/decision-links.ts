/** The chain link of every stored decision that carried one, per workstation. */
import type { SqlConnection } from './sql.ts';
import type { StoredDecisionLink } from './types.ts';

export interface LinkRow {
  event_id: string;
  workstation_id: string;
  workstation_seq: number;
  decision_id: string;
  chain_index: number;
  prev_hash: string;
  hash: string;
  received_at: string;
}

export const toLink = (row: LinkRow): StoredDecisionLink => ({
  eventId: row.event_id,
  workstationId: row.workstation_id,
  workstationSeq: row.workstation_seq,
  decisionId: row.decision_id,
  index: row.chain_index,
  prevHash: row.prev_hash,
  hash: row.hash,
  receivedAt: row.received_at,
});

export class DecisionLinksTable {
  constructor(private readonly sql: SqlConnection) {}

  async insert(link: StoredDecisionLink): Promise<void> {
    await this.sql.run(
      `INSERT INTO decision_links (event_id, workstation_id, workstation_seq, decision_id, chain_index, prev_hash, hash, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [link.eventId, link.workstationId, link.workstationSeq, link.decisionId, link.index, link.prevHash, link.hash, link.receivedAt],
    );
  }

  /** The link with the highest index the workstation sent so far: where its next decision must attach. */
  async head(workstationId: string): Promise<StoredDecisionLink | null> {
    const row = await this.sql.get<LinkRow>(
      'SELECT * FROM decision_links WHERE workstation_id = ? ORDER BY chain_index DESC, workstation_seq DESC LIMIT 1',
      [workstationId],
    );
    return row === undefined ? null : toLink(row);
  }

  /**
   * Returns the head as it stood just before `before` (links received earlier only). A state report
   * is compared with this, because a push that the server handles while the report waits for its
   * write must not count against the head the workstation reported before that push.
   */
  async headReceivedBefore(workstationId: string, before: Date): Promise<StoredDecisionLink | null> {
    const row = await this.sql.get<LinkRow>(
      'SELECT * FROM decision_links WHERE workstation_id = ? AND received_at < ? ORDER BY chain_index DESC, workstation_seq DESC LIMIT 1',
      [workstationId, before.toISOString()],
    );
    return row === undefined ? null : toLink(row);
  }

  /** Returns the links stored at one chain index, received before `before`; more than one after a replay. */
  async atIndexReceivedBefore(workstationId: string, index: number, before: Date): Promise<StoredDecisionLink[]> {
    const rows = await this.sql.all<LinkRow>(
      'SELECT * FROM decision_links WHERE workstation_id = ? AND chain_index = ? AND received_at < ? ORDER BY workstation_seq',
      [workstationId, index, before.toISOString()],
    );
    return rows.map(toLink);
  }

  async hasIndex(workstationId: string, index: number): Promise<boolean> {
    return (await this.sql.get('SELECT event_id FROM decision_links WHERE workstation_id = ? AND chain_index = ?', [workstationId, index])) !== undefined;
  }

  async list(workstationId: string): Promise<StoredDecisionLink[]> {
    const rows = await this.sql.all<LinkRow>('SELECT * FROM decision_links WHERE workstation_id = ? ORDER BY chain_index, workstation_seq', [workstationId]);
    return rows.map(toLink);
  }
}
