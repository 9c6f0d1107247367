/** The workstation's local store: one SQLite connection and a repository per concept. */
import type { Database } from 'better-sqlite3';
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
      this.attempts.wipe();
      this.decisionChain.wipe();
      this.db.exec('DELETE FROM gate_decisions');
      this.ledger.wipe();
      this.debtors.wipe();
      this.meta.setFeedCursor(0);
    });
  }

  close(): void {
    this.db.close();
  }
}
