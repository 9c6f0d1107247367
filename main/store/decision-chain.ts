/**
 * The workstation's hash chain of gate decisions (R16 evidence that cannot be edited unnoticed).
 * The hashing and the verification are core's `evidence-chain.ts`; this file stores the links.
 */
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import {
  GENESIS_HASH,
  canonicalJson,
  linkRecord,
  verifyChain,
  type ChainHead,
  type ChainLink,
  type ChainVerification,
  type ChainedRecord,
  type Hasher,
} from '@gestiona/core/evidence-chain';
import type { DecisionRecorded } from '@gestiona/core/sync';

/** Content a chain link covers: the `decision.recorded` payload without the link itself. */
export type DecisionChainContent = Omit<DecisionRecorded, 'chain'>;

export const sha256Hex: Hasher = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

interface ChainRow {
  chain_index: number;
  decision_id: string;
  prev_hash: string;
  hash: string;
  content: string;
}

interface HeadRow {
  head_index: number;
  head_hash: string;
  base_index: number;
  base_hash: string;
}

export class DecisionChainStore {
  private readonly db: Database;
  private readonly hasher: Hasher;
  private readonly insert: Statement;
  private readonly selectHead: Statement<[], HeadRow>;
  private readonly upsertHead: Statement;
  private readonly selectAll: Statement<[], ChainRow>;
  private readonly selectByDecision: Statement<[string], ChainRow>;

  constructor(db: Database, hasher: Hasher = sha256Hex) {
    this.db = db;
    this.hasher = hasher;
    this.insert = db.prepare(
      'INSERT INTO decision_chain (chain_index, decision_id, prev_hash, hash, content) VALUES (@index, @decisionId, @prevHash, @hash, @content)',
    );
    this.selectHead = db.prepare('SELECT head_index, head_hash, base_index, base_hash FROM decision_chain_head WHERE id = 1');
    this.upsertHead = db.prepare(`
      INSERT INTO decision_chain_head (id, head_index, head_hash, base_index, base_hash)
      VALUES (1, @headIndex, @headHash, @baseIndex, @baseHash)
      ON CONFLICT (id) DO UPDATE SET head_index = excluded.head_index, head_hash = excluded.head_hash,
        base_index = excluded.base_index, base_hash = excluded.base_hash`);
    this.selectAll = db.prepare('SELECT * FROM decision_chain ORDER BY chain_index');
    this.selectByDecision = db.prepare('SELECT * FROM decision_chain WHERE decision_id = ?');
  }

  /**
   * Links the decision to the head of the chain and stores the link. It must run inside the
   * transaction that stores the decision: the head is read there, under SQLite's write lock, so two
   * writers never take the same index, and a crash leaves either the decision with its link or neither.
   */
  append(decisionId: string, content: DecisionChainContent): ChainLink {
    if (!this.db.inTransaction) {
      throw new Error(`append decision ${decisionId} to the chain: must run inside the transaction that stores the decision`);
    }
    const stored = this.selectHead.get();
    const head = stored && stored.head_index > 0 ? { index: stored.head_index, hash: stored.head_hash } : null;

    const link = linkRecord(content, head, this.hasher);
    this.insert.run({ ...link, decisionId, content: canonicalJson(content) });
    this.upsertHead.run({
      headIndex: link.index,
      headHash: link.hash,
      baseIndex: stored?.base_index ?? 0,
      baseHash: stored?.base_hash ?? GENESIS_HASH,
    });
    return link;
  }

  /** Returns the last link, or null before the first chained decision. It survives `wipe`. */
  head(): ChainHead | null {
    const stored = this.selectHead.get();
    return stored && stored.head_index > 0 ? { index: stored.head_index, hash: stored.head_hash } : null;
  }

  linkOf(decisionId: string): ChainLink | null {
    const row = this.selectByDecision.get(decisionId);
    return row ? { index: row.chain_index, prevHash: row.prev_hash, hash: row.hash } : null;
  }

  /** Returns the stored records in index order, with their content parsed back from JSON. */
  records(): ChainedRecord[] {
    return this.selectAll.all().map((row) => ({
      index: row.chain_index,
      prevHash: row.prev_hash,
      hash: row.hash,
      content: JSON.parse(row.content) as unknown,
    }));
  }

  /**
   * Verifies the stored records from the link before the first of them up to the stored head, so a
   * deleted last record is found too. Records removed by `wipe` are not checked here, because only
   * the server keeps them.
   */
  verify(): ChainVerification {
    const stored = this.selectHead.get();
    const after = stored ? { index: stored.base_index, hash: stored.base_hash } : undefined;
    const expectedHead = stored && stored.head_index > 0 ? { index: stored.head_index, hash: stored.head_hash } : undefined;
    return verifyChain(this.records(), this.hasher, { after, expectedHead });
  }

  /**
   * Deletes the stored records and keeps the head, so the next decision continues the chain. The
   * caller deletes the gate decisions in the same transaction, after this.
   */
  wipe(): void {
    const stored = this.selectHead.get();
    this.db.prepare('DELETE FROM decision_chain').run();
    if (stored) {
      this.upsertHead.run({ headIndex: stored.head_index, headHash: stored.head_hash, baseIndex: stored.head_index, baseHash: stored.head_hash });
    }
  }
}
