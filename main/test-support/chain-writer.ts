/**
 * Child process for the kill test of the decision chain: appends decisions to the store in
 * `argv[2]` until it is killed, printing one line per committed decision.
 *
 *     node --import tsx main/test-support/chain-writer.ts <dataDir>
 */
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { recordDecision } from '../services/decision-log.ts';
import { LocalStore } from '../store/local-store.ts';
import { makeDecisionRecord } from './decisions.ts';

/** A bound on the loop, so a parent that never kills the child does not leave it running. */
const MAX_DECISIONS = 100_000;

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: chain-writer.ts <dataDir>\n');
  process.exit(2);
}

const store = new LocalStore(openDatabase({ dataDir, logger: createLogger({ level: 'silent' }) }));
const first = (store.decisionChain.head()?.index ?? 0) + 1;
for (let n = first; n < first + MAX_DECISIONS; n += 1) {
  store.transaction(() => recordDecision(store, makeDecisionRecord(n), 'agent-1'));
  process.stdout.write(`${n}\n`);
}
store.close();
