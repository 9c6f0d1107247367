import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DecisionRecorded } from '@gestiona/core/sync';
import { openDatabase } from '../db/open.ts';
import { createLogger } from '../logger.ts';
import { makeTempDir, removeDir } from '../test-support/workstation.ts';
import { LocalStore } from './local-store.ts';

const PAYLOAD: DecisionRecorded = {
  decisionId: '00000000-0000-4000-8000-000000000001',
  debtorId: 'd1',
  personId: 'p1',
  contactPointId: 'c1',
  channel: 'voice',
  decision: { allowed: true, rules: [], reasons: [], warnings: [], nextAllowedAt: null, rulePackVersion: '1', evaluatedAt: '2026-03-03T10:00:00-05:00' },
  historySize: 0,
  trustedAt: '2026-03-03T10:00:00-05:00',
  localAt: '2026-03-03T10:00:00-05:00',
  clockOffsetMs: 0,
};

type Operation = { kind: 'enqueue' } | { kind: 'acknowledge'; count: number } | { kind: 'reject' };

describe('outbox', () => {
  let dir: string;
  let store: LocalStore;

  beforeEach(() => {
    dir = makeTempDir();
    store = new LocalStore(openDatabase({ dataDir: dir, logger: createLogger({ level: 'silent' }) }));
  });

  afterEach(() => {
    store.close();
    removeDir(dir);
  });

  it('numbers events 1, 2, 3… without gaps or reuse, whatever is acknowledged', () => {
    const operation = fc.oneof(
      fc.constant<Operation>({ kind: 'enqueue' }),
      fc.record({ kind: fc.constant('acknowledge' as const), count: fc.integer({ min: 1, max: 3 }) }),
      fc.constant<Operation>({ kind: 'reject' }),
    );
    let assigned = 0;

    fc.assert(
      fc.property(fc.array(operation, { maxLength: 30 }), (operations) => {
        for (const op of operations) {
          if (op.kind === 'enqueue') {
            const { seq } = store.outbox.enqueue({ type: 'decision.recorded', payload: PAYLOAD, agentId: 'a1', occurredAt: PAYLOAD.trustedAt });
            assigned += 1;
            expect(seq).toBe(assigned);
          } else {
            const oldest = store.outbox.oldest(op.kind === 'reject' ? 1 : op.count, 'ws-1').events;
            if (op.kind === 'reject') oldest.forEach((event) => store.outbox.reject(event.id, 'motivo', PAYLOAD.trustedAt));
            else store.outbox.acknowledge(oldest.map((event) => event.id));
          }
        }

        const queued = store.outbox.oldest(1_000, 'ws-1').events.map((event) => event.seq);
        const rejected = store.outbox.rejected().map((row) => row.seq);
        expect(queued).toEqual([...queued].sort((a, b) => a - b));
        expect(new Set([...queued, ...rejected]).size).toBe(queued.length + rejected.length);
        expect(store.outbox.stats().pending).toBe(queued.length);
      }),
      { numRuns: 60 },
    );
  });

  it('fills in the workstation id and checks the contract when reading', () => {
    store.outbox.enqueue({ type: 'decision.recorded', payload: PAYLOAD, agentId: 'a1', occurredAt: PAYLOAD.trustedAt });
    store.db.prepare("INSERT INTO outbox (id, type, agent_id, occurred_at, payload) VALUES ('roto', 'decision.recorded', 'a1', 'x', '{}')").run();

    const { events, invalid } = store.outbox.oldest(10, 'ws-9');
    expect(events.map((event) => [event.seq, event.workstationId])).toEqual([[1, 'ws-9']]);
    expect(invalid.map((row) => row.id)).toEqual(['roto']);
  });
});
