/**
 * The strategy editor's state: the set in force on the server, the administrator's draft, the
 * selected segment, the last preview and the result of the last publication. Main and the server
 * validate again; the errors they return name the segment and the field.
 */
import { create } from 'zustand';
import type { StrategyPreview, StrategyPublication, StrategyVocabulary } from '@gestiona/core/ipc';
import type { StrategySet } from '@gestiona/core/strategy/schema';
import { callApi } from '../api/client.ts';

interface AdminStrategyStore {
  current: StrategyPublication | null;
  vocabulary: StrategyVocabulary | null;
  draft: StrategySet | null;
  selectedIndex: number;
  /** Preview of the draft as it was when previewed; cleared by any edit. */
  preview: StrategyPreview | null;
  busy: 'loading' | 'previewing' | 'publishing' | null;
  error: { message: string; fields: Record<string, string> } | null;
  notice: string | null;

  load(): Promise<void>;
  edit(change: (draft: StrategySet) => StrategySet, select?: number): void;
  select(index: number): void;
  runPreview(): Promise<void>;
  publish(reason: string): Promise<void>;
  discard(): void;
}

export const useAdminStrategyStore = create<AdminStrategyStore>()((set, get) => ({
  current: null,
  vocabulary: null,
  draft: null,
  selectedIndex: 0,
  preview: null,
  busy: null,
  error: null,
  notice: null,

  async load() {
    set({ busy: 'loading', error: null });
    const result = await callApi('admin:strategy-get', {});
    if (!result.ok) {
      set({ busy: null, error: { message: result.error.message, fields: result.error.fields ?? {} } });
      return;
    }
    const { current, vocabulary } = result.value;
    set({ current, vocabulary, draft: withNextVersion(current.strategy), selectedIndex: 0, preview: null, busy: null });
  },

  edit(change, select) {
    const draft = get().draft;
    if (!draft) return;
    const next = change(draft);
    set({ draft: next, preview: null, notice: null, ...(select === undefined ? {} : { selectedIndex: clampIndex(select, next) }) });
  },

  select(index) {
    set({ selectedIndex: index });
  },

  async runPreview() {
    const draft = get().draft;
    if (!draft) return;
    set({ busy: 'previewing', error: null, notice: null });
    const result = await callApi('admin:strategy-preview', { strategy: draft });
    if (!result.ok) {
      set({ busy: null, error: { message: result.error.message, fields: result.error.fields ?? {} } });
      return;
    }
    set({ busy: null, preview: result.value });
  },

  async publish(reason) {
    const draft = get().draft;
    if (!draft) return;
    set({ busy: 'publishing', error: null, notice: null });
    const trimmed = reason.trim();
    const result = await callApi('admin:strategy-publish', { strategy: draft, ...(trimmed === '' ? {} : { reason: trimmed }) });
    if (!result.ok) {
      set({ busy: null, error: { message: result.error.message, fields: result.error.fields ?? {} } });
      return;
    }
    set({ busy: null, notice: `Versión ${result.value.version} publicada. Las estaciones la aplican en la próxima sincronización.` });
    await get().load();
    set({ notice: `Versión ${result.value.version} publicada. Las estaciones la aplican en la próxima sincronización.` });
  },

  discard() {
    const current = get().current;
    if (!current) return;
    set({ draft: withNextVersion(current.strategy), selectedIndex: 0, preview: null, error: null, notice: null });
  },
}));

/**
 * Starts a draft from the set in force with the next version name, because the server refuses a
 * version already published: a trailing number goes up by one ("2026.1" → "2026.2"), anything else gets ".1".
 */
export function nextVersion(version: string): string {
  const match = /^(.*?)(\d+)$/.exec(version);
  if (!match) return `${version}.1`;
  return `${match[1]}${Number(match[2]) + 1}`;
}

function withNextVersion(set: StrategySet): StrategySet {
  return { ...structuredClone(set), version: nextVersion(set.version) };
}

function clampIndex(index: number, set: StrategySet): number {
  return Math.max(0, Math.min(index, set.segments.length - 1));
}
