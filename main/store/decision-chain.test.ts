import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GENESIS_HASH, chainedRecordOf, verifyChain } from '@gestiona/core/evidence-chain';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { recordDecision } from '../services/decision-log.ts';
import { makeDecisionRecord } from '../test-support/decisions.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { sha256Hex } from './decision-chain.ts';
import { LocalStore } from './local-store.ts';

const silent = createLogger({ level: 'silent' });

function openStore(dir: string): LocalStore {
  return new LocalStore(openDatabase({ dataDir: dir, logger: silent }));
}

function count(store: LocalStore, table: string): number {
  return (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('decision chain store', () => {
  let dir: string;
  let store: LocalStore;

  beforeEach(() => {
    dir = makeTempDir();
    store = openStore(dir);
  });

  afterEach(() => {
    store.close();
    removeDir(dir);
  });

  function record(n: number) {
    return store.transaction(() => recordDecision(store, makeDecisionRecord(n), 'agent-1'));
  }

  it('links each decision to the one before', () => {
    const first = record(1);
    const second = record(2);

    expect(first.chain).toMatchObject({ index: 1, prevHash: GENESIS_HASH });
    expect(second.chain).toMatchObject({ index: 2, prevHash: first.chain!.hash });
    expect(store.decisionChain.head()).toEqual({ index: 2, hash: second.chain!.hash });
    expect(store.decisionChain.verify()).toEqual({ ok: true, count: 2, head: { index: 2, hash: second.chain!.hash } });
  });

  it('carries the link in the queued event', () => {
    const payload = record(1);
    const [event] = store.outbox.oldest(10, 'ws-1').events;
    expect(event?.type).toBe('decision.recorded');
    if (event?.type !== 'decision.recorded') return;

    expect(event.payload.chain).toEqual(payload.chain);
    expect(store.decisionChain.linkOf(payload.decisionId)).toEqual(payload.chain);
    // What the server receives verifies on its own, with the same hash function.
    expect(verifyChain([chainedRecordOf(event.payload)!], sha256Hex).ok).toBe(true);
  });

  it('hashes the event as the server parses it', () => {
    const base = makeDecisionRecord(1);
    const withExtraKey = { ...base, decision: { ...base.decision, notInTheContract: true } };
    const payload = store.transaction(() => recordDecision(store, withExtraKey, 'agent-1'));

    const [event] = store.outbox.oldest(10, 'ws-1').events;
    if (event?.type !== 'decision.recorded') throw new Error('expected a decision event');
    expect(event.payload.decision).not.toHaveProperty('notInTheContract');
    expect(verifyChain([chainedRecordOf(event.payload)!], sha256Hex).ok).toBe(true);
    expect(payload.chain).toEqual(event.payload.chain);
  });

  it('rejects a record outside a transaction', () => {
    expect(() => recordDecision(store, makeDecisionRecord(1), 'agent-1')).toThrow(/inside a transaction/);
    expect(store.decisionChain.head()).toBeNull();
    expect(count(store, 'gate_decisions')).toBe(0);
  });

  it('leaves no link when the transaction fails', () => {
    record(1);
    expect(() =>
      store.transaction(() => {
        recordDecision(store, makeDecisionRecord(2), 'agent-1');
        throw new Error('crash after the append');
      }),
    ).toThrow('crash after the append');

    expect(store.decisionChain.head()?.index).toBe(1);
    expect(count(store, 'decision_chain')).toBe(1);
    expect(count(store, 'gate_decisions')).toBe(1);
    expect(count(store, 'outbox')).toBe(1);
    expect(record(3).chain?.index).toBe(2);
    expect(store.decisionChain.verify().ok).toBe(true);
  });

  it('gives two connections distinct indexes', () => {
    const other = openStore(dir);
    try {
      for (let n = 1; n <= 20; n += 1) {
        const writer = n % 3 === 0 ? other : store;
        writer.transaction(() => recordDecision(writer, makeDecisionRecord(n), 'agent-1'));
      }
    } finally {
      other.close();
    }

    const indexes = store.decisionChain.records().map((chained) => chained.index);
    expect(indexes).toEqual(Array.from({ length: 20 }, (_unused, position) => position + 1));
    expect(store.decisionChain.verify()).toMatchObject({ ok: true, count: 20 });
  });

  describe('detects tampering in the table', () => {
    beforeEach(() => {
      for (let n = 1; n <= 6; n += 1) record(n);
    });

    it.each([
      {
        case: 'an edited field',
        sql: "UPDATE decision_chain SET content = replace(content, '\"historySize\":0', '\"historySize\":7') WHERE chain_index = 3",
        kind: 'edited',
        index: 3,
      },
      { case: 'a deleted record', sql: 'DELETE FROM decision_chain WHERE chain_index = 4', kind: 'missing', index: 4 },
      { case: 'a deleted last record', sql: 'DELETE FROM decision_chain WHERE chain_index = 6', kind: 'missing', index: 6 },
      {
        case: 'two records swapped',
        sql: `UPDATE decision_chain SET chain_index = 100 WHERE chain_index = 2;
              UPDATE decision_chain SET chain_index = 2 WHERE chain_index = 3;
              UPDATE decision_chain SET chain_index = 3 WHERE chain_index = 100;`,
        kind: 'edited',
        index: 2,
      },
      { case: 'a changed prevHash', sql: `UPDATE decision_chain SET prev_hash = '${'a'.repeat(64)}' WHERE chain_index = 5`, kind: 'edited', index: 5 },
    ])('$case', ({ sql, kind, index }) => {
      store.db.pragma('foreign_keys = OFF');
      store.db.exec(sql);

      const result = store.decisionChain.verify();
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problem.kind).toBe(kind);
      expect(result.problem.index).toBe(index);
    });
  });

  it('continues the chain after a change of agent', () => {
    record(1);
    const before = record(2);
    store.outbox.acknowledge(store.outbox.oldest(10, 'ws-1').events.map((event) => event.id));
    store.wipeAgentData();

    expect(count(store, 'decision_chain')).toBe(0);
    expect(count(store, 'gate_decisions')).toBe(0);
    expect(store.decisionChain.head()).toEqual({ index: 2, hash: before.chain!.hash });

    const after = record(3);
    expect(after.chain).toMatchObject({ index: 3, prevHash: before.chain!.hash });
    expect(store.decisionChain.verify()).toEqual({ ok: true, count: 1, head: { index: 3, hash: after.chain!.hash } });
  });

  it('keeps the chain whole when the writer is killed', async () => {
    store.close();
    const script = fileURLToPath(new URL('../test-support/chain-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let written = 0;
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => {
      written += chunk.toString().split('\n').filter(Boolean).length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

    await vi.waitFor(() => expect(written, errors).toBeGreaterThanOrEqual(50), { timeout: 20_000, interval: 20 });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    store = openStore(dir);
    const head = store.decisionChain.head();
    expect(head?.index).toBeGreaterThanOrEqual(written);
    expect(store.decisionChain.verify()).toMatchObject({ ok: true, count: head?.index });
    expect(count(store, 'gate_decisions')).toBe(head?.index);
    expect(count(store, 'outbox')).toBe(head?.index);
    expect(record(head!.index + 1).chain?.prevHash).toBe(head?.hash);
  });
});
