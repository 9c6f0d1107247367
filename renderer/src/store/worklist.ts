/**
 * The worklist page on screen: debtors in the priority order main returns, a page at a time, with
 * the search text and the row the keyboard has selected.
 */
import { create } from 'zustand';
import type { WorklistItem } from '@gestiona/core/ipc';
import { callApi } from '../api/client.ts';

export const WORKLIST_PAGE_SIZE = 50;

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
    set(initialState);
  },
}));

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
