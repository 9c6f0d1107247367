import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WorklistItem } from '@gestiona/core/ipc';
import { useSessionStore } from './session.ts';
import { nextRefreshAt, REFRESH_SLACK_MS, useWorklistStore } from './worklist.ts';

// The local clock is 3 minutes behind the trusted one, so a timer computed from the local clock would fire late.
const LOCAL_NOW = Date.parse('2026-12-07T23:56:00-05:00');
const CLOCK_OFFSET_MS = 3 * 60_000;

function row(debtorId: string, nextAllowedAt: string | null, slotAt: string | null = null): WorklistItem {
  return {
    debtorId,
    fullName: 'Ana Pérez',
    docType: 'CC',
    docNumber: '1',
    segment: 'media',
    priority: 1,
    totalBalanceCents: 0,
    maxDaysPastDue: 0,
    obligationCount: 1,
    legalStatus: nextAllowedAt === null ? 'contactable' : 'outside-hours',
    statusText: '',
    nextAllowedAt,
    lastResultCode: null,
    lastContactAt: null,
    task: slotAt === null ? null : { activityId: 'a', name: 'Llamada', plannedDate: '2026-12-07', slotAt, allowedNow: false, text: '' },
  };
}

let listCalls = 0;
let pages: WorklistItem[][] = [];

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(LOCAL_NOW);
  useSessionStore.setState({ clockOffsetMs: CLOCK_OFFSET_MS });
  listCalls = 0;
  pages = [];
  vi.stubGlobal('window', {
    gestiona: {
      'worklist:list': () => {
        const items = pages[Math.min(listCalls, pages.length - 1)] ?? [];
        listCalls += 1;
        return Promise.resolve({ ok: true, value: { items, total: items.length, segments: [] } });
      },
    },
  });
});

afterEach(() => {
  useWorklistStore.getState().reset();
  useSessionStore.setState({ clockOffsetMs: 0 });
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('worklist automatic reload', () => {
  it('reloads at the next Bogotá midnight', async () => {
    pages = [[row('d1', null)]];
    await useWorklistStore.getState().load();
    expect(listCalls).toBe(1);

    // Trusted time is 23:59:00, so midnight is 60 s away.
    await vi.advanceTimersByTimeAsync(60_000 + REFRESH_SLACK_MS - 1);
    expect(listCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(listCalls).toBe(2);
  });

  it('reloads when the earliest calling window opens', async () => {
    // Trusted time is 23:59:00. Windows open at 23:59:30 and 23:59:40, and one is already past.
    pages = [[row('d1', '2026-12-07T23:59:40-05:00'), row('d2', '2026-12-07T23:59:30-05:00'), row('d3', '2026-12-07T23:00:00-05:00')], []];
    await useWorklistStore.getState().load();

    await vi.advanceTimersByTimeAsync(30_000 + REFRESH_SLACK_MS - 1);
    expect(listCalls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(listCalls).toBe(2);
  });

  it('re-arms after each load', async () => {
    pages = [[row('d1', '2026-12-07T23:59:10-05:00')], [row('d1', null)]];
    await useWorklistStore.getState().load();

    await vi.advanceTimersByTimeAsync(10_000 + REFRESH_SLACK_MS);
    expect(listCalls).toBe(2);
    // The second page has no window, so the next reload waits for midnight, 60 s after the start.
    await vi.advanceTimersByTimeAsync(60_000 - 10_000 - 1);
    expect(listCalls).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(listCalls).toBe(3);
  });

  it('stops after sign-out', async () => {
    pages = [[row('d1', null)]];
    await useWorklistStore.getState().load();
    useWorklistStore.getState().reset();

    await vi.advanceTimersByTimeAsync(2 * 24 * 3_600_000);
    expect(listCalls).toBe(1);
  });
});

describe('nextRefreshAt', () => {
  const now = Date.parse('2026-12-07T10:00:00-05:00');

  it.each([
    { case: 'an empty page', items: [], expected: '2026-12-08T00:00:00-05:00' },
    { case: 'a window later today', items: [row('d1', '2026-12-07T15:00:00-05:00')], expected: '2026-12-07T15:00:00-05:00' },
    { case: 'a window after midnight', items: [row('d1', '2026-12-09T07:00:00-05:00')], expected: '2026-12-08T00:00:00-05:00' },
    { case: 'a past window', items: [row('d1', '2026-12-07T09:00:00-05:00')], expected: '2026-12-08T00:00:00-05:00' },
    { case: 'a task slot', items: [row('d1', null, '2026-12-07T11:30:00-05:00')], expected: '2026-12-07T11:30:00-05:00' },
  ])('returns the boundary for $case', ({ items, expected }) => {
    expect(nextRefreshAt(items, now)).toBe(Date.parse(expected));
  });

  it('is after now, within a day, and no later than any future window', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const span = 366 * 24 * 3_600_000;
    fc.assert(
      fc.property(fc.integer({ min: start, max: start + span }), fc.array(fc.integer({ min: -span, max: span }), { maxLength: 5 }), (nowMs, deltas) => {
        const items = deltas.map((delta, index) => row(`d${index}`, new Date(nowMs + delta).toISOString()));
        const at = nextRefreshAt(items, nowMs);
        expect(at).toBeGreaterThan(nowMs);
        expect(at - nowMs).toBeLessThanOrEqual(24 * 3_600_000);
        for (const delta of deltas) if (delta > 0) expect(at).toBeLessThanOrEqual(nowMs + delta);
        // Every boundary that is not a window is a Bogotá midnight (UTC−5 all year).
        if (!deltas.some((delta) => nowMs + delta === at)) expect((at - 5 * 3_600_000) % (24 * 3_600_000)).toBe(0);
      }),
    );
  });
});
