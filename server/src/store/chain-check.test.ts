import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linkRecord, type ChainHead } from '@gestiona/core/evidence-chain';
import type { SyncEvent } from '@gestiona/core/sync';
import { decisionEvent } from '../fixtures/events.ts';
import { findChainProblems, sha256Hex, type ChainFinding } from './chain-check.ts';
import type { StoredDecisionLink } from './types.ts';

type DecisionEvent = Extract<SyncEvent, { type: 'decision.recorded' }>;

function chain(count: number): DecisionEvent[] {
  const events: DecisionEvent[] = [];
  let head: ChainHead | null = null;
  for (let seq = 1; seq <= count; seq += 1) {
    const event = decisionEvent({ agentId: 'u1', workstationId: 'ws-1', debtorId: 'CC-1', personId: 'CC-1', contactPointId: 'CC-1/celular', seq, at: '2026-12-04T09:00:00-05:00' }) as DecisionEvent;
    const link = linkRecord(event.payload, head, sha256Hex);
    head = { index: link.index, hash: link.hash };
    events.push({ ...event, payload: { ...event.payload, chain: link } });
  }
  return events;
}

/** Runs the check over events in arrival order, keeping the stored links as the store does. */
async function checkAll(events: readonly DecisionEvent[]): Promise<ChainFinding[]> {
  const stored: StoredDecisionLink[] = [];
  const findings: ChainFinding[] = [];
  for (const event of events) {
    const head = stored.reduce<StoredDecisionLink | null>((best, link) => (best === null || link.index > best.index ? link : best), null);
    findings.push(...(await findChainProblems(event, head, async (index) => stored.some((link) => link.index === index))));
    const link = event.payload.chain;
    if (link) stored.push({ eventId: event.id, workstationId: 'ws-1', workstationSeq: event.seq, decisionId: event.payload.decisionId, ...link, receivedAt: '' });
  }
  return findings;
}

describe('findChainProblems', () => {
  const events = chain(12);

  it('finds nothing in any honest chain', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), async (length) => {
        expect(await checkAll(events.slice(0, length))).toEqual([]);
      }),
    );
  });

  it('finds exactly one gap for any deleted record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10 }), async (deleted) => {
        const findings = await checkAll(events.filter((_, position) => position !== deleted));
        expect(findings.map((finding) => [finding.kind, finding.index])).toEqual([['chain-gap', deleted + 1]]);
      }),
    );
  });

  it('finds exactly one edit for any edited record', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 1000 }), async (edited, historySize) => {
        const tampered = events.map((event, position) => (position === edited ? { ...event, payload: { ...event.payload, historySize } } : event));
        const findings = await checkAll(tampered);
        expect(findings.map((finding) => [finding.kind, finding.index])).toEqual([['chain-edited', edited + 1]]);
      }),
    );
  });

  it('names the missing range of a larger gap', async () => {
    const findings = await checkAll([events[0]!, events[4]!]);
    expect(findings).toEqual([{ kind: 'chain-gap', problem: 'missing', index: 2, message: 'Faltan los registros 2 a 4 de la cadena de decisiones: fueron borrados o no llegaron.' }]);
  });

  it('rejects a first record that does not start at genesis', async () => {
    const relinked = { ...events[0]!, payload: { ...events[0]!.payload, chain: { ...events[0]!.payload.chain!, prevHash: 'c'.repeat(64) } } };
    expect((await checkAll([relinked])).map((finding) => finding.kind)).toEqual(['chain-edited']);
  });
});
