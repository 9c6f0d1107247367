import { describe, expect, it } from 'vitest';
import type { LeaseRecord } from '../store/types.ts';
import { handoverAt, handoverState } from './handover.ts';

function lease(id: number, agentId: string, grantedAt: string, expiresAt: string): LeaseRecord {
  return {
    id,
    debtorId: 'CC-1',
    agentId,
    grantedAt: new Date(grantedAt).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
    releasedAt: null,
    releaseReason: null,
    releaseConfirmedAt: null,
  };
}

describe('handoverAt', () => {
  it.each([
    { expiresAt: '2026-12-08T08:00:00-05:00', handover: '2026-12-09T00:00:00-05:00' },
    { expiresAt: '2026-12-08T23:49:59-05:00', handover: '2026-12-09T00:00:00-05:00' },
    // The clock margin pushes a lease ending late in the evening past midnight, so one more day.
    { expiresAt: '2026-12-08T23:55:00-05:00', handover: '2026-12-10T00:00:00-05:00' },
    { expiresAt: '2026-12-31T12:00:00-05:00', handover: '2027-01-01T00:00:00-05:00' },
  ])('after a lease ending $expiresAt is $handover', ({ expiresAt, handover }) => {
    expect(handoverAt(lease(1, 'a', '2026-12-01T08:00:00-05:00', expiresAt)).toISOString()).toBe(new Date(handover).toISOString());
  });
});

describe('handoverState', () => {
  const first = lease(1, 'a', '2026-12-01T08:00:00-05:00', '2026-12-08T08:00:00-05:00');

  it('sends a first lease at once', () => {
    expect(handoverState([], { agentId: 'a', grantedAt: first.grantedAt })).toEqual({ lastAnnounced: null, waitsUntil: null });
  });

  it('sends a lease of the same agent at once', () => {
    expect(handoverState([first], { agentId: 'a', grantedAt: '2026-12-02T08:00:00Z' }).waitsUntil).toBeNull();
  });

  it('makes another agent wait for the handover', () => {
    const state = handoverState([first], { agentId: 'b', grantedAt: '2026-12-02T08:00:00Z' });
    expect(state.waitsUntil?.toISOString()).toBe('2026-12-09T05:00:00.000Z');
  });

  it('sends another agent at once after the handover instant', () => {
    expect(handoverState([first], { agentId: 'b', grantedAt: '2026-12-09T05:00:00.000Z' }).waitsUntil).toBeNull();
  });

  it('ignores a waiting lease that was never sent', () => {
    const waiting = lease(2, 'b', '2026-12-02T08:00:00-05:00', '2026-12-16T00:00:00-05:00');
    // Back to the first agent: its workstation had the debtor, and no other workstation did.
    expect(handoverState([first, waiting], { agentId: 'a', grantedAt: '2026-12-02T09:00:00Z' }).waitsUntil).toBeNull();
    // A third agent still waits for the first agent's lease to end.
    expect(handoverState([first, waiting], { agentId: 'c', grantedAt: '2026-12-02T09:00:00Z' }).lastAnnounced).toBe(first);
  });

  it('counts a waiting lease as sent once its replacement follows it', () => {
    const waiting = lease(2, 'b', '2026-12-02T08:00:00-05:00', '2026-12-16T00:00:00-05:00');
    const sent = lease(3, 'b', '2026-12-09T00:00:00-05:00', '2026-12-16T00:00:00-05:00');
    expect(handoverState([first, waiting, sent], { agentId: 'a', grantedAt: '2026-12-10T08:00:00Z' }).lastAnnounced).toBe(sent);
  });
});

describe('handover after a confirmed release', () => {
  const first = lease(1, 'a', '2026-12-01T08:00:00-05:00', '2026-12-08T08:00:00-05:00');
  const confirmed: LeaseRecord = {
    ...first,
    releasedAt: '2026-12-02T14:00:00.000Z',
    releaseReason: 'reassigned',
    releaseConfirmedAt: '2026-12-02T14:05:00.000Z',
  };

  it.each([
    { name: 'a confirmation before the expiry handover', record: confirmed, handover: '2026-12-02T14:05:00.000Z' },
    { name: 'no confirmation', record: { ...confirmed, releaseConfirmedAt: null }, handover: '2026-12-09T05:00:00.000Z' },
    { name: 'a confirmation after the expiry handover', record: { ...confirmed, releaseConfirmedAt: '2026-12-10T00:00:00.000Z' }, handover: '2026-12-09T05:00:00.000Z' },
  ])('comes at the earlier instant with $name', ({ record, handover }) => {
    expect(handoverAt(record).toISOString()).toBe(handover);
  });

  it('sends another agent at once from the confirmation', () => {
    expect(handoverState([confirmed], { agentId: 'b', grantedAt: '2026-12-02T14:05:00.000Z' }).waitsUntil).toBeNull();
  });

  it('makes a lease granted before the confirmation wait for it', () => {
    const state = handoverState([confirmed], { agentId: 'b', grantedAt: '2026-12-02T14:00:00.000Z' });
    expect(state.waitsUntil?.toISOString()).toBe('2026-12-02T14:05:00.000Z');
  });

  it('counts the replacement sent at the confirmation as announced', () => {
    const waiting = lease(2, 'b', '2026-12-02T09:00:00-05:00', '2026-12-16T00:00:00-05:00');
    const sent = lease(3, 'b', '2026-12-02T14:05:00.000Z', '2026-12-09T14:05:00.000Z');
    expect(handoverState([confirmed, waiting, sent], { agentId: 'c', grantedAt: '2026-12-03T08:00:00Z' }).lastAnnounced).toBe(sent);
  });
});
