/**
 * The worklist page on screen: debtors in the priority order main returns, a page at a time, with
 * the search text and the row the keyboard has selected. The page is read again by itself when the
 * Bogotá day changes and when a listed debtor's calling window opens, because its legal statuses
 * and due-day tags are computed for the moment main built it.
 */
import { DateTime } from 'luxon';
import { create } from 'zustand';
import { BOGOTA_ZONE } from '@gestiona/core/format';
import type { WorklistItem } from '@gestiona/core/ipc';
import { callApi } from '../api/client.ts';
import { trustedNowIso, useSessionStore } from './session.ts';

export const WORKLIST_PAGE_SIZE = 50;

/**
 * Delay after a boundary before the page is read again, in milliseconds. The offset measured here
 * may lag main's clock by a few hundred milliseconds, and main must already compute with the new day or window.
 */
export const REFRESH_SLACK_MS = 2_000;

interface WorklistStore {
  items: WorklistItem[];
  total: number;
  offset: number;
  /** Search text of the page on screen (already debounced by the input). */
  search: string;
  /** Segment id and legal status the page is filtered by; empty for all. */
  segmentFilter: string;
  legalStatusFilter: WorklistItem['legalStatus'] | '';
  /** Segments of the strategy in force, for the segment filter. */
  segments: Array<{ id: string; name: string }>;
  selectedIndex: number;
  loading: boolean;
  error: string | null;

  load(options?: {
    offset?: number;
    search?: string;
    segmentFilter?: string;
    legalStatusFilter?: WorklistItem['legalStatus'] | '';
    select?: 'first' | 'last' | 'keep';
  }): Promise<void>;
  reload(): Promise<void>;
  moveSelection(delta: 1 | -1): Promise<void>;
  select(index: number): void;
  reset(): void;
}

const initialState = {
  items: [],
  total: 0,
  offset: 0,
  search: '',
  segmentFilter: '',
  legalStatusFilter: '' as const,
  segments: [],
  selectedIndex: 0,
  loading: false,
  error: null,
};

// Responses can arrive out of order while the agent types; only the newest request may fill the page.
let latestRequest = 0;

// Timer of the next automatic reload. There is at most one: each load re-arms it, and reset (sign-out) clears it.
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

export const useWorklistStore = create<WorklistStore>()((set, get) => ({
  ...initialState,

  async load(options = {}) {
    const offset = options.offset ?? get().offset;
    const search = options.search ?? get().search;
    const segmentFilter = options.segmentFilter ?? get().segmentFilter;
    const legalStatusFilter = options.legalStatusFilter ?? get().legalStatusFilter;
    const request = ++latestRequest;
    set({ loading: true, search, segmentFilter, legalStatusFilter });

    const trimmed = search.trim();
    const result = await callApi('worklist:list', {
      offset,
      limit: WORKLIST_PAGE_SIZE,
      ...(trimmed === '' ? {} : { search: trimmed }),
      ...(segmentFilter === '' ? {} : { segment: segmentFilter }),
      ...(legalStatusFilter === '' ? {} : { legalStatus: legalStatusFilter }),
    });
    if (request !== latestRequest) return;

    if (!result.ok) {
      set({ loading: false, error: result.error.message });
      armRefresh(get().items);
      return;
    }

    const { items, total, segments } = result.value;
    set({
      items,
      total,
      segments: segments ?? [],
      offset,
      loading: false,
      error: null,
      selectedIndex: pickSelection(options.select ?? 'first', get().selectedIndex, items.length),
    });
    armRefresh(items);
  },

  reload() {
    return get().load({ select: 'keep' });
  },

  async moveSelection(delta) {
    const { selectedIndex, items, offset, total } = get();
    const next = selectedIndex + delta;

    // Crossing the edge of the page loads the neighbouring page, so the arrows walk the whole list.
    if (next < 0) {
      if (offset > 0) await get().load({ offset: Math.max(0, offset - WORKLIST_PAGE_SIZE), select: 'last' });
      return;
    }
    if (next >= items.length) {
      if (offset + items.length < total) await get().load({ offset: offset + WORKLIST_PAGE_SIZE, select: 'first' });
      return;
    }
    set({ selectedIndex: next });
  },

  select(index) {
    set({ selectedIndex: index });
  },

  reset() {
    latestRequest++;
    cancelRefresh();
    set(initialState);
  },
}));

/**
 * Returns the trusted instant, in epoch milliseconds, at which the page goes stale: the next Bogotá
 * midnight, or the earliest calling window or task slot of a listed row that opens before it. Instants
 * not after `nowMs` are skipped, because main already accounted for them.
 */
export function nextRefreshAt(items: readonly WorklistItem[], nowMs: number): number {
  let earliest = DateTime.fromMillis(nowMs, { zone: BOGOTA_ZONE }).startOf('day').plus({ days: 1 }).toMillis();
  for (const item of items) {
    for (const iso of [item.nextAllowedAt, item.task?.slotAt ?? null]) {
      if (iso === null) continue;
      const at = Date.parse(iso);
      if (Number.isFinite(at) && at > nowMs && at < earliest) earliest = at;
    }
  }
  return earliest;
}

function armRefresh(items: readonly WorklistItem[]): void {
  cancelRefresh();
  const nowMs = Date.parse(trustedNowIso(useSessionStore.getState().clockOffsetMs));
  const delay = nextRefreshAt(items, nowMs) - nowMs + REFRESH_SLACK_MS;
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    void useWorklistStore.getState().reload();
  }, delay);
}

function cancelRefresh(): void {
  if (refreshTimer === null) return;
  clearTimeout(refreshTimer);
  refreshTimer = null;
}

function pickSelection(mode: 'first' | 'last' | 'keep', current: number, count: number): number {
  if (count === 0) return 0;
  switch (mode) {
    case 'first':
      return 0;
    case 'last':
      return count - 1;
    case 'keep':
      return Math.min(current, count - 1);
  }
}
