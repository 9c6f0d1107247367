/**
 * The script editor's state: the scripts in force on the server, the selected one, the
 * administrator's draft and the result of the last publication. The live check runs on the draft
 * in the editor; main and the server check again, and their errors name the step.
 */
import { create } from 'zustand';
import type { AdminScript, IpcArgs } from '@gestiona/core/ipc';
import type { ScriptDef } from '@gestiona/core/script-check';
import { callApi } from '../api/client.ts';

interface ScriptAdminStore {
  scripts: AdminScript[];
  selectedId: string | null;
  draft: ScriptDef | null;
  busy: 'loading' | 'publishing' | null;
  error: { message: string; fields: Record<string, string> } | null;
  notice: string | null;

  load(): Promise<void>;
  select(id: string): void;
  edit(change: (draft: ScriptDef) => ScriptDef): void;
  discard(): void;
  publish(reason: string): Promise<void>;
}

/** Returns a deep copy, so edits never touch the script in force. */
function copyOf(script: ScriptDef): ScriptDef {
  return JSON.parse(JSON.stringify(script)) as ScriptDef;
}

export const useScriptAdminStore = create<ScriptAdminStore>()((set, get) => ({
  scripts: [],
  selectedId: null,
  draft: null,
  busy: null,
  error: null,
  notice: null,

  async load() {
    set({ busy: 'loading', error: null });
    const result = await callApi('admin:scripts-list', {});
    if (!result.ok) {
      set({ busy: null, error: { message: result.error.message, fields: result.error.fields ?? {} } });
      return;
    }
    const scripts = result.value.scripts;
    const selected = scripts.find((entry) => entry.script.id === get().selectedId) ?? scripts[0] ?? null;
    set({ busy: null, scripts, selectedId: selected?.script.id ?? null, draft: selected ? copyOf(selected.script) : null });
  },

  select(id) {
    const entry = get().scripts.find((candidate) => candidate.script.id === id);
    if (entry) set({ selectedId: id, draft: copyOf(entry.script), error: null, notice: null });
  },

  edit(change) {
    const draft = get().draft;
    if (draft) set({ draft: change(draft), notice: null });
  },

  discard() {
    const entry = get().scripts.find((candidate) => candidate.script.id === get().selectedId);
    if (entry) set({ draft: copyOf(entry.script), error: null, notice: null });
  },

  async publish(reason) {
    const draft = get().draft;
    if (!draft || get().busy) return;
    set({ busy: 'publishing', error: null, notice: null });
    // The draft has the schema's shape but a looser segment type; main parses it against the schema.
    const result = await callApi('admin:scripts-publish', { script: draft as IpcArgs<'admin:scripts-publish'>['script'], reason: reason.trim() === '' ? null : reason.trim() });
    if (!result.ok) {
      set({ busy: null, error: { message: result.error.message, fields: result.error.fields ?? {} } });
      return;
    }
    const published = result.value.script;
    const scripts = get().scripts.map((entry) => (entry.script.id === published.script.id ? published : entry));
    set({
      busy: null,
      scripts,
      draft: copyOf(published.script),
      notice: result.value.published
        ? `Guion publicado: versión ${published.current.version}. Las estaciones conectadas lo reciben en segundos.`
        : `La versión ${published.current.version} ya estaba en vigor con el mismo contenido: no se publicó nada.`,
    });
  },
}));
