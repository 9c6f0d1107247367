/** The workstation's local store: one SQLite connection and a repository per concept. */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AttemptStore } from './attempts.ts';
import { ClockJumpStore } from './clock-jumps.ts';
import { DebtorStore } from './debtors.ts';
import { DecisionChainStore } from './decision-chain.ts';
import { DecisionStore } from './decisions.ts';
import { InteractionStore } from './interactions.ts';
import { LedgerStore } from './ledger.ts';
import { MetaStore } from './meta.ts';
import { OutboxStore } from './outbox.ts';
import { ReferenceDataStore } from './reference-data.ts';
import { StrategyStore } from './strategy.ts';
import { TaskStore } from './tasks.ts';
import { HoldStore } from '../services/holds-store.ts';
import { PromiseStore } from './promises.ts';

export class LocalStore {
  readonly db: Database;
  readonly meta: MetaStore;
  readonly debtors: DebtorStore;
  readonly referenceData: ReferenceDataStore;
  readonly ledger: LedgerStore;
  readonly decisions: DecisionStore;
  readonly decisionChain: DecisionChainStore;
  readonly attempts: AttemptStore;
  readonly interactions: InteractionStore;
  readonly outbox: OutboxStore;
  readonly clockJumps: ClockJumpStore;
  readonly strategy: StrategyStore;
  readonly tasks: TaskStore;
  readonly holds: HoldStore;
  readonly promises: PromiseStore;

  constructor(db: Database) {
    this.db = db;
    this.meta = new MetaStore(db);
    this.debtors = new DebtorStore(db);
    this.referenceData = new ReferenceDataStore(db);
    this.ledger = new LedgerStore(db);
    this.decisions = new DecisionStore(db);
    this.decisionChain = new DecisionChainStore(db);
    this.attempts = new AttemptStore(db);
    this.interactions = new InteractionStore(db);
    this.outbox = new OutboxStore(db);
    this.clockJumps = new ClockJumpStore(db);
    this.strategy = new StrategyStore(db);
    this.tasks = new TaskStore(db);
    this.holds = new HoldStore(db);
    this.promises = new PromiseStore(db);
  }

  /** Runs `work` in one immediate transaction: all of it commits, or none of it does. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /**
   * Deletes the debtor data of the agent who used this workstation before, so that the next agent
   * never reads it. Reference data stays; the feed cursor restarts so the new agent's debtors arrive.
   * Gate decisions and their chain records go too: they reached the server, because the caller
   * checks the outbox is empty. The chain's head stays, so the next decision continues the chain.
   */
  wipeAgentData(): void {
    this.transaction(() => {
      this.interactions.wipe();
      this.holds.wipe();
      this.promises.wipe();
      this.attempts.wipe();
      this.decisionChain.wipe();
      this.db.exec('DELETE FROM gate_decisions');
      this.ledger.wipe();
      this.debtors.wipe();
      this.meta.setFeedCursor(0);
    });
  }

  /**
   * Deletes the debtor data at sign-out on a shared machine. Every debtor goes the way a lease end
   * removes it, so names, documents, numbers, notes and amounts go while ids, instants and codes
   * stay. Then the interactions the server acknowledged go, with what they created. Events not yet acknowledged keep their copy in
   * the outbox and their interaction, whose flags and revocations must keep blocking until the
   * server has them. The ledger stays because the limits count it. Once nothing is queued, the
   * decisions and chain records go too, and the chain head stays. The feed cursor restarts, so
   * the next sign-in pulls the portfolio again.
   *
   * VACUUM then rewrites the file without the freed pages and the WAL is truncated, so no deleted
   * page lingers in either file.
   */
  purgeSignedOutData(): { debtors: number; interactions: number } {
    const counts = this.transaction(() => {
      const debtorIds = (this.db.prepare('SELECT id FROM debtors').all() as Array<{ id: string }>).map((row) => row.id);
      for (const id of debtorIds) this.debtors.remove(id);
      // Promises and payments hold amounts, which go with the debtors.
      this.promises.wipe();

      const unsent = `SELECT json_extract(payload, '$.interactionId') FROM outbox WHERE type = 'interaction.recorded'
        UNION SELECT json_extract(payload, '$.interactionId') FROM rejected_outbox WHERE type = 'interaction.recorded'`;
      for (const table of ['local_records', 'contact_point_flags', 'channel_revocations']) {
        this.db.prepare(`DELETE FROM ${table} WHERE interaction_id NOT IN (${unsent})`).run();
      }
      const interactions = this.db.prepare(`DELETE FROM interactions WHERE id NOT IN (${unsent})`).run().changes;

      const nothingQueued = this.outbox.stats().pending === 0 && this.outbox.rejectedCount() === 0;
      if (nothingQueued) {
        this.db.exec("DELETE FROM attempts WHERE status = 'closed' AND id NOT IN (SELECT attempt_id FROM interactions)");
        if (this.db.prepare('SELECT 1 FROM attempts LIMIT 1').get() === undefined) {
          this.decisionChain.wipe();
          this.db.exec('DELETE FROM gate_decisions');
        }
      }
      this.meta.setFeedCursor(0);
      return { debtors: debtorIds.length, interactions };
    });
    this.db.exec('VACUUM');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return counts;
  }

  close(): void {
    this.db.close();
  }
}
