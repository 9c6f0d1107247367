import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SettableClock, TrustedClock, type TimeSources } from './clock.ts';

/** Wall and monotonic clocks that tests move by hand. */
function manualTime(wall: number): TimeSources & { advance(ms: number): void; jumpWall(ms: number): void } {
  let wallNow = wall;
  let monotonicNow = 1_000;
  return {
    wall: () => wallNow,
    monotonic: () => monotonicNow,
    advance(ms) {
      wallNow += ms;
      monotonicNow += ms;
    },
    jumpWall(ms) {
      wallNow += ms;
    },
  };
}

describe('TrustedClock', () => {
  it('starts at the local clock with no offset', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    expect(clock.now()).toBe(1_000_000);
    expect(clock.offsetMs()).toBe(0);
  });

  it('takes the offset of the sample with the smallest round trip', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    const offset = clock.applySamples([
      { sentAt: 1_000, receivedAt: 1_400, serverTime: 6_000 },
      { sentAt: 2_000, receivedAt: 2_020, serverTime: 7_010 },
      { sentAt: 3_000, receivedAt: 3_300, serverTime: 9_000 },
    ]);
    expect(offset).toBe(5_000);
    expect(clock.now()).toBe(1_005_000);
  });

  it('ignores samples received before they were sent', () => {
    const clock = new TrustedClock({ sources: manualTime(0) });
    expect(clock.applySamples([{ sentAt: 10, receivedAt: 5, serverTime: 100 }])).toBeNull();
    expect(clock.offsetMs()).toBe(0);
  });

  it('keeps trusted time steady when the wall clock jumps', () => {
    const time = manualTime(1_000_000);
    const jumps: number[] = [];
    const clock = new TrustedClock({ sources: time, onJump: (jump) => jumps.push(jump) });
    clock.applySamples([{ sentAt: 1_000_000, receivedAt: 1_000_000, serverTime: 1_000_500 }]);

    time.advance(60_000);
    time.jumpWall(-3_600_000);
    expect(clock.now()).toBe(1_060_500);
    expect(jumps).toEqual([-3_600_000]);
    expect(clock.offsetMs()).toBe(3_600_500);
  });

  it('bounds the error of the offset by half the best round trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
        fc.array(fc.record({ sentAt: fc.integer({ min: 0, max: 1e9 }), outbound: fc.nat(2_000), inbound: fc.nat(2_000) }), { minLength: 1, maxLength: 5 }),
        (trueOffset, pings) => {
          const clock = new TrustedClock({ sources: manualTime(0) });
          const samples = pings.map((ping) => ({
            sentAt: ping.sentAt,
            receivedAt: ping.sentAt + ping.outbound + ping.inbound,
            serverTime: ping.sentAt + ping.outbound + trueOffset,
          }));
          const bestRoundTrip = Math.min(...samples.map((sample) => sample.receivedAt - sample.sentAt));
          const offset = clock.applySamples(samples)!;
          expect(Math.abs(offset - trueOffset)).toBeLessThanOrEqual(bestRoundTrip / 2 + 1);
        },
      ),
    );
  });
});

describe('SettableClock', () => {
  it('reads a local time without offset as Bogotá time', () => {
    const clock = new SettableClock('2026-03-03T10:00:00');
    expect(new Date(clock.now()).toISOString()).toBe('2026-03-03T15:00:00.000Z');
    expect(clock.offsetMs()).toBe(0);
  });

  it('rejects an invalid instant with the value in the message', () => {
    const clock = new SettableClock();
    expect(() => clock.set('mañana')).toThrow(/"mañana"/);
  });
});
