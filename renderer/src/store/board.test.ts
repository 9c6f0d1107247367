import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Board } from '@gestiona/core/board';
import type { Result } from '@gestiona/core/result';
import { BOARD_MIN_REFRESH_MS, useBoardStore } from './board.ts';

/** Replaces the preload's `window.gestiona` with a `board:get` that answers when the test says so. */
function installApi() {
  const pending: ((result: Result<Board>) => void)[] = [];
  vi.stubGlobal('window', {
    gestiona: { 'board:get': () => new Promise<Result<Board>>((resolve) => pending.push(resolve)) },
  });
  return pending;
}

const board = (date: string) => ({ date }) as unknown as Board;

describe('board store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useBoardStore.getState().reset();
  });

  afterEach(() => {
    useBoardStore.getState().reset();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('coalesces a burst of pushes into one read in flight and one after it', async () => {
    const pending = installApi();
    for (let push = 0; push < 50; push++) useBoardStore.getState().refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(pending).toHaveLength(1);

    for (let push = 0; push < 50; push++) useBoardStore.getState().refresh();
    pending[0]!({ ok: true, value: board('2026-12-07') });
    await vi.advanceTimersByTimeAsync(BOARD_MIN_REFRESH_MS - 1);
    expect(pending).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(pending).toHaveLength(2);
    pending[1]!({ ok: true, value: board('2026-12-08') });
    await vi.advanceTimersByTimeAsync(BOARD_MIN_REFRESH_MS * 4);
    expect(pending).toHaveLength(2);
    expect(useBoardStore.getState().board?.date).toBe('2026-12-08');
  });

  it('reads at most 4 times a second under a steady stream of pushes', async () => {
    const pending = installApi();
    const answered = new Set<number>();
    for (let ms = 0; ms < 2_000; ms += 10) {
      useBoardStore.getState().refresh();
      pending.forEach((resolve, index) => {
        if (answered.has(index)) return;
        answered.add(index);
        resolve({ ok: true, value: board('2026-12-07') });
      });
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(pending.length).toBeGreaterThanOrEqual(7);
    expect(pending.length).toBeLessThanOrEqual(2_000 / BOARD_MIN_REFRESH_MS + 1);
  });

  it('keeps the previous board when a read fails', async () => {
    const pending = installApi();
    void useBoardStore.getState().load();
    pending[0]!({ ok: true, value: board('2026-12-07') });
    await vi.advanceTimersByTimeAsync(0);
    void useBoardStore.getState().load();
    pending[1]!({ ok: false, error: { code: 'offline', message: 'Sin conexión' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(useBoardStore.getState()).toMatchObject({ board: { date: '2026-12-07' }, error: 'Sin conexión' });
  });
});
