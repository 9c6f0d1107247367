/**
 * The team lead's board on screen: the last board main fetched from the server, and the error of
 * the last refresh. A failed refresh keeps the previous board, marked with its time, so a short
 * outage does not blank the screen.
 */
import { create } from 'zustand';
import type { Board } from '@gestiona/core/board';
import { callApi } from '../api/client.ts';

interface BoardStore {
  board: Board | null;
  loading: boolean;
  error: string | null;

  load(): Promise<void>;
  reset(): void;
}

// A slow reply must not overwrite a newer one, because refreshes overlap on a slow link.
let latestRequest = 0;

export const useBoardStore = create<BoardStore>()((set) => ({
  board: null,
  loading: false,
  error: null,

  async load() {
    const request = ++latestRequest;
    set({ loading: true });

    const result = await callApi('board:get', {});
    if (request !== latestRequest) return;

    if (!result.ok) {
      set({ loading: false, error: result.error.message });
      return;
    }
    set({ board: result.value, loading: false, error: null });
  },

  reset() {
    latestRequest++;
    set({ board: null, loading: false, error: null });
  },
}));
