import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CLOCK_OFFSET_MS, SettableClock, TrustedClock, type ClockJump } from './clock.ts';
import { manualTime, type ManualTime } from './test-support/manual-time.ts';

/** Pings a server whose clock is `trueOffset` ahead of the wall clock, with the given one-way delays. */
function ping(time: ManualTime, trueOffset: number, outboundMs: number, inboundMs: number) {
  const sentAt = time.monotonic();
  time.advance(outboundMs);
  const serverTime = time.wall() + trueOffset;
  time.advance(inboundMs);
  return { sentAt, receivedAt: time.monotonic(), serverTime };
}

const MINUTE = 60_000;

describe('TrustedClock', () => {
  it('starts at the local clock, trusted, never synced', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    expect(clock.now()).toBe(1_000_000);
    expect(clock.offsetMs()).toBe(0);
    expect(clock.reading()).toEqual({ offsetMs: 0, lastSyncAt: null, lastJump: null, distrust: null });
  });

  it.each([
    { case: 'symmetric delays', outbound: 100, inbound: 100, expected: 5_000 },
    { case: 'slow outbound leg', outbound: 300, inbound: 100, expected: 5_100 },
    { case: 'slow inbound leg', outbound: 100, inbound: 300, expected: 4_900 },
    { case: 'all delay outbound', outbound: 800, inbound: 0, expected: 5_400 },
    { case: 'all delay inbound', outbound: 0, inbound: 800, expected: 4_600 },
  ])('measures the offset at the midpoint with $case', ({ outbound, inbound, expected }) => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    const offset = clock.applySamples([ping(time, 5_000, outbound, inbound)]);

    // The midpoint assumes equal legs, so the error is half the difference between them.
    expect(offset).toBe(expected);
    expect(Math.abs(offset! - 5_000)).toBeLessThanOrEqual((outbound + inbound) / 2);
    expect(clock.now()).toBe(time.wall() + expected);
  });

  it('takes the offset of the sample with the smallest round trip', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    const samples = [ping(time, 5_000, 900, 100), ping(time, 5_000, 10, 10), ping(time, 5_000, 50, 250)];

    expect(clock.applySamples(samples)).toBe(5_000);
    expect(clock.applySamples([samples[0]!, samples[2]!])).toBe(4_900);
  });

  it('records when the offset was last measured', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    clock.applySamples([ping(time, 2_000, 0, 0)]);
    expect(clock.reading().lastSyncAt).toBe(time.wall() + 2_000);
  });

  it.each([
    { case: 'received before sent', sample: { sentAt: 900, receivedAt: 800, serverTime: 5_000 } },
    { case: 'received in the future', sample: { sentAt: 900, receivedAt: 99_999, serverTime: 5_000 } },
    { case: 'server time not a number', sample: { sentAt: 900, receivedAt: 950, serverTime: Number.NaN } },
  ])('ignores a sample $case', ({ sample }) => {
    const clock = new TrustedClock({ sources: manualTime(0) });
    expect(clock.applySamples([sample])).toBeNull();
    expect(clock.reading()).toMatchObject({ offsetMs: 0, lastSyncAt: null });
  });

  it.each([
    { direction: 'backward', jump: -3_600_000 },
    { direction: 'forward', jump: 3_600_000 },
    { direction: 'backward by a few seconds', jump: -2_500 },
  ])('detects a $direction wall-clock jump and keeps trusted time steady', ({ jump }) => {
    const time = manualTime(1_000_000);
    const jumps: ClockJump[] = [];
    const clock = new TrustedClock({ sources: time });
    clock.onJump((detected) => jumps.push(detected));
    clock.applySamples([ping(time, 500, 0, 0)]);

    time.advance(60_000);
    time.jumpWall(jump);
    expect(clock.now()).toBe(1_060_500);
    expect(clock.offsetMs()).toBe(500 - jump);
    expect(jumps).toEqual([{ kind: 'running', detectedAt: 1_060_500, localAt: 1_060_000 + jump, jumpMs: jump }]);
    expect(clock.reading().lastJump).toEqual(jumps[0]);
  });

  it('ignores a wall-clock change within the tolerance', () => {
    const time = manualTime(1_000_000);
    const jumps: ClockJump[] = [];
    const clock = new TrustedClock({ sources: time });
    clock.onJump((detected) => jumps.push(detected));
    time.advance(1_000);
    time.jumpWall(1_500);
    expect(clock.offsetMs()).toBe(0);
    expect(jumps).toEqual([]);
  });

  it('reports a jump once even when the listener reads the clock', () => {
    const time = manualTime(1_000_000);
    const jumps: ClockJump[] = [];
    const clock = new TrustedClock({ sources: time });
    clock.onJump((detected) => {
      jumps.push(detected);
      clock.now();
    });
    time.jumpWall(MINUTE);
    clock.now();
    expect(jumps).toHaveLength(1);
  });

  it('ignores a wall-clock jump made during a ping', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    const sentAt = time.monotonic();
    time.advance(100);
    const serverTime = time.wall() + 7_000;
    time.jumpWall(-3_600_000);
    time.advance(100);

    expect(clock.applySamples([{ sentAt, receivedAt: time.monotonic(), serverTime }])).toBe(7_000 + 3_600_000);
    expect(clock.now()).toBe(1_000_200 + 7_000);
  });

  it('distrusts a clock that jumped before any measurement', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    time.jumpWall(-10 * MINUTE);

    const { distrust, lastJump } = clock.reading();
    expect(distrust).toEqual({ kind: 'jump-before-sync', jump: lastJump });
    expect(lastJump?.jumpMs).toBe(-10 * MINUTE);
  });

  it('trusts a clock that jumped once a measurement followed', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    time.jumpWall(-3 * MINUTE);
    clock.applySamples([ping(time, 3 * MINUTE + 300, 20, 20)]);

    expect(clock.reading().distrust).toBeNull();
    expect(clock.reading().lastJump?.jumpMs).toBe(-3 * MINUTE);
  });

  it.each([
    { offset: DEFAULT_MAX_CLOCK_OFFSET_MS, trusted: true },
    { offset: -DEFAULT_MAX_CLOCK_OFFSET_MS, trusted: true },
    { offset: DEFAULT_MAX_CLOCK_OFFSET_MS + 1_000, trusted: false },
    { offset: -(DEFAULT_MAX_CLOCK_OFFSET_MS + 1_000), trusted: false },
    { offset: 3 * 60 * MINUTE, trusted: false },
  ])('trusts a measured offset of $offset ms: $trusted', ({ offset, trusted }) => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    clock.applySamples([ping(time, offset, 0, 0)]);

    const { distrust } = clock.reading();
    if (trusted) expect(distrust).toBeNull();
    else expect(distrust).toEqual({ kind: 'drift', offsetMs: offset, maxOffsetMs: DEFAULT_MAX_CLOCK_OFFSET_MS });
  });

  it('applies a configured maximum offset', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time, maxOffsetMs: 30_000 });
    clock.applySamples([ping(time, 31_000, 0, 0)]);
    expect(clock.reading().distrust).toEqual({ kind: 'drift', offsetMs: 31_000, maxOffsetMs: 30_000 });
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('rejects a maximum offset of %s', (maxOffsetMs) => {
    expect(() => new TrustedClock({ sources: manualTime(0), maxOffsetMs })).toThrow(`Invalid maximum clock offset: ${maxOffsetMs} ms`);
  });

  it('distrusts a jump after a measurement once the offset passes the maximum', () => {
    const time = manualTime(1_000_000);
    const clock = new TrustedClock({ sources: time });
    clock.applySamples([ping(time, 0, 0, 0)]);

    time.jumpWall(-2 * MINUTE);
    expect(clock.reading().distrust).toBeNull();
    time.jumpWall(-4 * MINUTE);
    expect(clock.reading().distrust).toEqual({ kind: 'drift', offsetMs: 6 * MINUTE, maxOffsetMs: DEFAULT_MAX_CLOCK_OFFSET_MS });

    // Setting the machine's clock right again brings the offset back, even before a new measurement.
    time.jumpWall(6 * MINUTE);
    expect(clock.reading()).toMatchObject({ offsetMs: 0, distrust: null });
  });

  it('detects a clock set back while the workstation was closed', () => {
    const time = manualTime(1_000_000);
    const jumps: ClockJump[] = [];
    const clock = new TrustedClock({ sources: time });
    clock.onJump((jump) => jumps.push(jump));

    const jump = clock.checkAgainstLastSeen(1_000_000 + 60 * MINUTE);
    expect(jump).toEqual({ kind: 'restart', detectedAt: 1_000_000, localAt: 1_000_000, jumpMs: -60 * MINUTE });
    expect(jumps).toEqual([jump]);
    // How far the clock moved is unknown, so the offset is not guessed.
    expect(clock.offsetMs()).toBe(0);
    expect(clock.reading().distrust).toEqual({ kind: 'jump-before-sync', jump });
  });

  it.each([
    { case: 'later than the last run', lastSeen: 900_000 },
    { case: 'within the tolerance', lastSeen: 1_001_500 },
  ])('accepts a clock $case', ({ lastSeen }) => {
    const clock = new TrustedClock({ sources: manualTime(1_000_000) });
    expect(clock.checkAgainstLastSeen(lastSeen)).toBeNull();
    expect(clock.reading().distrust).toBeNull();
  });

  it('bounds the error of the offset by half the best round trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
        fc.array(fc.record({ outbound: fc.nat(2_000), inbound: fc.nat(2_000), pause: fc.nat(10_000) }), { minLength: 1, maxLength: 5 }),
        (trueOffset, pings) => {
          const time = manualTime(1_700_000_000_000);
          const clock = new TrustedClock({ sources: time });
          const samples = pings.map((one) => {
            time.advance(one.pause);
            return ping(time, trueOffset, one.outbound, one.inbound);
          });
          const bestRoundTrip = Math.min(...samples.map((sample) => sample.receivedAt - sample.sentAt));
          const offset = clock.applySamples(samples)!;
          expect(Math.abs(offset - trueOffset)).toBeLessThanOrEqual(bestRoundTrip / 2 + 1);
        },
      ),
    );
  });

  it('advances trusted time at the monotonic pace through any wall-clock jumps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ elapsed: fc.nat(600_000), jump: fc.integer({ min: -86_400_000, max: 86_400_000 }) }), { maxLength: 20 }),
        (steps) => {
          const time = manualTime(1_700_000_000_000);
          const clock = new TrustedClock({ sources: time });
          clock.applySamples([ping(time, 1_234, 0, 0)]);
          const start = clock.now();

          let elapsed = 0;
          for (const step of steps) {
            time.advance(step.elapsed);
            time.jumpWall(step.jump);
            elapsed += step.elapsed;
            // A jump within the tolerance is absorbed as drift and shows up in trusted time.
            const tolerated = Math.abs(step.jump) <= 2_000 ? step.jump : 0;
            elapsed += tolerated;
            expect(clock.now()).toBe(start + elapsed);
          }
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

  it('is always trusted', () => {
    const clock = new SettableClock('2026-03-03T10:00:00');
    clock.advance(-86_400_000);
    expect(clock.reading()).toEqual({ offsetMs: 0, lastSyncAt: null, lastJump: null, distrust: null });
  });

  it('rejects an invalid instant with the value in the message', () => {
    const clock = new SettableClock();
    expect(() => clock.set('mañana')).toThrow(/"mañana"/);
  });
});
