/**
 * The team lead's board on screen: the last board main fetched from the server, and the error of
 * the last refresh. A failed refresh keeps the previous board, marked with its time, so a short
 * outage does not blank the screen.
 *
 * Pushes come as often as the server's hints: up to 4 a second per room, more with several server
 * nodes. `refresh()` coalesces them into one read at a time, at most one every
 * `BOARD_MIN_REFRESH_MS`, so the board renders at most 4 times a second however busy the floor is.
 */
import { create } from 'zustand';
import type { Board } from '@gestiona/core/board';
import { callApi } from '../api/client.ts';

/** The shortest time between the starts of two coalesced reads. */
export const BOARD_MIN_REFRESH_MS = 250;

interface BoardStore {
  board: Board | null;
  loading: boolean;
  error: string | null;

  /** Reads the board now. */
  load(): Promise<void>;
  /** Reads the board soon: at once when idle, else once after the read in flight, no sooner than `BOARD_MIN_REFRESH_MS` after it started. */
  refresh(): void;
  reset(): void;
}

// A slow reply must not overwrite a newer one, because refreshes overlap on a slow link.
let latestRequest = 0;
let inFlight = false;
let lastStart = 0;
let refreshRequested = false;
let timer: ReturnType<typeof setTimeout> | null = null;

export const useBoardStore = create<BoardStore>()((set, get) => ({
  board: null,
  loading: false,
  error: null,

  async load() {
    const request = ++latestRequest;
    inFlight = true;
    lastStart = Date.now();
    set({ loading: true });

    const result = await callApi('board:get', {});
    if (request !== latestRequest) return;
    inFlight = false;

    if (!result.ok) set({ loading: false, error: result.error.message });
    else set({ board: result.value, loading: false, error: null });
    if (refreshRequested) get().refresh();
  },

  refresh() {
    refreshRequested = true;
    if (inFlight || timer !== null) return;
    const wait = Math.max(0, lastStart + BOARD_MIN_REFRESH_MS - Date.now());
    timer = setTimeout(() => {
      timer = null;
      refreshRequested = false;
      void get().load();
    }, wait);
  },

  reset() {
    latestRequest++;
    inFlight = false;
    refreshRequested = false;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    set({ board: null, loading: false, error: null });
  },
}));
