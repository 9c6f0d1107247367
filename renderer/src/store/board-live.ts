/**
 * The board's charts and drill-down: the trend series of the chosen range, and the figure the team
 * lead opened with the agents and debtors behind it. Both are read from the server through main.
 */
import { create } from 'zustand';
import type { BoardDrill, BoardDrillFigure, BoardTrendRange, BoardTrends } from '@gestiona/core/board';
import { callApi } from '../api/client.ts';

/** The charts follow the board, but a read of 30 days every board refresh is more than the chart needs. */
export const TRENDS_MIN_REFRESH_MS = 10_000;

interface DrillRequest {
  figure: BoardDrillFigure;
  scope: string;
}

interface BoardLiveStore {
  range: BoardTrendRange;
  trends: BoardTrends | null;
  trendsError: string | null;
  drillRequest: DrillRequest | null;
  drill: BoardDrill | null;
  drillLoading: boolean;
  drillError: string | null;

  setRange(range: BoardTrendRange): void;
  /** Reads the trends of the current range; `force` skips the minimum interval. */
  loadTrends(force?: boolean): Promise<void>;
  openDrill(figure: BoardDrillFigure, scope: string): Promise<void>;
  closeDrill(): void;
  reset(): void;
}

let trendsRequest = 0;
let trendsReadAt = 0;
let drillRequestId = 0;

export const useBoardLiveStore = create<BoardLiveStore>()((set, get) => ({
  range: 'today',
  trends: null,
  trendsError: null,
  drillRequest: null,
  drill: null,
  drillLoading: false,
  drillError: null,

  setRange(range) {
    set({ range, trends: null });
    void get().loadTrends(true);
  },

  async loadTrends(force = false) {
    if (!force && Date.now() - trendsReadAt < TRENDS_MIN_REFRESH_MS) return;
    trendsReadAt = Date.now();
    const request = ++trendsRequest;
    const range = get().range;
    const result = await callApi('board:trends', { range });
    if (request !== trendsRequest) return;
    if (result.ok) set({ trends: result.value, trendsError: null });
    else set({ trendsError: result.error.message });
  },

  async openDrill(figure, scope) {
    const request = ++drillRequestId;
    set({ drillRequest: { figure, scope }, drillLoading: true, drillError: null });
    const result = await callApi('board:drill', { figure, scope });
    if (request !== drillRequestId) return;
    if (result.ok) set({ drill: result.value, drillLoading: false });
    else set({ drill: null, drillLoading: false, drillError: result.error.message });
  },

  closeDrill() {
    drillRequestId++;
    set({ drillRequest: null, drill: null, drillLoading: false, drillError: null });
  },

  reset() {
    trendsRequest++;
    drillRequestId++;
    trendsReadAt = 0;
    set({ range: 'today', trends: null, trendsError: null, drillRequest: null, drill: null, drillLoading: false, drillError: null });
  },
}));
